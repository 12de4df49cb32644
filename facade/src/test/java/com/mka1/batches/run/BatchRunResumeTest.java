package com.mka1.batches.run;

import static com.mka1.batches.run.RunSupport.expected;
import static com.mka1.batches.run.RunSupport.keys;
import static com.mka1.batches.run.RunSupport.part;
import static com.mka1.batches.run.RunSupport.uploadedParts;
import static com.mka1.batches.run.RunSupport.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.errors.WaitTimeoutException;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.sandbox.FaultSpec;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxOperation;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that died at any point, resumed from its work directory, ends with the results an
 * uninterrupted run gives, and the server saw one file and one batch per part. The deaths are
 * real failures at those points (a fault the client, without retries, gives up on), or the work
 * directory as a kill leaves it (a manifest and a results file cut short).
 */
@ExtendWith(SandboxExtension.class)
class BatchRunResumeTest {
    /** q1..q5, q2 failing, three to a batch: two parts. */
    private static final List<String> EXPECTED = expected(5, Set.of(2));

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

    private BatchRunParams params() {
        return params(WaitOptions.defaults());
    }

    private BatchRunParams params(WaitOptions waitOptions) {
        return RunSupport.params(dir, 5, 3, i -> i == 2)
                .waitOptions(waitOptions)
                .build();
    }

    /**
     * Runs with a client that gives up at the first failure, which the test has arranged: no retry,
     * no outage waited out.
     */
    private void runUntilItDies(Class<? extends Throwable> failure) {
        try (Mka1Client noRetries = SandboxExtension.clientBuilder(sandbox)
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .build()) {
            WaitOptions giveUp =
                    WaitOptions.builder().outageBudget(Duration.ZERO).build();
            assertThatThrownBy(() -> noRetries.llm().batches().run(params(giveUp)))
                    .isInstanceOf(failure);
        }
        assertThat(sandbox.pendingFaults()).isZero();
    }

    private BatchRunResult resumeAndCheck() {
        BatchRunResult run = client.llm().batches().resumeRun(dir);
        assertThat(view(run)).containsExactlyElementsOf(EXPECTED);
        assertThat(run.batchIds()).hasSize(2);
        // One file and one batch per part on the server, whatever was sent twice.
        assertThat(uploadedParts(client)).hasSize(2);
        assertThat(keys(sandbox, SandboxOperation.UPLOAD_FILE)).hasSize(2);
        assertThat(keys(sandbox, SandboxOperation.CREATE)).hasSize(2);
        List<String> batches = new ArrayList<>();
        client.llm().batches().list(ListBatchesParams.none()).autoPager().forEach(b -> batches.add(b.getId()));
        assertThat(batches).containsExactlyInAnyOrderElementsOf(run.batchIds());
        return run;
    }

    @Test
    void diedAfterTheUploadKeyWasRecordedBeforeTheUploadWasSent() {
        sandbox.injectFault(FaultSpec.status(503).on(SandboxOperation.UPLOAD_FILE));
        runUntilItDies(ApiException.class);
        assertThat(part(dir, 1).has("upload_key")).isTrue();
        assertThat(part(dir, 1).has("input_file_id")).isFalse();
        assertThat(uploadedParts(client)).isEmpty();

        resumeAndCheck();
        assertThat(sandbox.requestCount(SandboxOperation.UPLOAD_FILE))
                .isEqualTo(3); // the refused one, then one per part
    }

    @Test
    void diedAfterTheUploadBeforeItsFileIdWasRecorded() {
        // The server made the file; its answer never arrived.
        sandbox.injectFault(
                FaultSpec.status(502).on(SandboxOperation.UPLOAD_FILE).afterProcessing());
        runUntilItDies(ApiException.class);
        assertThat(part(dir, 1).has("input_file_id")).isFalse();
        assertThat(uploadedParts(client)).hasSize(1);
        String key = part(dir, 1).get("upload_key").getAsString();

        resumeAndCheck();
        // The same key again: the server answered with the file it had made.
        assertThat(sandbox.requests(SandboxOperation.UPLOAD_FILE).get(1).header("Idempotency-Key"))
                .contains(key);
        assertThat(sandbox.requests(SandboxOperation.UPLOAD_FILE)).hasSize(3);
    }

    @Test
    void diedAfterTheFileIdWasRecordedBeforeTheBatchWasCreated() {
        sandbox.injectFault(FaultSpec.status(503).on(SandboxOperation.CREATE));
        runUntilItDies(ApiException.class);
        assertThat(part(dir, 1).has("input_file_id")).isTrue();
        assertThat(part(dir, 1).has("create_key")).isTrue();
        assertThat(part(dir, 1).has("batch_id")).isFalse();

        resumeAndCheck();
        assertThat(sandbox.requestCount(SandboxOperation.UPLOAD_FILE)).isEqualTo(2);
    }

