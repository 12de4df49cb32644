package com.mka1.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the fresh-JVM harnesses once per contestant with this test's classpath (the big files at
 * tiny sizes, the run on a few hundred requests), and the report over their output, so run.sh's
 * later steps cannot rot. Asserts completion and the byte counts of the cut download (a resume
 * sends the file once, a restart half of it more), never a time.
 */
@Tag("slow") // docs/QUALITY.md: not in the default build; `./mvnw -Pslow test`
class HarnessSmokeTest {
    @TempDir
    Path dir;

    @Test
    void coldStartRunsOneGetPerContestantInAFreshJvm() throws Exception {
        writeClasspaths();

        String json = Harness.coldStart(dir, benchClasses(), 1);

        assertThat(json).contains("\"raw\":[", "\"facade\":[", "\"openai-java\":[");
    }

    @Test
    void boundedWalkCompletesForEveryContestantUnder64Megabytes() throws Exception {
        writeClasspaths();

        String json = Harness.bounded(dir, benchClasses(), "64m", 3);

        for (Contestant.Kind kind : Contestant.Kind.values()) {
            assertThat(json)
                    .contains("{\"contestant\":\"" + kind.id + "\",\"exit\":0,\"completed\":true,"
                            + "\"batches\":300,\"requests\":3,");
        }
    }

    @Test
    void bigFilesCompleteUnder64MegabytesAndOnlyTheFacadeResumesACutDownload() throws Exception {
        writeClasspaths();
        long bytes = 2L << 20;

        JsonObject big = JsonParser.parseString(Harness.big(dir, benchClasses(), "64m", 2, 3000))
                .getAsJsonObject();

        assertThat(contestants(big.getAsJsonArray("download")))
                .containsExactly("raw", "facade", "facade-content", "openai-java");
        assertThat(contestants(big.getAsJsonArray("upload"))).containsExactly("raw", "facade", "openai-java");
        assertThat(contestants(big.getAsJsonArray("results"))).containsExactly("raw", "facade");
        for (String benchmark : new String[] {"download", "cut", "upload", "results"}) {
            for (JsonElement e : big.getAsJsonArray(benchmark)) {
                JsonObject r = e.getAsJsonObject();
                assertThat(r.get("completed").getAsBoolean())
                        .as(benchmark + " " + r)
                        .isTrue();
                assertThat(r.get("peakHeapBytes").getAsLong())
                        .as(benchmark + " " + r)
                        .isPositive();
            }
        }
        for (JsonElement e : big.getAsJsonArray("cut")) {
            JsonObject r = e.getAsJsonObject();
            boolean resumes = r.get("contestant").getAsString().equals("facade");
            assertThat(r.get("transferredBytes").getAsLong())
                    .as(r.toString())
                    .isEqualTo(resumes ? bytes : bytes * 3 / 2);
            assertThat(r.get("attempts").getAsLong()).as(r.toString()).isEqualTo(resumes ? 1 : 2);
        }

        String markdown = new BigReport(new JsonArray(), big, null).markdown();
        assertThat(markdown)
                .contains("**In a fresh JVM with `-Xmx64m`**", "**Download with the connection cut at 50 %**")
                .doesNotContain("**no**");
    }

    @Test
    void runOfBatchesCompletesAgainstTheSandboxUnder64Megabytes() throws Exception {
        writeClasspaths();

        JsonObject run = JsonParser.parseString(Harness.run(dir, benchClasses(), "64m", 500, 1))
                .getAsJsonObject();

        JsonObject only = run.getAsJsonArray("runs").get(0).getAsJsonObject();
        assertThat(only.get("completed").getAsBoolean()).as(only.toString()).isTrue();
        assertThat(only.get("requests").getAsLong()).isEqualTo(500);
        assertThat(only.get("batches").getAsLong()).isEqualTo(1);
        assertThat(only.get("sandboxServed").getAsString()).contains("uploads=1 creates=1");
        for (String field : new String[] {
            "wallMillis",
            "awaitingMillis",
            "exchanges",
            "cpuMillis",
            "threadCpuMillis",
            "peakHeapBytes",
            "sandboxCpuMillis"
        }) {
            assertThat(only.has(field)).as(field).isTrue();
        }
        String markdown = new BigReport(new JsonArray(), null, run).markdown();
        assertThat(markdown).contains("**`batches().run(...)`** of 500").doesNotContain("**no**");
    }

    private static List<String> contestants(JsonArray results) {
        List<String> names = new ArrayList<>();
        results.forEach(e -> names.add(e.getAsJsonObject().get("contestant").getAsString()));
        return names;
    }

    private void writeClasspaths() throws Exception {
        for (String name : new String[] {"raw", "facade", "openai-java", "sandbox"}) {
            Files.writeString(dir.resolve(name + ".classpath"), System.getProperty("java.class.path"));
        }
    }

    private static String benchClasses() throws Exception {
        return Paths.get(Harness.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
    }
}
