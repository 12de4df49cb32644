package com.mka1.batches.sandbox;

import static com.mka1.batches.sandbox.TestApi.CHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mka1.batches.models.FileObject;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ignoreIdempotencyKeys(true)} with {@link FaultSpec#dropAnswer()}: the server a run must
 * survive, where a retry after a lost answer makes a second batch or file.
 */
class IgnoredIdempotencyKeyTest {
    private static Mka1Sandbox sandbox;
    private static TestApi api;

    @BeforeAll
    static void start() {
        sandbox = Mka1Sandbox.builder()
                .clock(SandboxClock.fixed(Fixtures.T0))
                .ignoreIdempotencyKeys(true)
                .start();
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
    void aRetriedCreateWithTheSameKeyMakesASecondBatch() {
        String body = TestApi.createBody(sandbox.registerInputFile(Fixtures.chatFile(2)), CHAT);
        TestApi.Reply first = api.create(body, "Idempotency-Key", "key-1");
        TestApi.Reply retry = api.create(body, "Idempotency-Key", "key-1");
        TestApi.Reply changed = api.create(body.replace(CHAT, "/v1/embeddings"), "Idempotency-Key", "key-1");

        assertThat(retry.status).isEqualTo(200);
        assertThat(retry.batch().getId()).isNotEqualTo(first.batch().getId());
        assertThat(retry.header("Idempotent-Replayed")).isNull();
        assertThat(changed.status).isEqualTo(200);
        assertThat(api.listAll(10)).hasSize(3);
        assertThat(sandbox.ledger().batches()).hasSize(3);
    }

    @Test
    void aRetriedUploadWithTheSameKeyMakesASecondFile() {
        TestMultipart form = TestMultipart.file(
                        "in.jsonl", "application/jsonl", Fixtures.chatFile(1).getBytes(StandardCharsets.UTF_8))
                .text("purpose", "batch");
        TestApi.Reply first = api.upload(form, "Idempotency-Key", "up-1");
        TestApi.Reply retry = api.upload(form, "Idempotency-Key", "up-1");

        assertThat(retry.status).isEqualTo(200);
        assertThat(retry.file().getId()).isNotEqualTo(first.file().getId());
        assertThat(retry.header("Idempotent-Replayed")).isNull();
        assertThat(api.listAllFiles(10, "")).extracting(FileObject::getId).hasSize(2);
    }

    @Test
    void aDroppedCreateAnswerThenARetryLeavesTwoBatches() {
        String body = TestApi.createBody(sandbox.registerInputFile(Fixtures.chatFile(1)), CHAT);
        sandbox.injectFault(FaultSpec.dropAnswer().on(SandboxOperation.CREATE));

        assertThatThrownBy(() -> api.create(body, "Idempotency-Key", "k")).isInstanceOf(UncheckedIOException.class);
        String retried = api.create(body, "Idempotency-Key", "k").batch().getId();

        assertThat(sandbox.ledger().batches())
                .hasSize(2)
                .last()
                .satisfies(b -> assertThat(b.id()).isEqualTo(retried));
    }

    @Test
    void aDroppedUploadAnswerStillStoresTheFile() {
        byte[] content = Fixtures.chatFile(1).getBytes(StandardCharsets.UTF_8);
        sandbox.injectFault(FaultSpec.dropAnswer().on(SandboxOperation.UPLOAD_FILE));

        assertThatThrownBy(() -> api.upload(
                        TestMultipart.file("part-1.jsonl", "application/jsonl", content)
                                .text("purpose", "batch"),
                        "Idempotency-Key",
                        "u"))
                .isInstanceOf(UncheckedIOException.class);

        assertThat(api.listAllFiles(10, "")).singleElement().satisfies(file -> {
            assertThat(file.getFilename()).isEqualTo("part-1.jsonl");
            assertThat(api.content(file.getId()).bytes).isEqualTo(content);
        });
    }
}
