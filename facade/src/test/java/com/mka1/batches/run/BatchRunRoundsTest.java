package com.mka1.batches.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.BatchRunResult.Outcome;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.ResultCheck.Verdict;
import com.mka1.batches.errors.BadRequestException;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.sandbox.FaultSpec;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxOperation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rounds: the requests a round leaves without a final outcome (a transient status or error code,
 * a success the caller's check rejects) are sent again in the next round, up to {@code maxAttempts};
 * permanent failures never; {@code results.jsonl} lists each request's attempts.
 */
@ExtendWith(SandboxExtension.class)
class BatchRunRoundsTest {
    @TempDir
    Path tmp;

    private Path dir;
    private Mka1Sandbox sandbox;
    private Mka1Client client;

    @BeforeEach
    void setUp(Mka1Sandbox sandbox, Mka1Client client) {
        this.sandbox = sandbox;
        this.client = client;
        this.dir = tmp.resolve("run");
    }

    /** A chat body the sandbox answers with {@code control}'s fields (sandbox_status, sandbox_times...). */
    private static Map<String, Object> body(String question, Object... control) {
        Map<String, Object> body = new LinkedHashMap<>(RunSupport.chat(question, false));
        for (int i = 0; i < control.length; i += 2) {
            body.put((String) control[i], control[i + 1]);
        }
        return body;
    }

    /** q1 answers 500 once, q2 400 always, q3 succeeds, q4 has error code server_error once. */
    private BatchRunParams.Builder mixed() {
        return BatchRunParams.builder()
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .workDir(dir)
                .addRequest("q1", body("question 1", "sandbox_status", 500, "sandbox_times", 1))
                .addRequest("q2", body("question 2", "sandbox_status", 400))
                .addRequest("q3", body("question 3"))
                .addRequest("q4", body("question 4", "sandbox_error_code", "server_error", "sandbox_times", 1));
    }

    private BatchRunResult run(BatchRunParams params, boolean async) throws Exception {
        if (!async) {
            return client.llm().batches().run(params);
        }
        try {
            return client.async().llm().batches().run(params).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static List<Outcome> outcomes(BatchRunResult run) {
        try (Stream<Outcome> outcomes = run.outcomes()) {
            return outcomes.collect(Collectors.toList());
        }
    }

    private static List<JsonObject> resultLines(BatchRunResult run) throws Exception {
        List<JsonObject> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resultsFile())) {
            lines.add(JsonParser.parseString(line).getAsJsonObject());
        }
        return lines;
    }

    /** What each attempt of a results line says: {@code 1 status 500}, {@code 2 completed}. */
    private static List<String> attempts(JsonObject line, BatchRunResult run) {
        List<String> attempts = new ArrayList<>();
        line.getAsJsonArray("attempts").forEach(a -> {
            JsonObject attempt = a.getAsJsonObject();
            int round = attempt.get("round").getAsInt();
            assertThat(attempt.get("batch_id").getAsString())
                    .isEqualTo(run.batchIds().get(round - 1));
            attempts.add(round + " " + attempt.get("result").getAsString());
        });
        return attempts;
    }

    /** The custom ids of the requests in each uploaded part, in upload order. */
    private List<List<String>> uploadedRequests() {
        List<List<String>> parts = new ArrayList<>();
        for (FileObject part : RunSupport.uploadedParts(client)) {
            String content = sandbox.fileContent(part.getId()).orElseThrow();
            parts.add(content.lines()
                    .map(l -> JsonParser.parseString(l)
                            .getAsJsonObject()
                            .get("custom_id")
                            .getAsString())
                    .collect(Collectors.toList()));
        }
        return parts;
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void transientFailuresSucceedInTheNextRoundAndPermanentOnesAreSentOnce(boolean async) throws Exception {
        List<BatchRunParams.Progress> reports = new CopyOnWriteArrayList<>();
        BatchRunResult run = run(mixed().onProgress(reports::add).build(), async);

        assertThat(run.batchIds()).hasSize(2);
        assertThat(uploadedRequests()).containsExactlyInAnyOrder(List.of("q1", "q2", "q3", "q4"), List.of("q1", "q4"));
        assertThat(run.succeeded()).isEqualTo(3);
        assertThat(run.failed()).isEqualTo(1);
        assertThat(run.missing()).isZero();
        List<Outcome> outcomes = outcomes(run);
        assertThat(outcomes)
                .extracting(o -> o.customId() + " " + o.kind() + " " + o.attempts())
                .containsExactly("q1 SUCCEEDED 2", "q2 FAILED 1", "q3 SUCCEEDED 1", "q4 SUCCEEDED 2");
        assertThat(outcomes.get(0).batchId()).isEqualTo(run.batchIds().get(1));
        assertThat(outcomes.get(1).result().statusCode()).isEqualTo(400);
        assertThat(outcomes.get(1).reason()).isNull();
        List<JsonObject> lines = resultLines(run);
        assertThat(lines).hasSize(4);
        assertThat(attempts(lines.get(0), run)).containsExactly("1 status 500", "2 completed");
        assertThat(attempts(lines.get(1), run)).containsExactly("1 status 400");
        assertThat(attempts(lines.get(2), run)).containsExactly("1 completed");
        assertThat(attempts(lines.get(3), run)).containsExactly("1 error server_error", "2 completed");
        assertThat(lines).noneMatch(line -> line.has("retry"));
        assertThat(lines.get(0).getAsJsonObject("response").get("status_code").getAsInt())
                .isEqualTo(200);
        assertThat(dir.resolve("results-round-1.jsonl")).doesNotExist();
        assertThat(dir.resolve("results-round-2.jsonl")).doesNotExist();
        JsonObject manifest = RunSupport.manifest(dir);
        assertThat(manifest.get("max_attempts").getAsInt()).isEqualTo(3);
        assertThat(RunSupport.part(dir, 2).get("round").getAsInt()).isEqualTo(2);
        assertThat(RunSupport.part(dir, 2).get("requests").getAsInt()).isEqualTo(2);
        // Round 1's batch counts its final outcomes only (q2 failed, q3 succeeded); round 2's its own.
        assertThat(reports.get(reports.size() - 1)).isEqualTo(new BatchRunParams.Progress(2, 2, 4, 4, 3, 1, null));
        assertThat(reports).allMatch(p -> p.completed() + p.failed() <= p.requests());
    }

    @Test
    void attemptsUsedUpLeaveTheLastOutcomeWithAReasonSayingSo() throws Exception {
        BatchRunParams params = BatchRunParams.builder()
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .workDir(dir)
                .maxAttempts(2)
                .addRequest("q1", body("question 1", "sandbox_status", 503))
                .addRequest("q2", body("question 2", "sandbox_status", 429, "sandbox_times", 1))
                .build();

        BatchRunResult run = client.llm().batches().run(params);

        List<Outcome> outcomes = outcomes(run);
        assertThat(outcomes.get(0).kind()).isEqualTo(Outcome.Kind.FAILED);
        assertThat(outcomes.get(0).attempts()).isEqualTo(2);
        assertThat(outcomes.get(0).reason()).isEqualTo("attempts exhausted (2 of 2), the last: status 503");
        assertThat(outcomes.get(1).kind()).isEqualTo(Outcome.Kind.SUCCEEDED);
        assertThat(run.batchIds()).hasSize(2);
        assertThat(attempts(resultLines(run).get(0), run)).containsExactly("1 status 503", "2 status 503");
    }

    @Test
    void maxAttemptsOneSendsEachRequestOnceAsBefore() throws Exception {
        BatchRunResult run = client.llm().batches().run(mixed().maxAttempts(1).build());

        assertThat(run.batchIds()).hasSize(1);
        assertThat(run.succeeded()).isEqualTo(1);
        assertThat(run.failed()).isEqualTo(3);
        List<Outcome> outcomes = outcomes(run);
        assertThat(outcomes)
                .extracting(o -> o.customId() + " " + o.kind() + " " + o.attempts() + " " + o.reason())
                .containsExactly("q1 FAILED 1 null", "q2 FAILED 1 null", "q3 SUCCEEDED 1 null", "q4 FAILED 1 null");
        assertThat(outcomes.get(0).result().statusCode()).isEqualTo(500);
        assertThat(outcomes.get(3).result().errorCode()).isEqualTo("server_error");
        assertThat(sandbox.requestCount(SandboxOperation.CREATE)).isEqualTo(1);
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void theCallersCheckRetriesAcceptsOrFails(boolean async) throws Exception {
        Map<String, Integer> seen = new HashMap<>();
        BatchRunParams params = RunSupport.params(dir, 4, 10, i -> false)
                .resultCheck(result -> {
                    int times = seen.merge(result.customId(), 1, Integer::sum);
                    switch (result.customId()) {
                        case "q1":
                            return times == 1 ? Verdict.retry("cut short") : Verdict.accept();
                        case "q2":
                            return Verdict.retry("never good enough");
                        case "q3":
                            return Verdict.fail("refused");
                        default:
                            return Verdict.accept();
                    }
                })
                .build();

        BatchRunResult run = run(params, async);

        assertThat(run.batchIds()).hasSize(3);
        assertThat(seen).containsExactlyInAnyOrderEntriesOf(Map.of("q1", 2, "q2", 3, "q3", 1, "q4", 1));
        List<Outcome> outcomes = outcomes(run);
        assertThat(outcomes)
                .extracting(o -> o.customId() + " " + o.kind() + " " + o.attempts() + " " + o.reason())
                .containsExactly(
                        "q1 SUCCEEDED 2 null",
                        "q2 FAILED 3 attempts exhausted (3 of 3), the last: rejected by check: never good enough",
                        "q3 FAILED 1 failed by check: refused",
                        "q4 SUCCEEDED 1 null");
        assertThat(outcomes.get(1).result().statusCode()).isEqualTo(200);
        assertThat(attempts(resultLines(run).get(1), run))
                .containsExactly(
                        "1 rejected by check: never good enough",
                        "2 rejected by check: never good enough",
                        "3 rejected by check: never good enough");
        assertThat(uploadedRequests())
                .containsExactlyInAnyOrder(List.of("q1", "q2", "q3", "q4"), List.of("q1", "q2"), List.of("q2"));
        assertThat(run.succeeded() + run.failed() + run.missing()).isEqualTo(4);
    }

    @Test
    void aCheckThatThrowsStopsTheRunNamingTheRequest() {
        IllegalStateException boom = new IllegalStateException("boom");
        BatchRunParams params = RunSupport.params(dir, 2, 10, i -> false)
                .resultCheck(result -> {
                    if (result.customId().equals("q2")) {
                        throw boom;
                    }
                    return Verdict.accept();
                })
                .build();

        assertThatThrownBy(() -> client.llm().batches().run(params))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the run's result check threw on custom_id \"q2\" (round 1)")
                .hasCause(boom);
        assertThat(RunSupport.manifest(dir).get("done").getAsBoolean()).isFalse();
    }

    @Test
    void aCheckThatReturnsNullStopsTheRun() {
        BatchRunParams params = RunSupport.params(dir, 1, 10, i -> false)
                .resultCheck(result -> null)
                .build();

        assertThatThrownBy(() -> client.llm().batches().run(params))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned null for custom_id \"q1\"");
    }

    @Test
    void aRunStoppedBetweenRoundsResumesSendingEachRequestOncePerRound() throws Exception {
        // Once round 1 has ended, the next upload (round 2's part) is refused: the run stops with
        // round 2's part written and recorded, nothing of it sent.
        BatchRunParams params = mixed().onProgress(p -> {
                    if (p.batches() == 1 && p.batchesFinished() == 1) {
                        sandbox.injectFault(FaultSpec.status(400)
                                .on(SandboxOperation.UPLOAD_FILE)
                                .times(1));
                    }
                })
                .build();
        assertThatThrownBy(() -> client.llm().batches().run(params)).isInstanceOf(BadRequestException.class);
        assertThat(RunSupport.manifest(dir).getAsJsonArray("parts")).hasSize(2);
        assertThat(RunSupport.part(dir, 2).has("input_file_id")).isFalse();

        BatchRunResult run = client.llm().batches().resumeRun(dir);

        assertThat(outcomes(run))
                .extracting(o -> o.customId() + " " + o.kind() + " " + o.attempts())
                .containsExactly("q1 SUCCEEDED 2", "q2 FAILED 1", "q3 SUCCEEDED 1", "q4 SUCCEEDED 2");
        assertThat(uploadedRequests()).containsExactlyInAnyOrder(List.of("q1", "q2", "q3", "q4"), List.of("q1", "q4"));
        assertThat(sandbox.requestCount(SandboxOperation.CREATE)).isEqualTo(2);
    }

    @Test
    void aRunKilledWhileWritingTheNextRoundsPartsWritesThemAgain() throws Exception {
        BatchRunResult done = client.llm().batches().run(mixed().build());
        byte[] results = Files.readAllBytes(done.resultsFile());
        // What a kill while writing round 2's part leaves: round 1 joined, half a part on disk,
        // no round 2 in the manifest; and round 1's lines where the join wrote them.
        List<String> round1 = new ArrayList<>();
        for (JsonObject line : resultLines(done)) {
            JsonObject first = line.getAsJsonArray("attempts").get(0).getAsJsonObject();
            if (line.getAsJsonArray("attempts").size() > 1) {
                line.addProperty("retry", true);
            }
            line.add("attempts", new JsonArray());
            line.getAsJsonArray("attempts").add(first);
            round1.add(line.toString());
        }
        Files.write(done.resultsFile(), round1);
        JsonObject manifest = RunSupport.manifest(dir);
        manifest.getAsJsonArray("parts").remove(1);
        manifest.getAsJsonArray("parts")
                .get(0)
                .getAsJsonObject()
                .getAsJsonObject("joined")
                .addProperty("results_end", Files.size(done.resultsFile()));
        manifest.addProperty("done", false);
        RunSupport.writeManifest(dir, manifest);
        Files.write(dir.resolve("part-0002.jsonl"), "{\"custom_id\":\"q1\"".getBytes(StandardCharsets.UTF_8));
        int creates = sandbox.requestCount(SandboxOperation.CREATE);

        BatchRunResult run = client.llm().batches().resumeRun(dir);

        List<List<String>> uploaded = uploadedRequests();
        assertThat(uploaded).hasSize(3);
        assertThat(uploaded).containsOnlyOnce(List.of("q1", "q2", "q3", "q4"));
        assertThat(uploaded).containsOnly(List.of("q1", "q2", "q3", "q4"), List.of("q1", "q4"));
        assertThat(sandbox.requestCount(SandboxOperation.CREATE)).isEqualTo(creates + 1);
        assertThat(outcomes(run))
                .extracting(o -> o.customId() + " " + o.kind() + " " + o.attempts())
                .containsExactly("q1 SUCCEEDED 2", "q2 FAILED 1", "q3 SUCCEEDED 1", "q4 SUCCEEDED 2");
        assertThat(Files.readAllBytes(run.resultsFile()).length).isEqualTo(results.length);
    }

    @Test
    void aResultLineCannotSetTheRunsOwnMembers() throws Exception {
        BatchRunResult done = client.llm().batches().run(mixed().maxAttempts(1).build());
        // The server's line for q3 carries members the run writes itself: they must not count.
        Path output = dir.resolve("part-0001.output.jsonl");
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(output)) {
            JsonObject json = JsonParser.parseString(line).getAsJsonObject();
            json.addProperty("retry", true);
            json.addProperty("reason", "made up");
            json.add("attempts", JsonParser.parseString("[{\"round\":7}]"));
            lines.add(json.toString());
        }
        Files.write(output, lines);
        JsonObject manifest = RunSupport.manifest(dir);
        manifest.getAsJsonArray("parts").get(0).getAsJsonObject().remove("joined");
        manifest.addProperty("done", false);
        RunSupport.writeManifest(dir, manifest);
        int requests = sandbox.requestCount();

        BatchRunResult run = client.llm().batches().resumeRun(dir);

        assertThat(sandbox.requestCount()).as("requests sent by the resume").isEqualTo(requests);
        JsonObject q3 = resultLines(run).get(2);
        assertThat(q3.has("retry")).isFalse();
        assertThat(q3.has("reason")).isFalse();
        assertThat(attempts(q3, run)).containsExactly("1 completed");
        assertThat(done.batchIds()).hasSize(1);
    }

    @Test
    void aManifestWhosePartsGoBackARoundIsRefused() {
        client.llm().batches().run(mixed().build());
        JsonObject manifest = RunSupport.manifest(dir);
        manifest.getAsJsonArray("parts").get(1).getAsJsonObject().addProperty("round", 0);
        manifest.getAsJsonArray("parts").get(0).getAsJsonObject().addProperty("round", 2);
        RunSupport.writeManifest(dir, manifest);

        assertThatThrownBy(() -> client.llm().batches().resumeRun(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a damaged batch run manifest: part 2 has round 0, before the round of the"
                        + " part before it");
    }

    @Test
    void whichFailuresAreSentAgain() throws Exception {
        BatchRunParams.Builder params = BatchRunParams.builder()
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .workDir(dir)
                .maxAttempts(2);
        List<String> expected = new ArrayList<>();
        for (int status : new int[] {408, 429, 500, 599, 400, 404, 499, 600}) {
            boolean again = status == 408 || status == 429 || (status >= 500 && status <= 599);
            params.addRequest("s" + status, body("q", "sandbox_status", status, "sandbox_times", 1));
            expected.add("s" + status + " " + (again ? "SUCCEEDED 2" : "FAILED 1"));
        }
        for (String code : new String[] {
            "rate_limit_exceeded",
            "server_error",
            "internal_error",
            "service_unavailable",
            "overloaded",
            "timeout",
            "processing_error",
            "invalid_request"
        }) {
            boolean again = !code.equals("processing_error") && !code.equals("invalid_request");
            params.addRequest(code, body("q", "sandbox_error_code", code, "sandbox_times", 1));
            expected.add(code + " " + (again ? "SUCCEEDED 2" : "FAILED 1"));
        }

        BatchRunResult run = client.llm().batches().run(params.build());

        assertThat(outcomes(run))
                .extracting(o -> o.customId() + " " + o.kind() + " " + o.attempts())
                .containsExactlyElementsOf(expected);
        assertThat(attempts(resultLines(run).get(7), run)).containsExactly("1 status 600");
        assertThat(attempts(resultLines(run).get(14), run)).containsExactly("1 error processing_error");
    }

    @Test
    void aRequestACompletedBatchLeftOutIsSentAgain() throws Exception {
        client.llm().batches().run(mixed().maxAttempts(1).build());
        // The server's output file lacks q3's line: its completed batch left it out.
        Path output = dir.resolve("part-0001.output.jsonl");
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(output)) {
            if (!line.contains("\"q3\"")) {
                lines.add(line);
            }
        }
        Files.write(output, lines);
        JsonObject manifest = RunSupport.manifest(dir);
        manifest.getAsJsonArray("parts").get(0).getAsJsonObject().remove("joined");
        manifest.addProperty("done", false);
        manifest.addProperty("max_attempts", 2);
        RunSupport.writeManifest(dir, manifest);

        BatchRunResult run = client.llm().batches().resumeRun(dir);

        assertThat(outcomes(run))
                .extracting(o -> o.customId() + " " + o.kind() + " " + o.attempts())
                .containsExactly("q1 SUCCEEDED 2", "q2 FAILED 1", "q3 SUCCEEDED 2", "q4 SUCCEEDED 2");
        assertThat(attempts(resultLines(run).get(2), run)).containsExactly("1 missing", "2 completed");
        assertThat(uploadedRequests())
                .containsExactlyInAnyOrder(List.of("q1", "q2", "q3", "q4"), List.of("q1", "q3", "q4"));
    }

    @Test
    void aRunKilledWhileMergingItsRoundsMergesThemAgain() throws Exception {
        BatchRunResult done = client.llm().batches().run(mixed().build());
        byte[] results = Files.readAllBytes(done.resultsFile());
        // What a kill in the merge leaves: round 1's file renamed, round 2's beside it, no results.jsonl.
        List<String> round1 = new ArrayList<>();
        List<String> round2 = new ArrayList<>();
        for (JsonObject line : resultLines(done)) {
            JsonArray attempts = line.getAsJsonArray("attempts");
            JsonObject first = line.deepCopy();
            first.add("attempts", new JsonArray());
            first.getAsJsonArray("attempts").add(attempts.get(0));
            if (attempts.size() > 1) {
                first.addProperty("retry", true);
                JsonObject second = line.deepCopy();
                second.add("attempts", new JsonArray());
                second.getAsJsonArray("attempts").add(attempts.get(1));
                round2.add(second.toString());
            }
            round1.add(first.toString());
        }
        Files.write(dir.resolve("results-round-1.jsonl"), round1);
        Files.write(dir.resolve("results-round-2.jsonl"), round2);
        Files.delete(done.resultsFile());
        JsonObject manifest = RunSupport.manifest(dir);
        manifest.getAsJsonArray("parts")
                .get(1)
                .getAsJsonObject()
                .getAsJsonObject("joined")
                .addProperty("results_end", Files.size(dir.resolve("results-round-2.jsonl")));
        manifest.addProperty("done", false);
        RunSupport.writeManifest(dir, manifest);
        int requests = sandbox.requestCount();

        BatchRunResult run = client.llm().batches().resumeRun(dir);

        assertThat(sandbox.requestCount()).isEqualTo(requests);
        assertThat(Files.readAllBytes(run.resultsFile())).isEqualTo(results);
        assertThat(dir.resolve("results-round-1.jsonl")).doesNotExist();
        assertThat(dir.resolve("results-round-2.jsonl")).doesNotExist();
    }
}
