package com.mka1.batches.sandbox;

import static com.mka1.batches.sandbox.TestApi.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.models.BatchObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code Idempotency-Key} on create: a replay returns the first batch, a changed body is refused. */
class IdempotencyTest {
    private static Mka1Sandbox sandbox;
    private static TestApi api;
    private String body;

    @BeforeAll
    static void start() {
        sandbox = Mka1Sandbox.builder().apiKeys("sk-a", "sk-b").start();
        api = new TestApi(sandbox);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
        body = TestApi.createBody(sandbox.registerInputFile(Fixtures.chatFile(2)), CHAT);
    }

    @Test
    void sameKeyAndBodyReturnTheSameBatch() {
        TestApi.Reply first = api.create(body, "Idempotency-Key", "key-1");
        TestApi.Reply replay = api.create(body, "Idempotency-Key", "key-1");

        assertThat(first.status).isEqualTo(200);
        assertThat(replay.status).isEqualTo(200);
        assertThat(replay.batch().getId()).isEqualTo(first.batch().getId());
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(api.listAll(10)).hasSize(1);
    }

    @Test
    void sameKeyWithReorderedButEqualJsonIsAReplay() {
        BatchObject first = api.create(body, "Idempotency-Key", "key-1").batch();
        String reordered = "{\"completion_window\":\"24h\",\"endpoint\":\"" + CHAT + "\",\"input_file_id\":\""
                + first.getInputFileId() + "\"}";
        assertThat(api.create(reordered, "Idempotency-Key", "key-1").batch().getId())
                .isEqualTo(first.getId());
    }

    @Test
    void sameKeyWithADifferentBodyIs409() {
        api.create(body, "Idempotency-Key", "key-1");
        TestApi.Reply reply = api.create(body.replace(CHAT, "/v1/embeddings"), "Idempotency-Key", "key-1");

        assertThat(reply.status).isEqualTo(409);
        assertThat(reply.errorCode()).isEqualTo("idempotency_key_reused");
        assertThat(reply.error().get("type").getAsString()).isEqualTo("invalid_request_error");
        assertThat(api.listAll(10)).hasSize(1);
    }

    @Test
    void withoutAKeyOrWithAnotherKeyEachCreateIsNew() {
        api.create(body);
        api.create(body);
        api.create(body, "Idempotency-Key", "key-1");
        api.create(body, "Idempotency-Key", "key-2");
        assertThat(api.listAll(10)).hasSize(4);
    }

    @Test
    void keysAreScopedPerApiKeyAndUser() {
        String a =
                api.withKey("sk-a").create(body, "Idempotency-Key", "k").batch().getId();
        String b =
                api.withKey("sk-b").create(body, "Idempotency-Key", "k").batch().getId();
        String alice = api.withKey("sk-a")
                .onBehalfOf("alice")
                .create(body, "Idempotency-Key", "k")
                .batch()
                .getId();
        assertThat(a).isNotEqualTo(b).isNotEqualTo(alice);
        assertThat(b).isNotEqualTo(alice);
    }

    @Test
    void aRejectedCreateDoesNotUseUpTheKey() {
        TestApi.Reply bad = api.create("{}", "Idempotency-Key", "key-1");
        assertThat(bad.status).isEqualTo(400);
        assertThat(api.create(body, "Idempotency-Key", "key-1").status).isEqualTo(200);
    }
}
