package com.mka1.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the fresh-JVM harnesses once per contestant with this test's classpath, and the report over
 * their output, so run.sh's later steps cannot rot. Never asserts a time.
 */
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
            assertThat(json).contains("{\"contestant\":\"" + kind.id + "\",\"exit\":0,\"completed\":true,"
                    + "\"batches\":300,\"requests\":3,");
        }
    }

    private void writeClasspaths() throws Exception {
        for (Contestant.Kind kind : Contestant.Kind.values()) {
            Files.writeString(dir.resolve(kind.id + ".classpath"), System.getProperty("java.class.path"));
        }
    }

    private static String benchClasses() throws Exception {
        return Paths.get(Harness.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
