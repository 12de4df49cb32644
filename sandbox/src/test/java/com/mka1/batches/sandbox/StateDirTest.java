package com.mka1.batches.sandbox;

import static com.mka1.batches.sandbox.Fixtures.chatFile;
import static com.mka1.batches.sandbox.TestApi.CHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import com.mka1.batches.models.FileObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sandbox with a state dir: a sandbox started again on it carries on where the last one stopped. */
class StateDirTest {
    private static final Duration STEP = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private final SandboxClock clock = SandboxClock.fixed(Fixtures.T0);

    private Mka1Sandbox start(String... keys) {
        return Mka1Sandbox.builder()
                .clock(clock)
                .stepDuration(STEP)
                .apiKeys(keys.length == 0 ? new String[] {"sk-a"} : keys)
                .stateDir(dir)
                .start();
    }

    @Test
    void aRestartedSandboxServesTheSameFilesAndBatchesAndTheBatchKeepsMovingWithTheClock() {
        byte[] binary = {0, (byte) 0xff, (byte) 0xfe, '\n', 'x', (byte) 0x80};
        String inputId;
        String binaryId;
        BatchObject before;
        List<FileObject> filesBefore;
        try (Mka1Sandbox first = start()) {
            TestApi api = new TestApi(first);
            inputId = api.uploadFile("in.jsonl", "batch", chatFile(4).getBytes(StandardCharsets.UTF_8))
                    .getId();
            binaryId = api.uploadFile("blob.bin", "user_data", binary).getId();
            JsonObject body = TestApi.GSON.fromJson(TestApi.createBody(inputId, CHAT), JsonObject.class);
            JsonObject metadata = new JsonObject();
            metadata.addProperty("run", "r-1");
            body.add("metadata", metadata);
            before = api.create(body.toString(), "Idempotency-Key", "create-1").batch();
            clock.advance(STEP.plusMillis(STEP.toMillis() / 2)); // half way through in_progress
            assertThat(api.getBatch(before.getId()).getRequestCounts().getCompleted())
                    .isEqualTo(2);
            filesBefore = api.listAllFiles(100, "");
        }

        try (Mka1Sandbox second = start()) {
            TestApi api = new TestApi(second);
            assertThat(api.content(inputId).bytes).isEqualTo(chatFile(4).getBytes(StandardCharsets.UTF_8));
            assertThat(api.content(binaryId).bytes).isEqualTo(binary);
            assertThat(api.listAllFiles(100, ""))
                    .usingRecursiveFieldByFieldElementComparator()
                    .isEqualTo(filesBefore);

            BatchObject after = api.getBatch(before.getId());
            assertThat(after.getStatus()).isEqualTo(BatchStatus.IN_PROGRESS);
            assertThat(after.getCreatedAt()).isEqualTo(before.getCreatedAt());
            assertThat(after.getInProgressAt()).isEqualTo(before.getCreatedAt() + STEP.getSeconds());
            assertThat(after.getMetadata()).containsExactly(java.util.Map.entry("run", "r-1"));
            assertThat(after.getRequestCounts().getCompleted()).isEqualTo(2);
            // The Idempotency-Key is remembered: the same create is a replay, not a second batch.
            JsonObject body = TestApi.GSON.fromJson(TestApi.createBody(inputId, CHAT), JsonObject.class);
            body.add("metadata", TestApi.GSON.fromJson("{\"run\":\"r-1\"}", JsonObject.class));
            TestApi.Reply replay = api.create(body.toString(), "Idempotency-Key", "create-1");
            assertThat(replay.batch().getId()).isEqualTo(before.getId());
            assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");

            clock.advance(STEP.multipliedBy(2));
            BatchObject completed = api.getBatch(before.getId());
            assertThat(completed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(customIds(api.content(completed.getOutputFileId()).body))
                    .containsExactly("req-1", "req-2", "req-3", "req-4");
        }
    }

    @Test
    void newIdsAfterARestartDoNotCollideAndFilesOfOneSecondKeepTheirOrder() {
        String firstFile;
        String secondFile;
        String firstBatch;
        try (Mka1Sandbox first = start()) {
            TestApi api = new TestApi(first);
            firstFile = api.uploadFile("a.jsonl", "batch", chatFile(1).getBytes(StandardCharsets.UTF_8))
                    .getId();
            secondFile = api.uploadFile("b.jsonl", "batch", chatFile(1).getBytes(StandardCharsets.UTF_8))
                    .getId();
            firstBatch = api.createBatch(firstFile, CHAT).getId();
        }
        try (Mka1Sandbox second = start()) {
            TestApi api = new TestApi(second);
            // Same second as the first two (the clock did not move): only the upload order sorts them.
            String thirdFile = api.uploadFile("c.jsonl", "batch", chatFile(1).getBytes(StandardCharsets.UTF_8))
                    .getId();
            String secondBatch = api.createBatch(secondFile, CHAT).getId();

            assertThat(api.listAllFiles(100, "order=asc").stream()
                            .map(FileObject::getId)
                            .collect(Collectors.toList()))
                    .startsWith(firstFile, secondFile, thirdFile)
                    .doesNotHaveDuplicates();
            assertThat(api.listAll(100).stream().map(BatchObject::getId).collect(Collectors.toList()))
                    .containsExactly(secondBatch, firstBatch);
        }
    }

    @Test
    void resultFilesWrittenBeforeARestartAreTheSameAfterIt() {
        BatchObject ended;
        String output;
        try (Mka1Sandbox first = start()) {
            TestApi api = new TestApi(first);
            String input = first.registerInputFile(chatFile(2));
            String batchId = api.createBatch(input, CHAT).getId();
            clock.advance(STEP.multipliedBy(3));
            ended = api.getBatch(batchId);
            output = api.content(ended.getOutputFileId()).body;
        }
        try (Mka1Sandbox second = start()) {
            TestApi api = new TestApi(second);
            BatchObject again = api.getBatch(ended.getId());
            assertThat(again.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(again.getOutputFileId()).isEqualTo(ended.getOutputFileId());
            assertThat(api.content(again.getOutputFileId()).body).isEqualTo(output);
        }
    }

    @Test
    void aBatchWhoseInputFileWasDeletedStillCompletesAfterARestartAndTheDeletedFileStaysGone() {
        String batchId;
        String inputId;
        String unusedId;
        try (Mka1Sandbox first = start()) {
            TestApi api = new TestApi(first);
            inputId = first.registerInputFile(chatFile(3));
            unusedId = first.registerInputFile(chatFile(1));
            batchId = api.createBatch(inputId, CHAT).getId();
            assertThat(api.deleteFile(inputId).status).isEqualTo(200);
            assertThat(api.deleteFile(unusedId).status).isEqualTo(200);
        }
        // The bytes of a deleted file no batch needs are gone from disk too.
        assertThat(dir.resolve("files").resolve(unusedId)).doesNotExist();
        try (Mka1Sandbox second = start()) {
            TestApi api = new TestApi(second);
            assertThat(api.getFile(inputId).status).isEqualTo(404);
            clock.advance(STEP.multipliedBy(3));
            BatchObject done = api.getBatch(batchId);
            assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(done.getRequestCounts().getCompleted()).isEqualTo(3);
        }
    }

    @Test
    void whatBelongsToOneKeyStillBelongsToItAndNoKeyIsWrittenToDisk() throws Exception {
        String fileOfB;
        try (Mka1Sandbox first = start("sk-a-secret-1", "sk-b-secret-2")) {
            fileOfB = new TestApi(first)
                    .withKey("sk-b-secret-2")
                    .uploadFile("b.jsonl", "batch", chatFile(1).getBytes(StandardCharsets.UTF_8))
                    .getId();
        }
        String state = Files.readString(dir.resolve("state.json"));
        assertThat(state).contains(fileOfB).doesNotContain("sk-a-secret-1").doesNotContain("sk-b-secret-2");
        try (Mka1Sandbox second = start("sk-a-secret-1", "sk-b-secret-2")) {
            TestApi api = new TestApi(second);
            assertThat(api.getFile(fileOfB).status).isEqualTo(404);
            assertThat(api.withKey("sk-b-secret-2").getFile(fileOfB).status).isEqualTo(200);
        }
    }

    @Test
    void aCancelBeforeTheRestartEndsTheBatchAfterIt() {
        String batchId;
        try (Mka1Sandbox first = start()) {
            TestApi api = new TestApi(first);
            batchId =
                    api.createBatch(first.registerInputFile(chatFile(2)), CHAT).getId();
            assertThat(api.cancel(batchId).status).isEqualTo(200);
        }
        try (Mka1Sandbox second = start()) {
            TestApi api = new TestApi(second);
            assertThat(api.getBatch(batchId).getStatus()).isEqualTo(BatchStatus.CANCELLING);
            clock.advance(STEP);
            assertThat(api.getBatch(batchId).getStatus()).isEqualTo(BatchStatus.CANCELLED);
        }
    }

    @Test
    void aRestartedSandboxKeepsItsLedgerCountsAndABatchsPartWayExpiry() {
        // Batches of more than 2 lines expire after 2, only the first such batch.
        Mka1Sandbox.Builder misbehaving = Mka1Sandbox.builder()
                .clock(clock)
                .stepDuration(STEP)
                .apiKeys("sk-a")
                .expireAfterLines(2)
                .expiringBatches(1)
                .stateDir(dir);
        String expiring;
        try (Mka1Sandbox first = misbehaving.start()) {
            TestApi api = new TestApi(first);
            String small =
                    api.createBatch(first.registerInputFile(chatFile(2)), CHAT).getId();
            clock.advance(STEP.multipliedBy(3));
            assertThat(api.getBatch(small).getStatus()).isEqualTo(BatchStatus.COMPLETED);
            expiring =
                    api.createBatch(first.registerInputFile(chatFile(4)), CHAT).getId();
        }
        try (Mka1Sandbox second = misbehaving.start()) {
            TestApi api = new TestApi(second);
            assertThat(second.ledger().successfulExecutions()).containsOnly(entry("req-1", 1), entry("req-2", 1));
            // The first big batch was the one to expire part-way: the next one completes.
            String next =
                    api.createBatch(second.registerInputFile(chatFile(4)), CHAT).getId();
            clock.advance(STEP.multipliedBy(3));

            BatchObject expired = api.getBatch(expiring);
            assertThat(expired.getStatus()).isEqualTo(BatchStatus.EXPIRED);
            assertThat(expired.getRequestCounts().getCompleted()).isEqualTo(2);
            assertThat(api.getBatch(next).getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(second.ledger().successfulExecutions())
                    .containsOnly(entry("req-1", 3), entry("req-2", 3), entry("req-3", 1), entry("req-4", 1));
        }
    }

    @Test
    void aRestartedSandboxKeepsItsPerLineCountsAndWhichLinesABatchFailsOnPurpose() {
        // A line answered 500 in the first two batches that take it, then normally.
        JsonObject body = JsonParser.parseString(Fixtures.chatLine("x", "hi"))
                .getAsJsonObject()
                .getAsJsonObject("body");
        body.addProperty("sandbox_status", 500);
        body.addProperty("sandbox_times", 2);
        String input = Fixtures.line("flaky", "/v1/chat/completions", body);
        String beforeRestart;
        try (Mka1Sandbox first = start()) {
            beforeRestart = new TestApi(first)
                    .createBatch(first.registerInputFile(input), CHAT)
                    .getId();
        }
        try (Mka1Sandbox second = start()) {
            TestApi api = new TestApi(second);
            String secondBatch =
                    api.createBatch(second.registerInputFile(input), CHAT).getId();
            String thirdBatch =
                    api.createBatch(second.registerInputFile(input), CHAT).getId();
            clock.advance(STEP.multipliedBy(3));

            assertThat(api.getBatch(beforeRestart).getRequestCounts().getFailed())
                    .isEqualTo(1);
            assertThat(api.getBatch(secondBatch).getRequestCounts().getFailed()).isEqualTo(1);
            assertThat(api.getBatch(thirdBatch).getRequestCounts().getCompleted())
                    .isEqualTo(1);
        }
    }

    @Test
    void resetEmptiesTheStateDirToo() {
        try (Mka1Sandbox first = start()) {
            first.registerInputFile(chatFile(1));
            first.reset();
        }
        try (Mka1Sandbox second = start()) {
            assertThat(new TestApi(second).listAllFiles(100, "")).isEmpty();
        }
    }

    @Test
    void aCorruptStateFileIsAClearErrorNamingIt() throws Exception {
        Path state = dir.resolve("state.json");
        Files.writeString(state, "{\"version\": 1, \"files\": [");

        assertThatThrownBy(this::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the sandbox state " + state + " cannot be used: it is not valid JSON");
    }

    @Test
    void aStateOfAnotherVersionOrWithAFieldMissingIsRefusedNamingWhat() throws Exception {
        Path state = dir.resolve("state.json");
        Files.writeString(state, "{\"version\": 99}");
        assertThatThrownBy(this::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(state.toString())
                .hasMessageContaining("version 99");

        Files.writeString(state, "{\"version\": 1, \"batches\": [{\"id\": \"batch_1\"}]}");
        assertThatThrownBy(this::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(state.toString())
                .hasMessageContaining("batch batch_1: inputFileId is missing");
    }

    @Test
    void aMissingFileIsAClearErrorNamingIt() {
        String fileId;
        try (Mka1Sandbox first = start()) {
            fileId = first.registerInputFile(chatFile(1));
        }
        Path bytes = dir.resolve("files").resolve(fileId);
        assertThat(bytes).exists();
        bytes.toFile().delete();

        assertThatThrownBy(this::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(bytes + ", which is missing");
    }

    @Test
    void aStateDirThatIsAFileIsAClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");

        assertThatThrownBy(() -> Mka1Sandbox.builder().stateDir(file).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the sandbox state dir " + file + " is not a directory");
    }

    @Test
    void twoSandboxesCannotShareAStateDir() {
        try (Mka1Sandbox first = start()) {
            assertThatThrownBy(this::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the sandbox state dir " + dir + " is in use by another sandbox");
            assertThat(new TestApi(first).listAll(10)).isEmpty();
        }
        try (Mka1Sandbox again = start()) {
            assertThat(again.baseUrl()).startsWith("http://127.0.0.1:");
        }
    }

    private static List<String> customIds(String jsonl) {
        return jsonl.lines()
                .map(line -> TestApi.GSON
                        .fromJson(line, JsonObject.class)
                        .get("custom_id")
                        .getAsString())
                .collect(Collectors.toList());
    }
}
