package com.mka1.batches.sandbox;

import static com.mka1.batches.sandbox.TestApi.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.report.ValidationReport;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every answer the sandbox gives in a full tour of its behaviour validates against
 * openapi/mka1-batches.yaml ({@link TestApi} validates each response and fails on any message),
 * and the validator itself does catch a response that breaks the spec.
 */
class ResponseSchemaTest {
    private static SandboxClock clock;
    private static Mka1Sandbox sandbox;
    private static TestApi api;

    @BeforeAll
    static void start() {
        clock = SandboxClock.fixed(Fixtures.T0);
        sandbox = Mka1Sandbox.builder().clock(clock).start();
        api = new TestApi(sandbox);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void everyResponseOfATourValidates() {
        assertThat(SpecValidator.exists()).as("spec at %s", SpecValidator.SPEC).isTrue();
        int before = SpecValidator.VALIDATED.get();
        List<Integer> statuses = new ArrayList<>();
        String good = sandbox.registerInputFile(Fixtures.chatFile(3) + Fixtures.chatLine("x", "y", true));
        String bad = sandbox.registerInputFile("{oops\n");

        JsonObject metadata =
                JsonParser.parseString(TestApi.createBody(good, CHAT)).getAsJsonObject();
        JsonObject values = new JsonObject();
        values.addProperty("description", "evaluation job");
        metadata.add("metadata", values);
        TestApi.Reply created = api.create(metadata.toString(), "Idempotency-Key", "tour");
        String id = created.batch().getId();
        statuses.add(created.status);
        String failing = created(api.create(TestApi.createBody(bad, CHAT)), statuses);
        String missing = created(api.create(TestApi.createBody("file_missing", CHAT)), statuses);
        String toCancel = created(api.create(TestApi.createBody(good, CHAT)), statuses);
        statuses.add(api.create(metadata.toString(), "Idempotency-Key", "tour").status);
        statuses.add(api.create(TestApi.createBody(bad, CHAT), "Idempotency-Key", "tour").status);
        statuses.add(api.create("{}").status);
        statuses.add(api.withKey("nope").list("").status);

        for (int step = 0; step < 4; step++) {
            statuses.add(api.get(id).status);
            statuses.add(api.get(failing).status);
            statuses.add(api.get(missing).status);
            statuses.add(api.list("limit=2").status);
            if (step == 1) {
                statuses.add(api.cancel(toCancel).status);
            }
            clock.advance(Duration.ofSeconds(2));
        }
        statuses.add(api.get(toCancel).status);
        statuses.add(api.cancel(id).status);
        statuses.add(api.get("batch_unknown").status);
        statuses.add(api.list("limit=500").status);
        statuses.add(api.list("").status);
        sandbox.injectFault(FaultSpec.status(429));
        sandbox.injectFault(FaultSpec.status(503).retryAfterSeconds(2));
        statuses.add(api.list("").status);
        statuses.add(api.get(id).status);
        clock.advance(Duration.ofHours(25));
        statuses.add(api.list("limit=100").status);

        assertThat(statuses).contains(200, 400, 401, 404, 409, 429, 503);
        assertThat(SpecValidator.VALIDATED.get() - before).isEqualTo(statuses.size());
    }

    @Test
    void everyFilesResponseOfATourValidates() {
        int before = SpecValidator.VALIDATED.get();
        List<Integer> statuses = new ArrayList<>();
        byte[] jsonl = (Fixtures.chatFile(2) + Fixtures.chatLine("x", "y", true))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        TestApi.Reply upload = api.upload(
                TestMultipart.file("in.jsonl", "application/jsonl", jsonl).text("purpose", "batch"));
        statuses.add(upload.status);
        String fileId = upload.file().getId();
        statuses.add(api.upload(TestMultipart.file("in.jsonl", null, jsonl).text("purpose", "evals")).status);
        statuses.add(api.upload(TestMultipart.empty().text("purpose", "batch")).status);
        String batchId = api.createBatch(fileId, CHAT).getId();
        clock.advance(Duration.ofSeconds(6));
        for (String query :
                List.of("", "limit=1", "order=asc&purpose=batch", "purpose=evals", "limit=0", "after=file_x")) {
            statuses.add(api.listFiles(query).status);
        }
        String outputId = api.getBatch(batchId).getOutputFileId();
        for (String id : List.of(fileId, outputId, "file_unknown")) {
            statuses.add(api.getFile(id).status);
            statuses.add(api.content(id).status);
            statuses.add(api.content(id, "Range", "bytes=3-").status);
            statuses.add(api.content(id, "Range", "bytes=1-2").status);
            statuses.add(api.content(id, "Range", "bytes=999999-").status);
        }
        statuses.add(api.withKey("nope").getFile(fileId).status);
        statuses.add(api.deleteFile(outputId).status);
        statuses.add(api.deleteFile(outputId).status);
        sandbox.injectFault(FaultSpec.status(429).on(SandboxOperation.GET_FILE_CONTENT));
        statuses.add(api.content(fileId).status);

        assertThat(statuses).contains(200, 206, 400, 401, 404, 416, 429);
        // The batch create and get in between are validated too.
        assertThat(SpecValidator.VALIDATED.get() - before).isEqualTo(statuses.size() + 2);
    }

    @Test
    void validatorRejectsFilesResponsesThatBreakTheSpec() {
        String noFilename =
                "{\"id\":\"file_1\",\"object\":\"file\",\"bytes\":1,\"created_at\":1,\"purpose\":\"batch\"}";
        String badPurpose = noFilename.replace("\"purpose\":\"batch\"", "\"filename\":\"f\",\"purpose\":\"other\"");
        String notDeleted = "{\"id\":\"file_1\",\"object\":\"file\"}";
        assertThat(messages(
                        SpecValidator.validate("GET", "/api/v1/llm/files/file_1", 200, "application/json", noFilename)))
                .isNotEmpty();
        assertThat(messages(
                        SpecValidator.validate("GET", "/api/v1/llm/files/file_1", 200, "application/json", badPurpose)))
                .isNotEmpty();
        assertThat(messages(SpecValidator.validate(
                        "DELETE", "/api/v1/llm/files/file_1", 200, "application/json", notDeleted)))
                .isNotEmpty();
        // A 206 without Content-Range breaks the spec.
        assertThat(messages(SpecValidator.validate(
                        "GET", "/api/v1/llm/files/file_1/content", 206, "application/jsonl", "abc")))
                .isNotEmpty();
    }

    @Test
    void validatorRejectsResponsesThatBreakTheSpec() {
        String noId = "{\"object\":\"batch\",\"endpoint\":\"/v1/embeddings\",\"input_file_id\":\"f\","
                + "\"completion_window\":\"24h\",\"status\":\"completed\",\"created_at\":1,"
                + "\"request_counts\":{\"total\":1,\"completed\":1,\"failed\":0}}";
        String badStatus =
                noId.replace("{\"object\"", "{\"id\":\"batch_1\",\"object\"").replace("completed\",", "done\",");
        String nullFirstId = "{\"object\":\"list\",\"data\":[],\"first_id\":null,\"has_more\":false}";

        assertThat(messages(
                        SpecValidator.validate("GET", "/api/v1/llm/batches/batch_1", 200, "application/json", noId)))
                .isNotEmpty();
        assertThat(messages(SpecValidator.validate(
                        "GET", "/api/v1/llm/batches/batch_1", 200, "application/json", badStatus)))
                .isNotEmpty();
        assertThat(messages(SpecValidator.validate("GET", "/api/v1/llm/batches", 200, "application/json", nullFirstId)))
                .isNotEmpty();
    }

    private static String created(TestApi.Reply reply, List<Integer> statuses) {
        statuses.add(reply.status);
        return reply.batch().getId();
    }

    private static List<?> messages(ValidationReport report) {
        return report.getMessages();
    }
}
