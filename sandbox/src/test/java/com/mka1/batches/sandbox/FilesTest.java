package com.mka1.batches.sandbox;

import static com.mka1.batches.sandbox.TestApi.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The five files operations: multipart upload, get, content (with Range), delete, and scoping. */
class FilesTest {
    private static SandboxClock clock;
    private static Mka1Sandbox sandbox;
    private static TestApi api;

    @BeforeAll
    static void start() {
        clock = SandboxClock.fixed(Fixtures.T0);
        sandbox = Mka1Sandbox.builder().clock(clock).apiKeys("sk-a", "sk-b").start();
        api = new TestApi(sandbox);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    @Test
    void uploadKeepsFilenamePurposeSizeAndExactBytes() {
        byte[] content = {0, 1, 2, (byte) 0xff, '\r', '\n', '-', '-', 'x', (byte) 0x80};
        TestApi.Reply reply = api.upload(TestMultipart.file("weird name é.bin", "application/octet-stream", content)
                .text("purpose", "user_data"));

        assertThat(reply.status).as(reply.body).isEqualTo(200);
        FileObject file = reply.file();
        assertThat(file.getId()).matches("file_[0-9a-f]{24}");
        assertThat(file.getObject()).isEqualTo("file");
        assertThat(file.getFilename()).isEqualTo("weird name é.bin");
        assertThat(file.getPurpose()).isEqualTo(FilePurpose.USER_DATA);
        assertThat(file.getBytes()).isEqualTo(content.length);
        assertThat(file.getCreatedAt()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(reply.json().get("expires_at").isJsonNull()).isTrue();
        assertThat(api.getFile(file.getId()).file()).isEqualTo(file);

        TestApi.Reply content200 = api.content(file.getId());
        assertThat(content200.status).isEqualTo(200);
        assertThat(content200.bytes).isEqualTo(content);
        assertThat(content200.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(content200.header("Content-Length")).isEqualTo(Integer.toString(content.length));
        assertThat(content200.header("Accept-Ranges")).isEqualTo("bytes");
    }

    @Test
    void partOrderDoesNotMatterAndAPartWithoutContentTypeIsOctetStream() {
        TestApi.Reply reply = api.upload(TestMultipart.empty()
                .text("purpose", "batch")
                .part("file", "in.jsonl", null, "x\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(reply.status).as(reply.body).isEqualTo(200);
        assertThat(api.content(reply.file().getId()).header("Content-Type")).isEqualTo("application/octet-stream");
    }

    @Test
    void largeUploadRoundTripsByteForByte() {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(content);
        FileObject file = api.uploadFile("big.bin", "assistants", content);

        assertThat(file.getBytes()).isEqualTo(content.length);
        assertThat(api.content(file.getId()).bytes).isEqualTo(content);
        assertThat(sandbox.requests(SandboxOperation.UPLOAD_FILE).get(0).bodyBytes().length)
                .isGreaterThan(content.length);
    }

    @Test
    void missingOrInvalidPartsAre400WithTheErrorShape() {
        byte[] data = "a\n".getBytes(StandardCharsets.UTF_8);
        assertError(api.upload(TestMultipart.file("f.jsonl", null, data)), "missing_required_parameter", "purpose");
        assertError(api.upload(TestMultipart.empty().text("purpose", "batch")), "missing_required_parameter", "file");
        assertError(
                api.upload(TestMultipart.file("f.jsonl", null, data).text("purpose", "evals")),
                "invalid_value",
                "purpose");
        assertError(
                api.upload(TestMultipart.file("f.jsonl", null, data).text("purpose", "BATCH")),
                "invalid_value",
                "purpose");
        assertError(
                api.upload(TestMultipart.file("f.jsonl", null, data).text("purpose", "")), "invalid_value", "purpose");
        assertError(
                api.upload(TestMultipart.empty().part("file", null, null, data).text("purpose", "batch")),
                "invalid_value",
                "file");
        assertError(api.send("POST", "/api/v1/llm/files", "{\"purpose\":\"batch\"}"), "invalid_content_type", null);
        assertError(
                api.sendBytes(
                        "POST",
                        "/api/v1/llm/files",
                        data,
                        "Content-Type",
                        TestMultipart.empty().contentType()),
                "invalid_multipart",
                null);
        assertThat(api.listAllFiles(100, "")).isEmpty();
    }

    @Test
    void everyUploadPurposeIsAccepted() {
        for (String purpose : List.of("assistants", "batch", "fine-tune", "vision", "user_data")) {
            assertThat(api.uploadFile("f", purpose, new byte[] {1}).getPurpose().getValue())
                    .isEqualTo(purpose);
        }
    }

    @Test
    void filesAreScopedPerKeyAndOnBehalfOfUser() {
        TestApi keyB = api.withKey("sk-b");
        TestApi alice = api.onBehalfOf("alice");
        String own = api.uploadFile("a", "batch", new byte[] {1}).getId();
        String forAlice = alice.uploadFile("b", "batch", new byte[] {2}).getId();

        assertThat(ids(api.listAllFiles(10, ""))).containsExactly(own);
        assertThat(ids(alice.listAllFiles(10, ""))).containsExactly(forAlice);
        assertThat(ids(keyB.onBehalfOf("alice").listAllFiles(10, ""))).isEmpty();
        for (TestApi other : List.of(keyB, alice)) {
            assertThat(other.getFile(own).status).isEqualTo(404);
            assertThat(other.content(own).status).isEqualTo(404);
            assertThat(other.deleteFile(own).status).isEqualTo(404);
        }
        assertThat(api.getFile(own).status).isEqualTo(200);
        assertThat(api.onBehalfOf("  alice ").getFile(forAlice).status).isEqualTo(200);
        assertThat(api.withKey("sk-nope").getFile(own).status).isEqualTo(401);
    }

    @Test
    void deleteAnswersTheDeletedShapeThen404Everywhere() {
        String id = api.uploadFile("a", "batch", new byte[] {1}).getId();
        TestApi.Reply deleted = api.deleteFile(id);

        assertThat(deleted.status).isEqualTo(200);
        assertThat(deleted.json().toString()).isEqualTo("{\"id\":\"" + id + "\",\"object\":\"file\",\"deleted\":true}");
        assertThat(api.getFile(id).status).isEqualTo(404);
        assertThat(api.getFile(id).errorCode()).isEqualTo("not_found");
        assertThat(api.content(id).status).isEqualTo(404);
        assertThat(api.deleteFile(id).status).isEqualTo(404);
        assertThat(api.listAllFiles(10, "")).isEmpty();
        assertThat(sandbox.fileContent(id)).isEmpty();
    }

    @Test
    void rangeFromNToTheEndIs206WithExactlyThoseBytes() {
        byte[] content = "0123456789".getBytes(StandardCharsets.US_ASCII);
        String id = api.uploadFile("d.txt", "user_data", content).getId();

        TestApi.Reply reply = api.content(id, "Range", "bytes=4-");
        assertThat(reply.status).isEqualTo(206);
        assertThat(reply.body).isEqualTo("456789");
        assertThat(reply.header("Content-Range")).isEqualTo("bytes 4-9/10");
        assertThat(reply.header("Content-Length")).isEqualTo("6");
        assertThat(reply.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(api.content(id, "Range", "bytes=9-").body).isEqualTo("9");
    }

    @Test
    void boundedRangeIsInclusiveAndCutShortAtTheEnd() {
        String id = api.uploadFile("d.txt", "user_data", "0123456789".getBytes(StandardCharsets.US_ASCII))
                .getId();

        TestApi.Reply bounded = api.content(id, "Range", "bytes=2-4");
        assertThat(bounded.status).isEqualTo(206);
        assertThat(bounded.body).isEqualTo("234");
        assertThat(bounded.header("Content-Range")).isEqualTo("bytes 2-4/10");
        assertThat(bounded.header("Content-Length")).isEqualTo("3");

        TestApi.Reply past = api.content(id, "Range", "bytes=8-100");
        assertThat(past.status).isEqualTo(206);
        assertThat(past.body).isEqualTo("89");
        assertThat(past.header("Content-Range")).isEqualTo("bytes 8-9/10");
    }

    @Test
    void rangeAtOrPastTheEndIs416WithTheSize() {
        String id = api.uploadFile("d.txt", "user_data", "0123456789".getBytes(StandardCharsets.US_ASCII))
                .getId();
        for (String range : List.of("bytes=10-", "bytes=50-60")) {
            TestApi.Reply reply = api.content(id, "Range", range);
            assertThat(reply.status).as(range).isEqualTo(416);
            assertThat(reply.header("Content-Range")).isEqualTo("bytes */10");
            assertThat(reply.errorCode()).isEqualTo("range_not_satisfiable");
        }
        String empty = api.uploadFile("e.txt", "user_data", new byte[0]).getId();
        assertThat(api.content(empty, "Range", "bytes=0-").status).isEqualTo(416);
        assertThat(api.content(empty).status).isEqualTo(200);
        assertThat(api.content(empty).bytes).isEmpty();
    }

    @Test
    void rangesOfOtherFormsAreIgnored() {
        String id = api.uploadFile("d.txt", "user_data", "0123456789".getBytes(StandardCharsets.US_ASCII))
                .getId();
        for (String range : List.of("bytes=-3", "bytes=5-2", "bytes=0-1,4-5", "items=0-1", "bytes=x-")) {
            TestApi.Reply reply = api.content(id, "Range", range);
            assertThat(reply.status).as(range).isEqualTo(200);
            assertThat(reply.body).isEqualTo("0123456789");
            assertThat(reply.header("Content-Range")).isNull();
        }
    }

    @Test
    void batchesReadTheirInputFromTheCallersUploadedFiles() {
        byte[] jsonl = Fixtures.chatFile(2).getBytes(StandardCharsets.UTF_8);
        String own = api.uploadFile("in.jsonl", "batch", jsonl).getId();
        String wrongPurpose = api.uploadFile("in.jsonl", "user_data", jsonl).getId();
        String othersFile =
                api.withKey("sk-b").uploadFile("in.jsonl", "batch", jsonl).getId();

        BatchObject ok = api.createBatch(own, CHAT);
        BatchObject purpose = api.createBatch(wrongPurpose, CHAT);
        BatchObject foreign = api.createBatch(othersFile, CHAT);
        clock.advance(Duration.ofSeconds(6));

        assertThat(api.getBatch(ok.getId()).getStatus().getValue()).isEqualTo("completed");
        BatchObject failedPurpose = api.getBatch(purpose.getId());
        assertThat(failedPurpose.getStatus().getValue()).isEqualTo("failed");
        assertThat(failedPurpose.getErrors().getData().get(0).getCode()).isEqualTo("invalid_file_purpose");
        assertThat(api.getBatch(foreign.getId()).getErrors().getData().get(0).getCode())
                .isEqualTo("file_not_found");
    }

    @Test
    void outputAndErrorFilesAreOrdinaryBatchFilesOfTheBatchsScope() {
        TestApi alice = api.onBehalfOf("alice");
        String input = alice.uploadFile(
                        "in.jsonl",
                        "batch",
                        (Fixtures.chatFile(2) + Fixtures.chatLine("bad", "x", true)).getBytes(StandardCharsets.UTF_8))
                .getId();
        String batchId = alice.createBatch(input, CHAT).getId();
        clock.advance(Duration.ofSeconds(6));

        // Listed before anyone looked at the batch: the files exist once the batch has ended.
        List<FileObject> files = alice.listAllFiles(10, "purpose=batch");
        assertThat(files).hasSize(3);
        BatchObject done = alice.getBatch(batchId);
        FileObject output = alice.getFile(done.getOutputFileId()).file();
        FileObject errors = alice.getFile(done.getErrorFileId()).file();
        assertThat(output.getFilename()).isEqualTo(batchId + "_output.jsonl");
        assertThat(errors.getFilename()).isEqualTo(batchId + "_error.jsonl");
        assertThat(output.getPurpose()).isEqualTo(FilePurpose.BATCH);
        assertThat(output.getCreatedAt()).isEqualTo(done.getCompletedAt());
        assertThat(ids(files)).containsExactlyInAnyOrder(input, output.getId(), errors.getId());

        TestApi.Reply content = alice.content(output.getId());
        assertThat(content.header("Content-Type")).isEqualTo("application/jsonl");
        assertThat(content.body).isEqualTo(sandbox.fileContent(output.getId()).orElseThrow());
        assertThat(content.body.split("\n")).hasSize(2);
        assertThat(output.getBytes()).isEqualTo(content.bytes.length);
        assertThat(alice.content(errors.getId()).body).contains("\"custom_id\":\"bad\"");

        assertThat(api.getFile(output.getId()).status).isEqualTo(404);
        assertThat(alice.deleteFile(output.getId()).status).isEqualTo(200);
        assertThat(alice.content(output.getId()).status).isEqualTo(404);
        assertThat(alice.getBatch(batchId).getOutputFileId()).isEqualTo(output.getId());
    }

    @Test
    void registerInputFileEqualsAnUploadUnderTheDefaultKey() throws Exception {
        String id = sandbox.registerInputFile(Fixtures.chatFile(1));
        java.nio.file.Path path = java.nio.file.Files.createTempFile("sandbox-input", ".jsonl");
        try {
            java.nio.file.Files.write(path, new byte[] {'{', '}', '\n'});
            String fromPath = sandbox.registerInputFile(path);
            assertThat(api.getFile(fromPath).file().getFilename())
                    .isEqualTo(path.getFileName().toString());
            assertThat(api.content(fromPath).bytes).isEqualTo(new byte[] {'{', '}', '\n'});
        } finally {
            java.nio.file.Files.delete(path);
        }
        FileObject file = api.getFile(id).file();
        assertThat(file.getFilename()).isEqualTo("input.jsonl");
        assertThat(file.getPurpose()).isEqualTo(FilePurpose.BATCH);
        assertThat(api.content(id).body).isEqualTo(Fixtures.chatFile(1));
        assertThat(api.withKey("sk-b").getFile(id).status).isEqualTo(404);
        assertThat(api.onBehalfOf("alice").getFile(id).status).isEqualTo(404);
    }

    @Test
    void uploadWithAnIdempotencyKeyReturnsTheSameFile() {
        TestMultipart form =
                TestMultipart.file("a.jsonl", null, new byte[] {1, 2}).text("purpose", "batch");
        TestApi.Reply first = api.upload(form, "Idempotency-Key", "up-1");
        TestApi.Reply again = api.upload(form, "Idempotency-Key", "up-1");
        TestApi.Reply otherUser = api.onBehalfOf("bob").upload(form, "Idempotency-Key", "up-1");
        TestApi.Reply different = api.upload(
                TestMultipart.file("a.jsonl", null, new byte[] {1, 3}).text("purpose", "batch"),
                "Idempotency-Key",
                "up-1");

        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(again.status).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.file()).isEqualTo(first.file());
        assertThat(otherUser.file().getId()).isNotEqualTo(first.file().getId());
        assertThat(different.status).isEqualTo(409);
        assertThat(different.errorCode()).isEqualTo("idempotency_key_reused");
        assertThat(api.listAllFiles(10, "")).hasSize(1);
        assertThat(sandbox.requestCount(SandboxOperation.UPLOAD_FILE)).isEqualTo(4);
    }

    @Test
    void requestsOfEveryFilesOperationAreCounted() {
        String id = api.uploadFile("a", "batch", new byte[] {1}).getId();
        api.listFiles("");
        api.getFile(id);
        api.content(id);
        api.deleteFile(id);
        for (SandboxOperation op : List.of(
                SandboxOperation.UPLOAD_FILE,
                SandboxOperation.LIST_FILES,
                SandboxOperation.GET_FILE,
                SandboxOperation.GET_FILE_CONTENT,
                SandboxOperation.DELETE_FILE)) {
            assertThat(sandbox.requestCount(op)).as(op.name()).isEqualTo(1);
        }
        assertThat(api.send("PUT", "/api/v1/llm/files/" + id, "{}").status).isEqualTo(404);
    }

    private static void assertError(TestApi.Reply reply, String code, String param) {
        assertThat(reply.status).as(reply.body).isEqualTo(400);
        assertThat(reply.error().get("type").getAsString()).isEqualTo("invalid_request_error");
        assertThat(reply.errorCode()).as(reply.body).isEqualTo(code);
        assertThat(reply.errorParam()).isEqualTo(param);
    }

    static List<String> ids(List<FileObject> files) {
        return files.stream().map(FileObject::getId).collect(Collectors.toList());
    }
}
