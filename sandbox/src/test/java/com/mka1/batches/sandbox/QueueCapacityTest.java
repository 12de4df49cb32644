package com.mka1.batches.sandbox;

import static com.mka1.batches.sandbox.TestApi.CHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.mka1.batches.models.BatchError;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code queueCapacity}: a batch over its API key's queue is accepted, then fails with a quota error. */
class QueueCapacityTest {
    private static SandboxClock clock;
    private static Mka1Sandbox sandbox;
    private static TestApi api;

    @BeforeAll
    static void start() {
        clock = SandboxClock.fixed(Fixtures.T0);
        sandbox = Mka1Sandbox.builder()
                .clock(clock)
                .apiKeys("sk-a", "sk-b")
                .queueCapacity(5)
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
    void aBatchOverTheCapacityIsAcceptedThenFailsWithTokenLimitExceeded() {
        String three = sandbox.registerInputFile(Fixtures.chatFile(3));
        BatchObject first = api.createBatch(three, CHAT);

        TestApi.Reply over = api.create(TestApi.createBody(three, CHAT));
        assertThat(over.status).isEqualTo(200);
        BatchObject refused = over.batch();
        assertThat(refused.getStatus()).isEqualTo(BatchStatus.VALIDATING);

        clock.advance(Mka1Sandbox.DEFAULT_STEP);
        BatchObject failed = api.getBatch(refused.getId());
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(failed.getRequestCounts().getTotal()).isZero();
        assertThat(failed.getErrors().getData()).singleElement().satisfies(error -> {
            assertThat(error.getCode()).isEqualTo("token_limit_exceeded");
            assertThat(error.getMessage())
                    .isEqualTo("Enqueued request limit reached: this API key has 3 requests in active batches and"
                            + " this batch adds 3; the limit is 5. Try again once earlier batches have ended.");
            assertThat(error.getParam()).isNull();
            assertThat(error.getLine()).isNull();
        });
        assertThat(api.getBatch(first.getId()).getStatus()).isEqualTo(BatchStatus.IN_PROGRESS);
        assertThat(sandbox.ledger().batches())
                .extracting(SandboxLedger.Batch::id, SandboxLedger.Batch::status, b -> b.errorCodes())
                .containsExactly(
                        tuple(first.getId(), BatchStatus.IN_PROGRESS, List.of()),
                        tuple(refused.getId(), BatchStatus.FAILED, List.of("token_limit_exceeded")));
    }

    @Test
    void roomComesBackWhenActiveBatchesEndAndARefusedBatchTakesNone() {
        String three = sandbox.registerInputFile(Fixtures.chatFile(3));
        String two = sandbox.registerInputFile(Fixtures.chatFile(2));
        api.createBatch(three, CHAT);
        api.createBatch(three, CHAT); // refused: holds no place
        BatchObject fits = api.createBatch(two, CHAT); // 3 + 2 = 5
        clock.advance(Mka1Sandbox.DEFAULT_STEP.multipliedBy(3));
        assertThat(api.getBatch(fits.getId()).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        BatchObject later = api.createBatch(sandbox.registerInputFile(Fixtures.chatFile(5)), CHAT);
        clock.advance(Mka1Sandbox.DEFAULT_STEP.multipliedBy(3));
        assertThat(api.getBatch(later.getId()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
    }

    @Test
    void theQueueIsPerApiKeyAndSharedByItsUsers() {
        TestApi alice = api.withKey("sk-a").onBehalfOf("alice");
        TestApi bob = api.withKey("sk-a").onBehalfOf("bob");
        TestApi other = api.withKey("sk-b");
        alice.createBatch(alice.uploadFile("in.jsonl", "batch", bytes(4)).getId(), CHAT);

        BatchObject bobs =
                bob.createBatch(bob.uploadFile("in.jsonl", "batch", bytes(2)).getId(), CHAT);
        BatchObject others = other.createBatch(
                other.uploadFile("in.jsonl", "batch", bytes(5)).getId(), CHAT);
        clock.advance(Mka1Sandbox.DEFAULT_STEP);

        assertThat(bob.getBatch(bobs.getId()).getErrors().getData())
                .extracting(BatchError::getCode)
                .containsExactly("token_limit_exceeded");
        assertThat(other.getBatch(others.getId()).getStatus()).isEqualTo(BatchStatus.IN_PROGRESS);
    }

    @Test
    void aBatchLargerThanTheCapacityNeverFits() {
        BatchObject huge = api.createBatch(sandbox.registerInputFile(Fixtures.chatFile(6)), CHAT);
        clock.advance(Mka1Sandbox.DEFAULT_STEP);
        assertThat(api.getBatch(huge.getId()).getErrors().getData().get(0).getMessage())
                .contains("has 0 requests in active batches and this batch adds 6; the limit is 5");
    }

    @Test
    void withRefuseWhenQueueFullACreateFindingTheQueueFullGets429AndCreatesNothing() {
        SandboxClock ownClock = SandboxClock.fixed(Fixtures.T0);
        try (Mka1Sandbox refusing = Mka1Sandbox.builder()
                .clock(ownClock)
                .queueCapacity(3)
                .refuseWhenQueueFull(true)
                .start()) {
            TestApi refusingApi = new TestApi(refusing);
            String two = refusing.registerInputFile(Fixtures.chatFile(2));
            String one = refusing.registerInputFile(Fixtures.chatFile(1));
            refusingApi.createBatch(two, CHAT);
            BatchObject tooBig = refusingApi.createBatch(two, CHAT); // 1 left: accepted, fails later
            refusingApi.createBatch(one, CHAT); // 3 of 3

            TestApi.Reply refused = refusingApi.create(TestApi.createBody(one, CHAT), "Idempotency-Key", "k");

            assertThat(refused.status).isEqualTo(429);
            assertThat(refused.json().get("error").getAsString()).isEqualTo("Rate limit exceeded");
            assertThat(refusing.ledger().batches()).hasSize(3);
            ownClock.advance(Mka1Sandbox.DEFAULT_STEP.multipliedBy(3));
            assertThat(refusingApi.getBatch(tooBig.getId()).getStatus()).isEqualTo(BatchStatus.FAILED);
            // The queue has emptied; the refused create did not use up its key.
            TestApi.Reply retried = refusingApi.create(TestApi.createBody(one, CHAT), "Idempotency-Key", "k");
            assertThat(retried.status).isEqualTo(200);
            assertThat(retried.header("Idempotent-Replayed")).isNull();
        }
    }

    @Test
    void capacityMustBePositive() {
        assertThatThrownBy(() -> Mka1Sandbox.builder().queueCapacity(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("queueCapacity must be at least 1: 0");
        assertThatThrownBy(() -> Mka1Sandbox.builder().refuseWhenQueueFull(true).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("refuseWhenQueueFull needs queueCapacity");
    }

    private static byte[] bytes(int lines) {
        return Fixtures.chatFile(lines).getBytes(StandardCharsets.UTF_8);
    }
}
