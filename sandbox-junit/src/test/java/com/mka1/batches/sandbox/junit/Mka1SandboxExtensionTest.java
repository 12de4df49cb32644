package com.mka1.batches.sandbox.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mka1.batches.BatchService;
import com.mka1.batches.CreateBatchParams;
import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.errors.NotFoundException;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import com.mka1.batches.sandbox.FaultSpec;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxClock;
import com.mka1.batches.sandbox.SandboxOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The extension with its defaults, used the way a user's test uses it. Nothing here really sleeps:
 * the sandbox clock is fixed and only the client's waits move it, so a real sleep would leave every
 * batch validating forever and the {@link Timeout} (a hang guard, not a speed assertion) would fail
 * the test.
 */
@ExtendWith(Mka1SandboxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Mka1SandboxExtensionTest {
    static final String INPUT = ""
            + "{\"custom_id\":\"r1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}\n"
            + "{\"custom_id\":\"r2\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"yo\"}]}}\n";

    // What the first ordered test leaves behind, for the second to check.
    private static Mka1Sandbox firstSandbox;
    private static Mka1Client firstClient;
    private static String firstBatchId;

    private final Mka1Sandbox constructorSandbox;

    Mka1SandboxExtensionTest(Mka1Sandbox sandbox) {
        this.constructorSandbox = sandbox;
    }

    static BatchObject createBatch(Mka1Sandbox sandbox, BatchService batches) {
        return batches.create(CreateBatchParams.builder()
                .inputFileId(sandbox.registerInputFile(INPUT))
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .build());
    }

    @Test
    @Order(1)
    void waitForCompletionReturnsTheCompletedBatchAndMovesTheClockByThePollWaits(
            Mka1Sandbox sandbox, SandboxClock clock, Mka1Client client) {
        BatchService batches = client.llm().batches();
        Instant start = clock.instant();
        assertThat(start).isEqualTo(Mka1SandboxExtension.DEFAULT_START);
        BatchObject created = createBatch(sandbox, batches);

        List<BatchStatus> seen = new ArrayList<>();
        BatchObject done = batches.waitForCompletion(
                created.getId(),
                WaitOptions.builder()
                        .pollInterval(Duration.ofSeconds(1))
                        .backoffMultiplier(1)
                        .onProgress(b -> seen.add(b.getStatus()))
                        .build());

        assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(done.getRequestCounts().getCompleted()).isEqualTo(2);
        assertThat(seen.stream().distinct())
                .as("statuses reported on progress")
                .containsExactly(
                        BatchStatus.VALIDATING, BatchStatus.IN_PROGRESS, BatchStatus.FINALIZING, BatchStatus.COMPLETED);
        // Three steps of 2 s, polled every second: polls at 0..6 s, so 7 gets and 6 waits of 1 s,
        // and the clock stopped exactly on completion: it moved by the waits and by nothing else.
        assertThat(sandbox.requestCount(SandboxOperation.GET)).isEqualTo(7);
        assertThat(clock.instant()).isEqualTo(start.plusSeconds(6));
        assertThat(done.getCompletedAt()).isEqualTo(done.getCreatedAt() + 6);
        assertThat(sandbox.fileContent(done.getOutputFileId()))
                .get()
                .asString()
                .contains("\"custom_id\":\"r1\"")
                .contains("\"custom_id\":\"r2\"");

        firstSandbox = sandbox;
        firstClient = client;
        firstBatchId = created.getId();
    }

    @Test
    @Order(2)
    void theNextTestHasTheSameSandboxResetAndItsOwnClient(Mka1Sandbox sandbox, Mka1Client client) {
        assertThat(firstSandbox).as("test 1 ran first").isNotNull();
        assertThat(sandbox).isSameAs(firstSandbox).isSameAs(constructorSandbox);
        assertThat(sandbox.port()).isEqualTo(firstSandbox.port());

        assertThat(sandbox.requestCount())
                .as("requests recorded before the reset")
                .isZero();
        assertThatThrownBy(() -> client.llm().batches().get(firstBatchId)).isInstanceOf(NotFoundException.class);
        assertThat(client.llm().batches().list(ListBatchesParams.none()).data()).isEmpty();

        assertThat(client).isNotSameAs(firstClient);
        assertThatThrownBy(() -> firstClient.llm().batches().list(ListBatchesParams.none()))
                .as("the first test's client was closed after it")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void defaultWaitForCompletionFinishesWithoutRealSleeping(
            Mka1Sandbox sandbox, SandboxClock clock, Mka1Client client) {
        BatchService batches = client.llm().batches();
        BatchObject created = createBatch(sandbox, batches);

        BatchObject done = batches.waitForCompletion(created.getId(), WaitOptions.defaults());

        assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(clock.instant().getEpochSecond()).isGreaterThanOrEqualTo(done.getCompletedAt());
    }

    @Test
    void asyncWaitForCompletionCompletesAndMovesTheClockToo(
            Mka1Sandbox sandbox, SandboxClock clock, Mka1Client client) {
        BatchObject created = createBatch(sandbox, client.llm().batches());
        Instant start = clock.instant();

        BatchObject done = client.async()
                .llm()
                .batches()
                .waitForCompletion(
                        created.getId(),
                        WaitOptions.builder()
                                .pollInterval(Duration.ofSeconds(1))
                                .backoffMultiplier(1)
                                .build())
                .join();

        assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(sandbox.requestCount(SandboxOperation.GET)).isEqualTo(7);
        assertThat(clock.instant()).isEqualTo(start.plusSeconds(6));
    }

    @Test
    void aRetryAfterA503WaitsTheRetryAfterInSandboxTime(Mka1Sandbox sandbox, SandboxClock clock, Mka1Client client) {
        BatchObject created = createBatch(sandbox, client.llm().batches());
        sandbox.injectFault(
                FaultSpec.status(503).times(1).on(SandboxOperation.GET).retryAfterSeconds(5));
        Instant start = clock.instant();

        BatchObject got = client.llm().batches().get(created.getId());

        assertThat(got.getId()).isEqualTo(created.getId());
        assertThat(sandbox.requestCount(SandboxOperation.GET)).isEqualTo(2);
        assertThat(clock.instant()).isEqualTo(start.plusSeconds(5));
        assertThat(got.getStatus()).as("5 s of sandbox time have passed").isEqualTo(BatchStatus.FINALIZING);
    }

    @Test
    void aRetryWithoutRetryAfterWaitsTheDefaultBackoffInSandboxTime(
            Mka1Sandbox sandbox, SandboxClock clock, Mka1Client client) {
        sandbox.injectFault(FaultSpec.status(503).times(1).on(SandboxOperation.LIST));
        Instant start = clock.instant();

        client.async().llm().batches().list(ListBatchesParams.none()).join();

        assertThat(sandbox.requestCount(SandboxOperation.LIST)).isEqualTo(2);
        // The default policy's first backoff: 500 ms, shortened by up to 25% of jitter.
        assertThat(Duration.between(start, clock.instant())).isBetween(Duration.ofMillis(375), Duration.ofMillis(500));
    }

    @Test
    void aSecondClientFromClientBuilderAlsoWaitsInSandboxTime(Mka1Sandbox sandbox, SandboxClock clock) {
        sandbox.injectFault(
                FaultSpec.status(429).times(2).on(SandboxOperation.LIST).retryAfterSeconds(20));
        Instant start = clock.instant();

        try (Mka1Client client = Mka1SandboxExtension.clientBuilder(sandbox).build()) {
            assertThat(client.llm().batches().list(ListBatchesParams.none()).data())
                    .isEmpty();
        }

        assertThat(clock.instant()).isEqualTo(start.plusSeconds(40));
    }

    @Nested
    class InANestedClass {
        @Test
        void theSandboxIsTheOuterClasssResetBeforeTheTest(Mka1Sandbox sandbox, Mka1Client client) {
            assertThat(sandbox).isSameAs(constructorSandbox);
            assertThat(sandbox.requestCount()).isZero();

            BatchObject done = client.llm()
                    .batches()
                    .waitForCompletion(
                            createBatch(sandbox, client.llm().batches()).getId(), WaitOptions.defaults());

            assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        }
    }
}
