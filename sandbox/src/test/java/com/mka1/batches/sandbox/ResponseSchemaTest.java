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

        JsonObject metadata = JsonParser.parseString(TestApi.createBody(good, CHAT)).getAsJsonObject();
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
    void validatorRejectsResponsesThatBreakTheSpec() {
        String noId =
                "{\"object\":\"batch\",\"endpoint\":\"/v1/embeddings\",\"input_file_id\":\"f\","
                        + "\"completion_window\":\"24h\",\"status\":\"completed\",\"created_at\":1,"
                        + "\"request_counts\":{\"total\":1,\"completed\":1,\"failed\":0}}";
        String badStatus = noId.replace("{\"object\"", "{\"id\":\"batch_1\",\"object\"").replace("completed\",", "done\",");
        String nullFirstId = "{\"object\":\"list\",\"data\":[],\"first_id\":null,\"has_more\":false}";

        assertThat(messages(SpecValidator.validate("GET", "/api/v1/llm/batches/batch_1", 200, "application/json", noId)))
                .isNotEmpty();
        assertThat(messages(SpecValidator.validate("GET", "/api/v1/llm/batches/batch_1", 200, "application/json", badStatus)))
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
