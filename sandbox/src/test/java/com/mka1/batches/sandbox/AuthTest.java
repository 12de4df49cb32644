package com.mka1.batches.sandbox;

import static com.mka1.batches.sandbox.TestApi.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every operation needs {@code Authorization: Bearer <accepted key>}. */
class AuthTest {
    private static Mka1Sandbox sandbox;
    private static TestApi api;

    @BeforeAll
    static void start() {
        sandbox = Mka1Sandbox.builder().apiKeys("sk-one", "sk-two").start();
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
    void everyOperationWithoutAValidKeyIs401() {
        String batchId = api.createBatch(sandbox.registerInputFile(Fixtures.chatFile(1)), CHAT)
                .getId();
        for (TestApi client : List.of(api.withKey(null), api.withKey("sk-wrong"), api.withKey(""))) {
            for (TestApi.Reply reply : List.of(
                    client.create(TestApi.createBody("file_x", CHAT)),
                    client.list(""),
                    client.get(batchId),
                    client.cancel(batchId))) {
                assertThat(reply.status).as(reply.body).isEqualTo(401);
                assertThat(reply.error().get("message").getAsString()).isEqualTo("Invalid API key");
                assertThat(reply.error().get("type").getAsString()).isEqualTo("authentication_error");
                assertThat(reply.errorCode()).isEqualTo("invalid_api_key");
            }
        }
        assertThat(api.list("").page().getData()).hasSize(1);
    }

    @Test
    void schemeOtherThanBearerIs401() {
        TestApi.Reply reply =
                api.withKey(null).send("GET", "/api/v1/llm/batches", null, "Authorization", "Basic sk-one");
        assertThat(reply.status).isEqualTo(401);
        TestApi.Reply lowercase =
                api.withKey(null).send("GET", "/api/v1/llm/batches", null, "Authorization", "bearer sk-one");
        assertThat(lowercase.status).isEqualTo(200);
    }

    @Test
    void everyConfiguredKeyIsAccepted() {
        assertThat(sandbox.apiKeys()).containsExactly("sk-one", "sk-two");
        assertThat(sandbox.apiKey()).isEqualTo("sk-one");
        assertThat(api.withKey("sk-two").list("").status).isEqualTo(200);
    }

    @Test
    void unknownPathIs404AfterAuth() {
        TestApi.Reply reply = api.send("DELETE", "/api/v1/llm/batches", null);
        assertThat(reply.status).isEqualTo(404);
        assertThat(reply.errorCode()).isEqualTo("unknown_url");
        assertThat(api.withKey(null).send("GET", "/api/v1/other", null).status).isEqualTo(401);
    }
}