    @Test
    void diedAfterTheCreateBeforeTheBatchIdWasRecorded() {
        sandbox.injectFault(FaultSpec.status(502).on(SandboxOperation.CREATE).afterProcessing());
        runUntilItDies(ApiException.class);
        assertThat(part(dir, 1).has("batch_id")).isFalse();
        List<BatchObject> made = new ArrayList<>();
        client.llm().batches().list(ListBatchesParams.none()).autoPager().forEach(made::add);
        assertThat(made).hasSize(1);

        BatchRunResult run = resumeAndCheck();
        assertThat(run.batchIds().get(0)).isEqualTo(made.get(0).getId());
        assertThat(sandbox.requestCount(SandboxOperation.UPLOAD_FILE)).isEqualTo(2);
        assertThat(sandbox.requestCount(SandboxOperation.CREATE)).isEqualTo(3);
    }

    @Test
    void diedWhileWaiting() {
        sandbox.injectFault(FaultSpec.status(500).on(SandboxOperation.GET));
        runUntilItDies(ApiException.class);
        assertThat(part(dir, 2).has("batch_id")).isTrue();
        assertThat(part(dir, 1).has("status")).isFalse();

        resumeAndCheck();
        assertThat(sandbox.requestCount(SandboxOperation.UPLOAD_FILE)).isEqualTo(2);
        assertThat(sandbox.requestCount(SandboxOperation.CREATE)).isEqualTo(2);
    }

    @Test
    void aWaitThatTimesOutLeavesTheRunResumable() {
        BatchRunParams params = params();
        assertThatThrownBy(() -> client.llm()
                        .batches()
                        .run(BatchRunParams.builder()
                                .endpoint(params.endpoint())
                                .requests(params.requests())
                                .maxRequestsPerBatch(3)
                                .workDir(dir)
                                .waitOptions(WaitOptions.builder()
                                        .timeout(Duration.ofSeconds(3))
                                        .build())
                                .build()))
                .isInstanceOf(WaitTimeoutException.class);

        resumeAndCheck();
        assertThat(sandbox.requestCount(SandboxOperation.CREATE)).isEqualTo(2);
    }

