package com.mka1.batches.run;

import static com.mka1.batches.run.RunSupport.chat;
import static com.mka1.batches.run.RunSupport.expected;
import static com.mka1.batches.run.RunSupport.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.BatchRunResult.Outcome;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.jsonl.BatchInputLine;
import com.mka1.batches.jsonl.BatchInputWriter;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxOperation;
import com.mka1.batches.sandbox.SandboxRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code batches().run(...)} end to end against the sandbox: split, upload, create, wait, download, join. */
@ExtendWith(SandboxExtension.class)
class BatchRunTest {
    @TempDir
    Path tmp;

    @Test
    void everyRequestEndsAsOneOutcomeInInputOrder(Mka1Sandbox sandbox, Mka1Client client) throws IOException {
        BatchRunParams.Builder params = RunSupport.params(
                tmp.resolve("run"), 6, BatchRunParams.DEFAULT_MAX_REQUESTS_PER_BATCH, i -> i % 3 == 0);
        List<BatchRunParams.Progress> progress = new ArrayList<>();

        BatchRunResult run =
                client.llm().batches().run(params.onProgress(progress::add).build());

        assertThat(view(run)).containsExactlyElementsOf(expected(6, Set.of(3, 6)));
        assertThat(run.total()).isEqualTo(6);
        assertThat(run.succeeded()).isEqualTo(4);
        assertThat(run.failed()).isEqualTo(2);
        assertThat(run.missing()).isZero();
        assertThat(run.unmatchedResults()).isZero();
        assertThat(run.batchIds()).hasSize(1);
        assertThat(run.workDir()).isEqualTo(tmp.resolve("run"));
        assertThat(sandbox.requestCount(SandboxOperation.UPLOAD_FILE)).isEqualTo(1);
        assertThat(sandbox.requestCount(SandboxOperation.CREATE)).isEqualTo(1);
        // The batch ran exactly the requests given, as JSONL lines.
        BatchObject batch = client.llm().batches().get(run.batchIds().get(0));
        assertThat(batch.getEndpoint()).isEqualTo(BatchEndpoint.CHAT_COMPLETIONS.getValue());
        String uploaded = sandbox.fileContent(batch.getInputFileId()).orElseThrow();
        assertThat(List.of(uploaded.split("\n")))
                .hasSize(6)
                .first()
                .isEqualTo(BatchInputLine.of("q1", "/v1/chat/completions", chat("question 1", false))
                        .toJson());
        // Progress is summed over the batches, ending with everything counted.
        assertThat(progress).last().satisfies(p -> {
            assertThat(p.batches()).isEqualTo(1);
            assertThat(p.batchesFinished()).isEqualTo(1);
            assertThat(p.requests()).isEqualTo(6);
            assertThat(p.completed()).isEqualTo(4);
            assertThat(p.failed()).isEqualTo(2);
        });
        assertThat(progress)
                .first()
                .satisfies(p -> assertThat(p.batchesFinished()).isZero());
        assertThat(run.unmatchedResultsFile()).isEmptyFile();
    }

