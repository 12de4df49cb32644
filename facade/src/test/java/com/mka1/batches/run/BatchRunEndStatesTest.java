package com.mka1.batches.run;

import static com.mka1.batches.run.RunSupport.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.BatchRunResult.Outcome;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.errors.ApiException;
import com.mka1.batches.models.BatchStatus;
import com.mka1.batches.sandbox.FaultSpec;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches that end without running every request — cancelled, failed (expired: in
 * {@link BatchRunExpiryTest}) — give MISSING outcomes with the reason; result lines that answer
 * no request are counted and kept.
 */
@ExtendWith(SandboxExtension.class)
class BatchRunEndStatesTest {
    /** Every half second: the sandbox's batches run from 2 s to 4 s after their creation. */
    private static final WaitOptions OFTEN = WaitOptions.builder()
            .pollInterval(Duration.ofMillis(500))
            .maxPollInterval(Duration.ofMillis(500))
            .build();

    @TempDir
    Path tmp;

    private static BatchRunParams.Builder tenRequests(Path dir) {
        return RunSupport.params(dir, 10, BatchRunParams.DEFAULT_MAX_REQUESTS_PER_BATCH, i -> i == 1);
    }

    @Test
    void aCancelledBatchLeavesTheRequestsItDidNotRunMissing(Mka1Client client) throws IOException {
        WaitOptions cancelOnceRunning = OFTEN.toBuilder()
                .onProgress(batch -> {
                    if (BatchStatus.IN_PROGRESS.equals(batch.getStatus())
                            && batch.getRequestCounts().getCompleted()
                                            + batch.getRequestCounts().getFailed()
                                    >= 2) {
                        client.llm().batches().cancel(batch.getId());
                    }
                })
                .build();

        BatchRunResult run = client.llm()
                .batches()
                .run(tenRequests(tmp.resolve("run"))
                        .waitOptions(cancelOnceRunning)
                        .build());

        assertThat(client.llm().batches().get(run.batchIds().get(0)).getStatus())
                .isEqualTo(BatchStatus.CANCELLED);
        // Cancelled 2.5 s after creation: a quarter of the requests had run.
        assertThat(view(run).subList(0, 2))
                .containsExactly("q1 FAILED processing_error", "q2 SUCCEEDED Sandbox reply to: question 2");
        assertThat(run.missing()).isEqualTo(8);
        assertThat(view(run).subList(2, 10))
                .allMatch(line -> line.endsWith("MISSING batch <batch> was cancelled before this request ran"));
        assertThat(lastAttempt(run, 3))
                .as("a cancelled batch's requests are not sent again")
                .isEqualTo("cancelled");
    }

    /** What the last attempt of request {@code n} (1-based) came to, from results.jsonl. */
    private static String lastAttempt(BatchRunResult run, int n) throws IOException {
        JsonObject line = com.google.gson.JsonParser.parseString(
                        Files.readAllLines(run.resultsFile()).get(n - 1))
                .getAsJsonObject();
        com.google.gson.JsonArray attempts = line.getAsJsonArray("attempts");
        assertThat(attempts).hasSize(1);
        return attempts.get(0).getAsJsonObject().get("result").getAsString();
    }

    @Test
    void aFailedBatchGivesItsErrorAsTheReason(Mka1Client client) throws IOException {
        // A batch the server failed: recorded as the run saw it (the run's own checks keep this
        // from happening with the sandbox, so the manifest says it).
        Path dir = tmp.resolve("run");
        BatchRunResult done = client.llm().batches().run(tenRequests(dir).build());
        JsonObject manifest = RunSupport.manifest(dir);
        JsonObject part = manifest.getAsJsonArray("parts").get(0).getAsJsonObject();
        part.addProperty("status", "failed");
        part.addProperty("failure", "invalid_url: the url is not the batch's endpoint (line 3 of its input)");
        part.remove("output_file_id");
        part.remove("error_file_id");
        part.remove("joined");
        manifest.addProperty("done", false);
        RunSupport.writeManifest(dir, manifest);

        BatchRunResult run = client.llm().batches().resumeRun(dir);

        assertThat(run.missing()).isEqualTo(10);
        assertThat(view(run))
                .allMatch(line -> line.endsWith("MISSING batch <batch> failed before running any request:"
                        + " invalid_url: the url is not the batch's endpoint (line 3 of its input)"));
        assertThat(done.missing()).isZero();
    }