    @Test
    void diedWhileDownloading() throws IOException {
        sandbox.injectFault(FaultSpec.cutBodyAfter(20).on(SandboxOperation.GET_FILE_CONTENT));
        runUntilItDies(Mka1IoException.class);
        assertThat(part(dir, 1).get("status").getAsString()).isEqualTo("completed");
        assertThat(part(dir, 1).get("output_downloaded").getAsBoolean()).isFalse();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.contains("output"));
        }

        resumeAndCheck();
        assertThat(sandbox.requestCount(SandboxOperation.UPLOAD_FILE)).isEqualTo(2);
        assertThat(sandbox.requestCount(SandboxOperation.CREATE)).isEqualTo(2);
    }

    @Test
    void killedBetweenTheOutputAndTheErrorDownload() throws IOException {
        BatchRunResult done = client.llm().batches().run(params());
        byte[] results = Files.readAllBytes(done.resultsFile());
        // What a kill right after part 1's output file came down leaves behind.
        JsonObject manifest = RunSupport.manifest(dir);
        JsonObject part1 = manifest.getAsJsonArray("parts").get(0).getAsJsonObject();
        part1.addProperty("errors_downloaded", false);
        Files.delete(dir.resolve("part-0001.errors.jsonl"));
        Files.write(dir.resolve(".part-0001.errors.jsonl.12345.part"), new byte[] {'{'});
        for (int i = 0; i < 2; i++) {
            manifest.getAsJsonArray("parts").get(i).getAsJsonObject().remove("joined");
        }
        manifest.addProperty("done", false);
        RunSupport.writeManifest(dir, manifest);
        Files.delete(done.resultsFile());
        int requests = sandbox.requestCount();
        int downloads = sandbox.requestCount(SandboxOperation.GET_FILE_CONTENT);

        BatchRunResult run = resumeAndCheck();

        assertThat(sandbox.requestCount(SandboxOperation.GET_FILE_CONTENT)).isEqualTo(downloads + 1);
        assertThat(sandbox.requests().subList(requests, sandbox.requestCount()))
                .extracting(r -> r.operation().orElseThrow())
                .startsWith(SandboxOperation.GET_FILE_CONTENT);
        assertThat(Files.readAllBytes(run.resultsFile())).isEqualTo(results);
        assertThat(dir.resolve(".part-0001.errors.jsonl.12345.part")).doesNotExist();
    }

    @Test
    void killedWhileJoiningTheSecondPart() throws IOException {
        BatchRunResult done = client.llm().batches().run(params());
        byte[] results = Files.readAllBytes(done.resultsFile());
        long firstPartEnd =
                part(dir, 1).getAsJsonObject("joined").get("results_end").getAsLong();
        JsonObject manifest = RunSupport.manifest(dir);
        manifest.getAsJsonArray("parts").get(1).getAsJsonObject().remove("joined");
        manifest.addProperty("done", false);
        RunSupport.writeManifest(dir, manifest);
        // Part 2's lines were being written when the process died: half a line is on disk.
        byte[] cut = Arrays.copyOf(results, (int) firstPartEnd + 30);
        Files.write(done.resultsFile(), cut);
        int requests = sandbox.requestCount();

        BatchRunResult run = client.llm().batches().resumeRun(dir);

        assertThat(sandbox.requestCount()).isEqualTo(requests);
        assertThat(Files.readAllBytes(run.resultsFile())).isEqualTo(results);
        assertThat(view(run)).containsExactlyElementsOf(EXPECTED);
        assertThat(RunSupport.manifest(dir).get("done").getAsBoolean()).isTrue();
    }

    @Test
    void killedWhileJoiningTheFirstPart() throws IOException {
        BatchRunResult done = client.llm().batches().run(params());
        byte[] results = Files.readAllBytes(done.resultsFile());
        JsonObject manifest = RunSupport.manifest(dir);
        for (int i = 0; i < 2; i++) {
            manifest.getAsJsonArray("parts").get(i).getAsJsonObject().remove("joined");
        }
        manifest.addProperty("done", false);
        RunSupport.writeManifest(dir, manifest);
        Files.write(done.resultsFile(), Arrays.copyOf(results, 100));
        Files.write(done.unmatchedResultsFile(), "{\"half".getBytes(StandardCharsets.UTF_8));

        BatchRunResult run = client.llm().batches().resumeRun(dir);

        assertThat(Files.readAllBytes(run.resultsFile())).isEqualTo(results);
        assertThat(run.unmatchedResultsFile()).isEmptyFile();
        assertThat(run.toString()).isEqualTo(done.toString());
    }

    @Test
    void aPartChangedBeforeItsUploadIsRefused() throws IOException {
        sandbox.injectFault(FaultSpec.status(503).on(SandboxOperation.UPLOAD_FILE));
        runUntilItDies(ApiException.class);
        Files.write(dir.resolve("part-0001.jsonl"), "{}\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        assertThatThrownBy(() -> client.llm().batches().resumeRun(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("part-0001.jsonl changed since the run wrote it");
        assertThat(sandbox.requestCount(SandboxOperation.UPLOAD_FILE)).isEqualTo(1);
    }

    /** The parts are checked when the run resumes, before anything is sent: a changed second part stops the first's upload too. */
    @Test
    void aLaterPartChangedBeforeItsUploadIsRefusedBeforeAnythingIsSent() throws IOException {
        sandbox.injectFault(FaultSpec.status(503).on(SandboxOperation.UPLOAD_FILE));
        runUntilItDies(ApiException.class);
        Files.write(dir.resolve("part-0002.jsonl"), "{}\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        assertThatThrownBy(() -> client.llm().batches().resumeRun(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("part-0002.jsonl changed since the run wrote it");
        assertThat(sandbox.requestCount(SandboxOperation.UPLOAD_FILE)).isEqualTo(1);
    }

    @Test
    void aWorkDirWithoutARunOrWithAnotherManifestVersionIsRefusedClearly() throws IOException {
        Files.createDirectories(dir);
        assertThatThrownBy(() -> client.llm().batches().resumeRun(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no manifest.json");
        assertThatThrownBy(() -> client.llm().batches().resumeRun(tmp.resolve("nowhere")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");

        RunSupport.write(dir.resolve("manifest.json"), "{\"format\":\"mka1-batch-run\",\"version\":2,\"parts\":[]}");
        assertThatThrownBy(() -> client.llm().batches().resumeRun(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 2")
                .hasMessageContaining("reads version 1 only");
        assertThatThrownBy(() -> client.async().llm().batches().resumeRun(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 2");

        RunSupport.write(dir.resolve("manifest.json"), "{\"format\":\"mka1-batch-run\",\"parts\":[]}");
        assertThatThrownBy(() -> client.llm().batches().resumeRun(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("of version (missing), but");
        RunSupport.write(
                dir.resolve("manifest.json"),
                "{\"format\":\"mka1-batch-run\",\"version\":1,"
                        + "\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\",\"parts\":[]}");
        assertThatThrownBy(() -> client.llm().batches().resumeRun(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "is a damaged batch run manifest: it lacks its endpoint, completion window or parts");
        for (String part : List.of(
                "{\"number\":2,\"file\":\"part-0001.jsonl\"}",
                "{\"number\":1,\"file\":\"../x.jsonl\"}",
                "{\"number\":1,\"file\":\"a\\\\b.jsonl\"}",
                "{\"number\":1,\"file\":\".hidden\"}",
                "{\"number\":1}")) {
            RunSupport.write(
                    dir.resolve("manifest.json"),
                    "{\"format\":\"mka1-batch-run\",\"version\":1,"
                            + "\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\",\"parts\":[" + part
                            + "]}");
            assertThatThrownBy(() -> client.llm().batches().resumeRun(dir))
                    .as(part)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(
                            "is a damaged batch run manifest: part 1 is missing or names no file of the work directory");
        }
        RunSupport.write(dir.resolve("manifest.json"), "{\"format\":\"something-else\",\"version\":1}");
        assertThatThrownBy(() -> client.llm().batches().resumeRun(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a batch run manifest");
        RunSupport.write(dir.resolve("manifest.json"), "{\"format\":\"mka1-batch-run\",\"ver");
        assertThatThrownBy(() -> client.llm().batches().resumeRun(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a batch run manifest");
        assertThat(sandbox.requests()).isEmpty();
    }

    @Test
    void oneRunAtATimePerWorkDir() throws IOException {
        sandbox.injectFault(FaultSpec.status(503).on(SandboxOperation.UPLOAD_FILE));
        runUntilItDies(ApiException.class);
        int requests = sandbox.requestCount();
        try (FileChannel lockFile = FileChannel.open(dir.resolve("run.lock"), StandardOpenOption.WRITE)) {
            FileLock held = lockFile.lock();
            assertThatThrownBy(() -> client.llm().batches().resumeRun(dir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another run");
            held.release();
        }
        assertThat(sandbox.requestCount()).isEqualTo(requests);
        resumeAndCheck();
    }

    @Test
    void aRunJoinedWhoseManifestIsNotMarkedDoneFinishesWithoutARequest() throws IOException {
        BatchRunResult done = client.llm().batches().run(params());
        byte[] results = Files.readAllBytes(done.resultsFile());
        // Killed after the last part was joined, before the run was marked done.
        JsonObject manifest = RunSupport.manifest(dir);
        manifest.addProperty("done", false);
        RunSupport.writeManifest(dir, manifest);
        int requests = sandbox.requestCount();

        BatchRunResult run = client.llm().batches().resumeRun(dir);
        BatchRunResult again = client.llm().batches().resumeRun(dir);

        assertThat(sandbox.requestCount()).isEqualTo(requests);
        assertThat(Files.readAllBytes(run.resultsFile())).isEqualTo(results);
        assertThat(RunSupport.manifest(dir).get("done").getAsBoolean()).isTrue();
        assertThat(again.toString()).isEqualTo(done.toString());
    }

    @Test
    void aResultsFileShorterThanTheJoinedPartsWroteIsRefused() throws IOException {
        BatchRunResult done = client.llm().batches().run(params());
        JsonObject manifest = RunSupport.manifest(dir);
        manifest.addProperty("done", false);
        RunSupport.writeManifest(dir, manifest);
        Files.write(done.resultsFile(), Arrays.copyOf(Files.readAllBytes(done.resultsFile()), 10));

        assertThatThrownBy(() -> client.llm().batches().resumeRun(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(
                        "results.jsonl is shorter (10 bytes) than the parts the manifest says were joined wrote");
        if (RunSupport.canCountHandles()) {
            assertThat(RunSupport.openHandles(dir))
                    .as("files left open in the work directory")
                    .isZero();
        }
    }

    @Test
    void aRunAndItsResumesLeaveNoFileOpen() throws IOException {
        assumeTrue(RunSupport.canCountHandles(), "counts open files through /proc/self/fd");
        sandbox.injectFault(FaultSpec.status(503).on(SandboxOperation.UPLOAD_FILE));
        runUntilItDies(ApiException.class);
        assertThat(RunSupport.openHandles(dir)).isZero();
        try (FileChannel lockFile = FileChannel.open(dir.resolve("run.lock"), StandardOpenOption.WRITE)) {
            FileLock held = lockFile.lock();
            assertThatThrownBy(() -> client.llm().batches().resumeRun(dir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another run");
            assertThat(RunSupport.openHandles(dir))
                    .as("only the test's own lock file")
                    .isEqualTo(1);
            held.release();
        }
        resumeAndCheck();
        assertThat(RunSupport.openHandles(dir)).isZero();
        client.llm().batches().resumeRun(dir);
        assertThat(RunSupport.openHandles(dir)).isZero();
    }
}