    @Test
    void resultsJsonlHasOneLineOfTheDocumentedShapePerRequest(Mka1Client client) throws IOException {
        BatchRunResult run = client.llm()
                .batches()
                .run(BatchRunParams.builder()
                        .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                        .addRequest("ok", chat("hello", false))
                        .addRequest("bad", chat("boom", true))
                        .workDir(tmp.resolve("run"))
                        .build());

        List<String> lines = Files.readAllLines(run.resultsFile(), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        JsonObject ok = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertThat(ok.keySet()).containsExactly("custom_id", "outcome", "batch_id", "id", "response", "attempts");
        assertThat(ok.get("custom_id").getAsString()).isEqualTo("ok");
        assertThat(ok.get("outcome").getAsString()).isEqualTo("succeeded");
        assertThat(ok.get("batch_id").getAsString()).isEqualTo(run.batchIds().get(0));
        assertThat(ok.getAsJsonObject("response").get("status_code").getAsInt()).isEqualTo(200);
        assertThat(ok.getAsJsonObject("response")
                        .getAsJsonObject("body")
                        .get("object")
                        .getAsString())
                .isEqualTo("chat.completion");
        JsonObject bad = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertThat(bad.keySet()).containsExactly("custom_id", "outcome", "batch_id", "id", "error", "attempts");
        assertThat(bad.get("outcome").getAsString()).isEqualTo("failed");
        assertThat(bad.getAsJsonObject("error").get("code").getAsString()).isEqualTo("processing_error");
        String batchId = run.batchIds().get(0);
        assertThat(ok.get("attempts").toString())
                .isEqualTo("[{\"batch_id\":\"" + batchId + "\",\"round\":1,\"result\":\"completed\"}]");
        assertThat(bad.get("attempts").toString())
                .isEqualTo("[{\"batch_id\":\"" + batchId + "\",\"round\":1,\"result\":\"error processing_error\"}]");

        List<Outcome> outcomes;
        try (Stream<Outcome> stream = run.outcomes()) {
            outcomes = stream.collect(Collectors.toList());
        }
        assertThat(outcomes.get(0).result().statusCode()).isEqualTo(200);
        assertThat(outcomes.get(0).result().isSuccess()).isTrue();
        assertThat(outcomes.get(0).reason()).isNull();
        assertThat(outcomes.get(1).result().isSuccess()).isFalse();
        assertThat(outcomes.get(1).result().errorMessage()).isNotBlank();
        // outcomes() can be read again
        assertThat(view(run)).hasSize(2);
    }

    @Test
    void splitsByRequestCount(Mka1Sandbox sandbox, Mka1Client client) {
        BatchRunParams.Builder params = RunSupport.params(tmp.resolve("run"), 7, 3, i -> i == 5);
        List<String> polled = new ArrayList<>();
        params.waitOptions(
                WaitOptions.builder().onProgress(b -> polled.add(b.getId())).build());

        BatchRunResult run = client.llm().batches().run(params.build());

        assertThat(run.batchIds()).hasSize(3).doesNotHaveDuplicates();
        assertThat(view(run)).containsExactlyElementsOf(expected(7, Set.of(5)));
        assertThat(sandbox.requestCount(SandboxOperation.UPLOAD_FILE)).isEqualTo(3);
        assertThat(sandbox.requestCount(SandboxOperation.CREATE)).isEqualTo(3);
        List<Integer> sizes = new ArrayList<>();
        for (String id : run.batchIds()) {
            BatchObject batch = client.llm().batches().get(id);
            sizes.add(sandbox.fileContent(batch.getInputFileId()).orElseThrow().split("\n").length);
        }
        assertThat(sizes).containsExactly(3, 3, 1);
        try (Stream<Outcome> outcomes = run.outcomes()) {
            assertThat(outcomes.map(Outcome::batchId))
                    .containsExactly(
                            run.batchIds().get(0),
                            run.batchIds().get(0),
                            run.batchIds().get(0),
                            run.batchIds().get(1),
                            run.batchIds().get(1),
                            run.batchIds().get(1),
                            run.batchIds().get(2));
        }
        // The wait's own callback sees each batch; the run's callback sees their sum.
        assertThat(polled).containsAll(run.batchIds());
    }

    @Test
    void splitsByBytes(Mka1Sandbox sandbox, Mka1Client client) {
        BatchRunParams.Builder params = BatchRunParams.builder()
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .workDir(tmp.resolve("run"));
        for (int i = 1; i <= 5; i++) {
            params.addRequest("q" + i, chat("question " + i, false));
        }
        long lineBytes = BatchInputLine.of("q1", "/v1/chat/completions", chat("question 1", false))
                        .toJson()
                        .getBytes(StandardCharsets.UTF_8)
                        .length
                + 1L;
        long limit = 2 * lineBytes + lineBytes / 2; // room for two lines, not three

        BatchRunResult run =
                client.llm().batches().run(params.maxBytesPerBatch(limit).build());

        assertThat(view(run)).containsExactlyElementsOf(expected(5, Set.of()));
        assertThat(run.batchIds()).hasSize(3);
        for (String id : run.batchIds()) {
            FileObject input =
                    client.llm().files().get(client.llm().batches().get(id).getInputFileId());
            assertThat(input.getBytes()).isLessThanOrEqualTo(limit);
        }
        assertThat(sandbox.requestCount(SandboxOperation.UPLOAD_FILE)).isEqualTo(3);
    }

    @Test
    void takesAnExistingJsonlFileAndLeavesItUnchanged(Mka1Client client) throws IOException {
        Path input = tmp.resolve("requests.jsonl");
        try (BatchInputWriter writer = BatchInputWriter.create(input, BatchEndpoint.CHAT_COMPLETIONS)) {
            for (int i = 1; i <= 4; i++) {
                writer.write("q" + i, chat("question " + i, i == 4));
            }
        }
        byte[] before = Files.readAllBytes(input);

        BatchRunResult run = client.llm()
                .batches()
                .run(BatchRunParams.builder()
                        .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                        .inputFile(input)
                        .maxRequestsPerBatch(2)
                        .workDir(tmp.resolve("run"))
                        .build());

        assertThat(view(run)).containsExactlyElementsOf(expected(4, Set.of(4)));
        assertThat(run.batchIds()).hasSize(2);
        assertThat(Files.readAllBytes(input)).isEqualTo(before);
    }

    @Test
    void iteratesALazyIterableOnce(Mka1Client client) {
        AtomicInteger iterations = new AtomicInteger();
        Iterable<BatchInputLine> requests = () -> {
            iterations.incrementAndGet();
            return new Iterator<BatchInputLine>() {
                int i;

                @Override
                public boolean hasNext() {
                    return i < 5;
                }

                @Override
                public BatchInputLine next() {
                    i++;
                    return BatchInputLine.of("q" + i, "/v1/chat/completions", chat("question " + i, false));
                }
            };
        };

        BatchRunResult run = client.llm()
                .batches()
                .run(BatchRunParams.builder()
                        .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                        .requests(requests)
                        .workDir(tmp.resolve("run"))
                        .build());

        assertThat(view(run)).containsExactlyElementsOf(expected(5, Set.of()));
        assertThat(iterations).hasValue(1);
    }

    @Test
    void theManifestRecordsTheKeysSentAndNeverTheApiKey(Mka1Sandbox sandbox, Mka1Client client) {
        Path dir = tmp.resolve("run");
        BatchRunResult run = client.llm()
                .batches()
                .run(BatchRunParams.builder()
                        .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                        .addRequest("q1", chat("question 1", false))
                        .addRequest("q2", chat("question 2", false))
                        .maxRequestsPerBatch(1)
                        .putMetadata("job", "nightly")
                        .workDir(dir)
                        .build());

        String text = RunSupport.read(dir.resolve("manifest.json"));
        assertThat(text)
                .doesNotContain(sandbox.apiKey())
                .doesNotContainIgnoringCase("bearer")
                .doesNotContainIgnoringCase("authorization");
        JsonObject manifest = RunSupport.manifest(dir);
        assertThat(manifest.get("format").getAsString()).isEqualTo("mka1-batch-run");
        assertThat(manifest.get("version").getAsInt()).isEqualTo(1);
        assertThat(manifest.get("done").getAsBoolean()).isTrue();
        assertThat(manifest.getAsJsonObject("metadata").get("job").getAsString())
                .isEqualTo("nightly");
        for (int n = 1; n <= 2; n++) {
            JsonObject part = RunSupport.part(dir, n);
            SandboxRequest upload =
                    sandbox.requests(SandboxOperation.UPLOAD_FILE).get(n - 1);
            SandboxRequest create = sandbox.requests(SandboxOperation.CREATE).get(n - 1);
            assertThat(upload.header("Idempotency-Key"))
                    .contains(part.get("upload_key").getAsString());
            assertThat(create.header("Idempotency-Key"))
                    .contains(part.get("create_key").getAsString());
            assertThat(part.get("batch_id").getAsString())
                    .isEqualTo(run.batchIds().get(n - 1));
            assertThat(part.get("status").getAsString()).isEqualTo("completed");
            assertThat(part.get("output_downloaded").getAsBoolean()).isTrue();
        }
        // The batches carry the run's metadata.
        assertThat(client.llm().batches().get(run.batchIds().get(1)).getMetadata())
                .containsEntry("job", "nightly");
        assertThat(run.toString()).doesNotContain(sandbox.apiKey());
    }

    private static BatchRunParams.Builder sixInTwoBatches(Path dir) {
        return RunSupport.params(dir, 6, 3, i -> i % 3 == 0);
    }

    @Test
    void progressIsReportedWhenItChangesAndSummedOverTheBatches(Mka1Client client) {
        List<BatchRunParams.Progress> progress = new ArrayList<>();
        client.llm()
                .batches()
                .run(sixInTwoBatches(tmp.resolve("run"))
                        .onProgress(progress::add)
                        .build());

        assertThat(progress).hasSizeGreaterThan(2);
        for (int i = 1; i < progress.size(); i++) {
            BatchRunParams.Progress before = progress.get(i - 1);
            BatchRunParams.Progress after = progress.get(i);
            assertThat(after).as("report %d", i).isNotEqualTo(before);
            assertThat(after.batchesFinished()).isGreaterThanOrEqualTo(before.batchesFinished());
            assertThat(after.completed() + after.failed()).isGreaterThanOrEqualTo(before.completed() + before.failed());
        }
        BatchRunParams.Progress last = progress.get(progress.size() - 1);
        assertThat(last.batches()).isEqualTo(2);
        assertThat(last.batchesFinished()).isEqualTo(2);
        assertThat(last.requests()).isEqualTo(6);
        assertThat(last.total()).isEqualTo(6);
        assertThat(last.completed()).isEqualTo(4);
        assertThat(last.failed()).isEqualTo(2);
        assertThat(last).hasToString("2/2 batches finished, 6/6 requests done (2 failed)");
        assertThat(progress.get(0))
                .hasToString("0/2 batches finished, "
                        + (progress.get(0).completed() + progress.get(0).failed()) + "/6 requests done ("
                        + progress.get(0).failed() + " failed)");
        assertThat(last).isNotEqualTo(last.toString());
        assertThat(progress.stream()
                        .map(BatchRunParams.Progress::hashCode)
                        .distinct()
                        .count())
                .as("hash codes of different progress")
                .isGreaterThan(1);

        // The same run again (the sandbox's clock only moves with the client's waits) reports the same.
        List<BatchRunParams.Progress> again = new ArrayList<>();
        client.llm()
                .batches()
                .run(sixInTwoBatches(tmp.resolve("again"))
                        .onProgress(again::add)
                        .build());
        assertThat(again).isEqualTo(progress);
        for (int i = 0; i < progress.size(); i++) {
            assertThat(again.get(i)).isNotSameAs(progress.get(i)).hasSameHashCodeAs(progress.get(i));
        }
    }

    @Test
    void progressOnResumeCountsTheBatchesThatEndedBefore(Mka1Client client) {
        Path dir = tmp.resolve("run");
        client.llm().batches().run(sixInTwoBatches(dir).build());
        // As if the run had stopped while part 2 was still running.
        JsonObject manifest = RunSupport.manifest(dir);
        JsonObject part2 = manifest.getAsJsonArray("parts").get(1).getAsJsonObject();
        for (String field : List.of(
                "status",
                "output_file_id",
                "error_file_id",
                "output_downloaded",
                "errors_downloaded",
                "request_counts",
                "joined")) {
            part2.remove(field);
        }
        manifest.getAsJsonArray("parts").get(0).getAsJsonObject().remove("joined");
        manifest.addProperty("done", false);
        RunSupport.writeManifest(dir, manifest);
        List<BatchRunParams.Progress> progress = new ArrayList<>();

        BatchRunResult run = client.llm().batches().resumeRun(dir, WaitOptions.defaults(), progress::add);

        assertThat(view(run)).containsExactlyElementsOf(expected(6, Set.of(3, 6)));
        assertThat(progress)
                .last()
                .hasToString("2/2 batches finished, 6/6 requests done (2 failed)")
                .satisfies(p -> assertThat(p.total()).isEqualTo(6));
    }

    @Test
    void outcomesReadTwiceAreEqualAndShowWhatBecameOfTheRequest(Mka1Client client) {
        BatchRunResult run = client.llm()
                .batches()
                .run(BatchRunParams.builder()
                        .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                        .addRequest("q1", chat("question 1", false))
                        .addRequest("q2", chat("question 2", true))
                        .workDir(tmp.resolve("run"))
                        .build());
        List<Outcome> first;
        List<Outcome> second;
        try (Stream<Outcome> outcomes = run.outcomes()) {
            first = outcomes.collect(Collectors.toList());
        }
        try (Stream<Outcome> outcomes = run.outcomes()) {
            second = outcomes.collect(Collectors.toList());
        }
        assertThat(second).isEqualTo(first);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i))
                    .isNotSameAs(first.get(i))
                    .hasSameHashCodeAs(first.get(i))
                    .hasToString(first.get(i).toString());
        }
        assertThat(first.get(0)).isNotEqualTo(first.get(1)).isNotEqualTo("q1");
        assertThat(first.get(0).hashCode()).isNotEqualTo(first.get(1).hashCode());
        assertThat(first.get(0).toString())
                .startsWith("Outcome{q1 SUCCEEDED, ")
                .contains(first.get(0).result().toString());
        assertThat(first.get(1).toString()).startsWith("Outcome{q2 FAILED, ");
        if (RunSupport.canCountHandles()) {
            assertThat(RunSupport.openHandles(run.workDir()))
                    .as("files left open by the closed streams")
                    .isZero();
        }
        assertThat(run)
                .hasToString("BatchRunResult{workDir=" + tmp.resolve("run") + ", batches=1, total=2, succeeded=1,"
                        + " failed=1, missing=0, unmatchedResults=0}");
    }

    @Test
    void aDamagedResultsLineIsReportedWithItsNumber(Mka1Client client) throws IOException {
        BatchRunResult run = client.llm()
                .batches()
                .run(BatchRunParams.builder()
                        .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                        .addRequest("q1", chat("question 1", false))
                        .addRequest("q2", chat("question 2", true))
                        .addRequest("q3", chat("question 3", false))
                        .workDir(tmp.resolve("run"))
                        .build());
        List<String> lines = Files.readAllLines(run.resultsFile(), StandardCharsets.UTF_8);
        lines.set(2, lines.get(2).replace("\"outcome\":\"succeeded\"", "\"outcome\":\"weird\""));
        Files.write(run.resultsFile(), lines, StandardCharsets.UTF_8);

        try (Stream<Outcome> outcomes = run.outcomes()) {
            assertThatThrownBy(() -> outcomes.collect(Collectors.toList()))
                    .hasMessageContaining("line 3")
                    .hasMessageContaining("weird");
        }
    }

    @Test
    void aBatchOfManyRequestsJoinsEachToItsResult(Mka1Client client) {
        BatchRunParams.Builder params = BatchRunParams.builder()
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .workDir(tmp.resolve("run"));
        Set<Integer> failing = new java.util.HashSet<>();
        for (int i = 1; i <= 2500; i++) {
            params.addRequest("q" + i, chat("question " + i, i % 7 == 0));
            if (i % 7 == 0) {
                failing.add(i);
            }
        }

        BatchRunResult run = client.llm().batches().run(params.build());

        assertThat(run.batchIds()).hasSize(1);
        assertThat(view(run)).containsExactlyElementsOf(expected(2500, failing));
    }

    @Test
    void resumingAFinishedRunSendsNothingAndGivesTheSameResult(Mka1Sandbox sandbox, Mka1Client client)
            throws IOException {
        Path dir = tmp.resolve("run");
        BatchRunResult first = client.llm()
                .batches()
                .run(BatchRunParams.builder()
                        .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                        .addRequest("q1", chat("question 1", false))
                        .addRequest("q2", chat("question 2", true))
                        .workDir(dir)
                        .build());
        byte[] results = Files.readAllBytes(first.resultsFile());
        int requests = sandbox.requestCount();

        BatchRunResult again = client.llm().batches().resumeRun(dir);

        assertThat(sandbox.requestCount()).isEqualTo(requests);
        assertThat(again.toString()).isEqualTo(first.toString());
        assertThat(Files.readAllBytes(again.resultsFile())).isEqualTo(results);
    }

    @Test
    void aWorkDirHoldingARunIsRefusedBeforeAnyRequest(Mka1Sandbox sandbox, Mka1Client client) throws IOException {
        Path dir = tmp.resolve("run");
        BatchRunParams params = BatchRunParams.builder()
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .addRequest("q1", chat("question 1", false))
                .workDir(dir)
                .build();
        client.llm().batches().run(params);
        int requests = sandbox.requestCount();

        assertThatThrownBy(() -> client.llm().batches().run(params))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already holds a batch run")
                .hasMessageContaining("resumeRun");
        Path file = Files.createFile(tmp.resolve("a-file"));
        assertThatThrownBy(() -> client.llm()
                        .batches()
                        .run(BatchRunParams.builder()
                                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                                .addRequest("q1", chat("question 1", false))
                                .workDir(file)
                                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a directory");
        assertThat(sandbox.requestCount()).isEqualTo(requests);
    }

    @Test
    void withoutAWorkDirTheRunUsesANewTemporaryDirectory(Mka1Client client) throws IOException {
        BatchRunResult run = client.llm()
                .batches()
                .run(BatchRunParams.builder()
                        .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                        .addRequest("q1", chat("question 1", false))
                        .build());
        try {
            assertThat(run.workDir()).isDirectory();
            assertThat(run.workDir().getFileName().toString()).startsWith("mka1-batch-run-");
            assertThat(view(run)).containsExactlyElementsOf(expected(1, Set.of()));
        } finally {
            try (Stream<Path> files = Files.walk(run.workDir())) {
                for (Path file :
                        files.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                    Files.delete(file);
                }
            }
        }
    }
}