    @Test
    void aBatchTheServerFailedGivesItsFirstErrorAndHowManyMore(Mka1Sandbox sandbox, Mka1Client client)
            throws Exception {
        // The run dies before its upload; its part is then changed (with the manifest's size and
        // digest, so the run takes it) into lines the server refuses: the batch fails.
        Path dir = tmp.resolve("run");
        sandbox.injectFault(FaultSpec.status(503).on(SandboxOperation.UPLOAD_FILE));
        try (Mka1Client noRetries = SandboxExtension.clientBuilder(sandbox)
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .build()) {
            assertThatThrownBy(() -> noRetries
                            .llm()
                            .batches()
                            .run(tenRequests(dir)
                                    .waitOptions(WaitOptions.builder()
                                            .outageBudget(Duration.ZERO)
                                            .build())
                                    .build()))
                    .isInstanceOf(ApiException.class);
        }
        Path partFile = dir.resolve("part-0001.jsonl");
        List<String> lines = Files.readAllLines(partFile, StandardCharsets.UTF_8);
        for (int i : new int[] {2, 6}) {
            lines.set(i, lines.get(i).replace("\"POST\"", "\"GET\""));
        }
        byte[] changed = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        Files.write(partFile, changed);
        JsonObject manifest = RunSupport.manifest(dir);
        JsonObject part = manifest.getAsJsonArray("parts").get(0).getAsJsonObject();
        part.addProperty("bytes", changed.length);
        StringBuilder sha256 = new StringBuilder();
        for (byte b : MessageDigest.getInstance("SHA-256").digest(changed)) {
            sha256.append(String.format("%02x", b));
        }
        part.addProperty("sha256", sha256.toString());
        RunSupport.writeManifest(dir, manifest);

        BatchRunResult run = client.llm().batches().resumeRun(dir);

        assertThat(client.llm().batches().get(run.batchIds().get(0)).getStatus())
                .isEqualTo(BatchStatus.FAILED);
        assertThat(RunSupport.part(dir, 1).get("status").getAsString()).isEqualTo("failed");
        assertThat(run.missing()).isEqualTo(10);
        assertThat(lastAttempt(run, 1)).isEqualTo("batch failed");
        assertThat(view(run))
                .hasSize(10)
                .allMatch(
                        line -> line.endsWith("MISSING batch <batch> failed before running"
                                + " any request: invalid_method: Line 3 has method 'GET'; only POST is supported. (line 3 of its input),"
                                + " and 1 more errors"),
                        "the first error, where, and how many more");
        try (Stream<Outcome> outcomes = run.outcomes()) {
            Outcome q1 = outcomes.findFirst().orElseThrow();
            assertThat(q1).hasToString("Outcome{q1 MISSING: " + q1.reason() + "}");
            assertThat(q1.reason()).startsWith("batch " + run.batchIds().get(0) + " failed before running any request");
        }
    }

    @Test
    void resultLinesInAnyOrderJoinToTheSameResults(Mka1Client client) throws IOException {
        Path dir = tmp.resolve("run");
        BatchRunResult done = client.llm().batches().run(tenRequests(dir).build());
        byte[] results = Files.readAllBytes(done.resultsFile());
        Path output = dir.resolve("part-0001.output.jsonl");
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        java.util.Collections.reverse(lines);
        Files.write(output, lines, StandardCharsets.UTF_8);
        JsonObject manifest = RunSupport.manifest(dir);
        manifest.getAsJsonArray("parts").get(0).getAsJsonObject().remove("joined");
        manifest.addProperty("done", false);
        RunSupport.writeManifest(dir, manifest);

        BatchRunResult run = client.llm().batches().resumeRun(dir);

        assertThat(lines.get(0)).contains("\"q10\"");
        assertThat(Files.readAllBytes(run.resultsFile())).isEqualTo(results);
    }

    @Test
    void resultLinesThatAnswerNoRequestAreCountedAndKept(Mka1Client client) throws IOException {
        Path dir = tmp.resolve("run");
        client.llm().batches().run(tenRequests(dir).build());
        Path output = dir.resolve("part-0001.output.jsonl");
        String q2 = Files.readAllLines(output, StandardCharsets.UTF_8).stream()
                .filter(line -> line.contains("\"q2\""))
                .findFirst()
                .orElseThrow();
        String stranger = q2.replace("\"q2\"", "\"stranger\"");
        Files.write(
                output,
                (stranger + "\n" + q2 + "\nnot json\n").getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        JsonObject manifest = RunSupport.manifest(dir);
        manifest.getAsJsonArray("parts").get(0).getAsJsonObject().remove("joined");
        manifest.addProperty("done", false);
        RunSupport.writeManifest(dir, manifest);

        BatchRunResult run = client.llm().batches().resumeRun(dir);

        assertThat(run.unmatchedResults()).isEqualTo(3);
        assertThat(run.total()).isEqualTo(10);
        assertThat(run.succeeded() + run.failed() + run.missing()).isEqualTo(10);
        try (Stream<Outcome> outcomes = run.outcomes()) {
            assertThat(outcomes.map(Outcome::customId).collect(Collectors.toList()))
                    .containsExactly("q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10");
        }
        List<JsonObject> unmatched = Files.readAllLines(run.unmatchedResultsFile(), StandardCharsets.UTF_8).stream()
                .map(line -> JsonParser.parseString(line).getAsJsonObject())
                .collect(Collectors.toList());
        assertThat(unmatched).hasSize(3);
        String outputFileId = manifest.getAsJsonArray("parts")
                .get(0)
                .getAsJsonObject()
                .get("output_file_id")
                .getAsString();
        assertThat(unmatched.get(0).get("problem").getAsString())
                .startsWith("line 12 of output file " + outputFileId + ": not a batch result line: ")
                .doesNotContain("line 1:");
        assertThat(unmatched.get(0).get("raw").getAsString()).isEqualTo("not json");
        assertThat(unmatched.get(1).get("custom_id").getAsString()).isEqualTo("stranger");
        JsonObject strangerJson = JsonParser.parseString(stranger).getAsJsonObject();
        strangerJson.remove("error"); // null: left out, as in results.jsonl
        assertThat(unmatched.get(1).getAsJsonObject("result")).isEqualTo(strangerJson);
        assertThat(unmatched.get(2).get("custom_id").getAsString()).isEqualTo("q2");
        assertThat(unmatched)
                .allSatisfy(u -> assertThat(u.get("batch_id").getAsString())
                        .isEqualTo(run.batchIds().get(0)));
    }
}
