package com.mka1.batches.sandbox;

import static com.mka1.batches.sandbox.LifecycleTest.lines;
import static com.mka1.batches.sandbox.TestApi.CHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code expireAfterLines}: a batch expires with some lines done, the rest missing. */
class PartWayExpiryTest {
    private static final Duration STEP = Duration.ofSeconds(10);
    private static SandboxClock clock;
    private static Mka1Sandbox sandbox;
    private static TestApi api;

    @BeforeAll
    static void start() {
        clock = SandboxClock.fixed(Fixtures.T0);
        sandbox = Mka1Sandbox.builder()
                .clock(clock)
                .stepDuration(STEP)
                .expireAfterLines(6)
                .expiringBatches(1)
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
    void aBatchExpiresOnceItHasProcessedItsFirstLines() {
        BatchObject created = api.createBatch(sandbox.registerInputFile(Fixtures.chatFile(10)), CHAT);
        long t0 = created.getCreatedAt();
        // Ten lines over a 10 s in_progress step: six are done 6 s into it.
        assertThat(created.getExpiresAt()).isEqualTo(t0 + 16);

        clock.advance(Duration.ofSeconds(15));
        BatchObject running = api.getBatch(created.getId());
        assertThat(running.getStatus()).isEqualTo(BatchStatus.IN_PROGRESS);
        assertThat(running.getRequestCounts().getCompleted()).isEqualTo(5);

        clock.advance(Duration.ofSeconds(1));
        BatchObject expired = api.getBatch(created.getId());
        assertThat(expired.getStatus()).isEqualTo(BatchStatus.EXPIRED);
        assertThat(expired.getExpiredAt()).isEqualTo(t0 + 16).isEqualTo(expired.getExpiresAt());
        assertThat(expired.getRequestCounts().getTotal()).isEqualTo(10);
        assertThat(expired.getRequestCounts().getCompleted()).isEqualTo(6);
        assertThat(expired.getRequestCounts().getFailed()).isZero();
        assertThat(expired.getErrorFileId()).isNull();
        assertThat(lines(sandbox.fileContent(expired.getOutputFileId()).orElseThrow()))
                .extracting(line -> line.get("custom_id").getAsString())
                .containsExactly("req-1", "req-2", "req-3", "req-4", "req-5", "req-6");

        // Much later, still expired with the same six lines.
        clock.advance(Duration.ofDays(2));
        assertThat(api.getBatch(created.getId()).getRequestCounts().getCompleted())
                .isEqualTo(6);
        SandboxLedger ledger = sandbox.ledger();
        assertThat(ledger.batches()).singleElement().satisfies(batch -> {
            assertThat(batch.status()).isEqualTo(BatchStatus.EXPIRED);
            assertThat(batch.completed()).isEqualTo(6);
        });
        assertThat(ledger.successfulExecutions("req-6")).isEqualTo(1);
        assertThat(ledger.successfulExecutions("req-7")).isZero();
    }

    @Test
    void onlyTheFirstBigBatchExpiresAndTheResubmissionCompletes() {
        String small = sandbox.registerInputFile(Fixtures.chatFile(6));
        String big = sandbox.registerInputFile(Fixtures.chatFile(10));

        BatchObject smallBatch = api.createBatch(small, CHAT);
        BatchObject first = api.createBatch(big, CHAT);
        BatchObject second = api.createBatch(big, CHAT);
        clock.advance(STEP.multipliedBy(3));

        // Six lines are not more than six: not affected, and not counted as the one expiring batch.
        assertThat(api.getBatch(smallBatch.getId()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(api.getBatch(first.getId()).getStatus()).isEqualTo(BatchStatus.EXPIRED);
        BatchObject completed = api.getBatch(second.getId());
        assertThat(completed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(completed.getRequestCounts().getCompleted()).isEqualTo(10);
        assertThat(completed.getExpiresAt()).isEqualTo(completed.getCreatedAt() + 24 * 3600);
        assertThat(sandbox.ledger().successfulExecutions("req-7")).isEqualTo(1);
        assertThat(sandbox.ledger().successfulExecutions("req-1")).isEqualTo(3);
    }

    @Test
    void resetStartsCountingExpiringBatchesAgain() {
        String big = sandbox.registerInputFile(Fixtures.chatFile(10));
        String first = api.createBatch(big, CHAT).getId();
        sandbox.reset();
        String again = api.createBatch(sandbox.registerInputFile(Fixtures.chatFile(10)), CHAT)
                .getId();
        clock.advance(STEP.multipliedBy(3));

        assertThat(api.get(first).status).isEqualTo(404);
        assertThat(api.getBatch(again).getStatus()).isEqualTo(BatchStatus.EXPIRED);
    }

    @Test
    void aCancelStopsProcessingAndTheBatchExpiresWhileCancelling() {
        BatchObject created = api.createBatch(sandbox.registerInputFile(Fixtures.chatFile(10)), CHAT);
        clock.advance(STEP.plusSeconds(3));
        api.cancel(created.getId());
        clock.advance(STEP);

        // Cancelling takes a step, longer than the 3 s left before the expiry.
        BatchObject cancelled = api.getBatch(created.getId());
        assertThat(cancelled.getStatus()).isEqualTo(BatchStatus.EXPIRED);
        assertThat(cancelled.getCancellingAt()).isEqualTo(created.getCreatedAt() + 13);
        assertThat(cancelled.getRequestCounts().getCompleted()).isEqualTo(3);
        JsonObject firstLine = lines(
                        sandbox.fileContent(cancelled.getOutputFileId()).orElseThrow())
                .get(0);
        assertThat(firstLine.get("custom_id").getAsString()).isEqualTo("req-1");
    }

    @Test
    void zeroLinesExpiresBeforeAnyIsProcessed() {
        try (Mka1Sandbox zero = Mka1Sandbox.builder()
                .clock(SandboxClock.fixed(Fixtures.T0))
                .expireAfterLines(0)
                .start()) {
            TestApi zeroApi = new TestApi(zero);
            BatchObject created = zeroApi.createBatch(zero.registerInputFile(Fixtures.chatFile(2)), CHAT);
            zero.clock().advance(Mka1Sandbox.DEFAULT_STEP);

            BatchObject expired = zeroApi.getBatch(created.getId());
            assertThat(expired.getStatus()).isEqualTo(BatchStatus.EXPIRED);
            assertThat(expired.getInProgressAt()).isNull();
            assertThat(expired.getRequestCounts().getCompleted()).isZero();
            assertThat(expired.getOutputFileId()).isNull();
        }
    }

    @Test
    void whenTheLinesWouldTakeLongerThanTheWindowTheBatchExpiresAt24hWithWhatItDid() {
        SandboxClock slowClock = SandboxClock.fixed(Fixtures.T0);
        try (Mka1Sandbox slow = Mka1Sandbox.builder()
                .clock(slowClock)
                .stepDuration(Duration.ofHours(20))
                .expireAfterLines(6)
                .start()) {
            TestApi slowApi = new TestApi(slow);
            BatchObject created = slowApi.createBatch(slow.registerInputFile(Fixtures.chatFile(10)), CHAT);
            slowClock.advance(Duration.ofDays(2));

            // Six lines would take until 20h + 12h; at 24h, 4h into the step, two are done.
            BatchObject expired = slowApi.getBatch(created.getId());
            assertThat(expired.getStatus()).isEqualTo(BatchStatus.EXPIRED);
            assertThat(expired.getExpiredAt()).isEqualTo(created.getCreatedAt() + 24 * 3600);
            assertThat(expired.getRequestCounts().getCompleted()).isEqualTo(2);
        }
    }

    @Test
    void builderChecksItsValues() {
        assertThatThrownBy(() -> Mka1Sandbox.builder().expireAfterLines(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expireAfterLines");
        assertThatThrownBy(() -> Mka1Sandbox.builder().expiringBatches(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expiringBatches");
        assertThatThrownBy(() -> Mka1Sandbox.builder().expiringBatches(1).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("expiringBatches needs expireAfterLines");
    }
}
