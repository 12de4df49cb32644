package com.mka1.batches.run;

import static com.mka1.batches.run.RunSupport.expected;
import static com.mka1.batches.run.RunSupport.keys;
import static com.mka1.batches.run.RunSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxClock;
import com.mka1.batches.sandbox.SandboxOperation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch run whose process is killed ({@code SIGKILL}: no shutdown hook, no finally) at random
 * points and started again from its work directory, {@value #KILLS} times — twice in each phase:
 * uploading, creating, polling, downloading — then left to finish: the results are those of a run
 * never killed, and the server saw one input file and one batch per part. A kill point is one of
 * the child's own events (a request going out, or its answer arriving) and its
 * occurrence, both drawn from a seeded generator ({@code -Dmka1.kill.seed=N}); the kill lands
 * wherever the child has got to by then. The sandbox runs in this JVM on the wall clock with
 * 20 ms stages.
 */
@Tag("slow") // docs/QUALITY.md: not in the default build; `./mvnw -Pslow test`
class RunKillResumeTest {
    /**
     * The run's phases in order, each with the events a kill may follow: a request going out
     * ({@code >}) or its answer arriving ({@code <} and the request). Not the waits between polls:
     * on the wall clock, a resumed run may find its batches ended at its first poll.
     */
    private static final String[][] PHASES = {
        {"> POST /api/v1/llm/files", "< POST /api/v1/llm/files"},
        {"> POST /api/v1/llm/batches", "< POST /api/v1/llm/batches"},
        {"> GET /api/v1/llm/batches/*", "< GET /api/v1/llm/batches/*"},
        {"> GET /api/v1/llm/files/*/content", "< GET /api/v1/llm/files/*/content"},
    };

    static final int KILLS_PER_PHASE = 2;
    static final int KILLS = PHASES.length * KILLS_PER_PHASE;
    private static final long SEED = Long.getLong("mka1.kill.seed", 20261126L);
    private static final int REQUESTS = 23;
    private static final int PER_BATCH = 5;
    private static final int FAIL_EVERY = 7;

    @Test
    void killedAtRandomPointsAndResumedItEndsAsIfNeverKilled(@TempDir Path tmp) throws Exception {
        Path workDir = tmp.resolve("run");
        Random random = new Random(SEED);
        List<String> killedAt = new ArrayList<>();
        try (Mka1Sandbox sandbox = Mka1Sandbox.builder()
                .clock(SandboxClock.system())
                .stepDuration(Duration.ofMillis(20))
                .start()) {
            for (String[] phase : PHASES) {
                for (int kill = 0; kill < KILLS_PER_PHASE; kill++) {
                    String event = phase[random.nextInt(phase.length)];
                    int occurrence = 1 + random.nextInt(2);
                    String done = new Child(workDir, sandbox).runUntil(event, occurrence);
                    assertThat(done)
                            .as(
                                    "the run ended before its %d. '%s' event; killed so far at %s",
                                    occurrence, event, killedAt)
                            .isNull();
                    killedAt.add(occurrence + ". " + event);
                }
            }
            String done = new Child(workDir, sandbox).runUntil(null, 0);
            System.out.println("KILLED at: " + killedAt + "; then " + done);

            int parts = (REQUESTS + PER_BATCH - 1) / PER_BATCH;
            Set<Integer> failing = new HashSet<>();
            for (int i = FAIL_EVERY; i <= REQUESTS; i += FAIL_EVERY) {
                failing.add(i);
            }
            assertThat(done)
                    .isEqualTo("DONE total=" + REQUESTS + " succeeded=" + (REQUESTS - failing.size()) + " failed="
                            + failing.size() + " missing=0 batches=" + parts);
            assertThat(outcomes(workDir)).containsExactlyElementsOf(expected(REQUESTS, failing));
            try (Mka1Client client = Mka1Client.builder()
                    .baseUrl(sandbox.baseUrl())
                    .apiKey(sandbox.apiKey())
                    .build()) {
                List<String> batches = new ArrayList<>();
                client.llm()
                        .batches()
                        .list(ListBatchesParams.none())
                        .autoPager()
                        .forEach(batch -> batches.add(batch.getId()));
                assertThat(batches).as("one batch per part, whatever the kills").hasSize(parts);
                assertThat(RunSupport.uploadedParts(client))
                        .as("one input file per part")
                        .hasSize(parts);
            }
            assertThat(keys(sandbox, SandboxOperation.CREATE)).hasSize(parts);
            assertThat(keys(sandbox, SandboxOperation.UPLOAD_FILE)).hasSize(parts);
        }
    }

    /** {@code q1 SUCCEEDED Sandbox reply to: question 1} ... from the work dir's results.jsonl. */
    private static List<String> outcomes(Path workDir) {
        List<String> view = new ArrayList<>();
        for (String line : read(workDir.resolve("results.jsonl")).split("\n")) {
            JsonObject json = JsonParser.parseString(line).getAsJsonObject();
            String id = json.get("custom_id").getAsString();
            String outcome = json.get("outcome").getAsString();
            view.add(
                    outcome.equals("succeeded")
                            ? id + " SUCCEEDED "
                                    + json.getAsJsonObject("response")
                                            .getAsJsonObject("body")
                                            .getAsJsonArray("choices")
                                            .get(0)
                                            .getAsJsonObject()
                                            .getAsJsonObject("message")
                                            .get("content")
                                            .getAsString()
                            : id + " " + outcome.toUpperCase(java.util.Locale.ROOT) + " "
                                    + json.getAsJsonObject("error").get("code").getAsString());
        }
        return view;
    }

    /** One process of the run, killed at its k-th event unless it finishes first. */
    private static final class Child {
        private final Process process;

        Child(Path workDir, Mka1Sandbox sandbox) throws IOException {
            Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
            process = new ProcessBuilder(
                            java.toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            RunUntilKilled.class.getName(),
                            workDir.toString(),
                            sandbox.baseUrl(),
                            sandbox.apiKey(),
                            String.valueOf(REQUESTS),
                            String.valueOf(PER_BATCH),
                            String.valueOf(FAIL_EVERY))
                    .redirectErrorStream(true)
                    .start();
        }

        /**
         * @param event the event to kill at ({@code *} standing for an id), null to let it finish
         * @return the child's DONE line, or null if it was killed at the {@code occurrence}-th {@code event}
         */
        String runUntil(String event, int occurrence) throws IOException, InterruptedException {
            List<String> output = new ArrayList<>();
            int seen = 0;
            String request = null;
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.add(line);
                    if (line.startsWith("DONE")) {
                        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
                        assertThat(process.exitValue()).as("%s", output).isZero();
                        return line;
                    }
                    String happened;
                    if (line.startsWith("> ")) {
                        request = line.substring(2).replaceAll("/(file|batch)_[0-9a-f]+", "/*");
                        happened = "> " + request;
                    } else if (line.startsWith("< ")) {
                        happened = "< " + request;
                    } else {
                        happened = line;
                    }
                    if (happened.equals(event) && ++seen == occurrence) {
                        process.destroyForcibly();
                        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
                        return null;
                    }
                }
            }
            assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
            throw new AssertionError(
                    "the run's process ended without finishing, exit " + process.exitValue() + ": " + output);
        }
    }
}
