package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.mka1.batches.WaitForCompletionTest.ID;
import static com.mka1.batches.WaitForCompletionTest.PATH;
import static com.mka1.batches.WaitForCompletionTest.answerInTurn;
import static com.mka1.batches.WaitForCompletionTest.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.mka1.batches.errors.NotFoundException;
import com.mka1.batches.errors.WaitTimeoutException;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code client.async().llm().batches().waitForCompletion(..)}: the same decisions, no blocked thread. */
class AsyncWaitForCompletionTest {
    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final WaitForCompletionTest.FakeTime time = new WaitForCompletionTest.FakeTime();

    private static Mka1Client client(Sleeper sleeper, Clock clock) {
        return Mka1Client.builder().apiKey("sk-test").baseUrl(wm.baseUrl()).maxRetries(0)
                .sleeper(sleeper).clock(clock).build();
    }

    @Test
    void pollsUntilTerminalWithGrowingWaitsAndReportsProgress() throws Exception {
        answerInTurn(wm, batch("validating", 0, 0, 0), batch("in_progress", 1, 0, 2), batch("completed", 2, 0, 2));
        List<BatchObject> progress = new ArrayList<>();

        BatchObject done;
        try (Mka1Client client = client(time, time)) {
            done = client.async().llm().batches()
                    .waitForCompletion(ID, WaitOptions.builder().onProgress(progress::add).build())
                    .get(10, TimeUnit.SECONDS);
        }

        assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        wm.verify(3, getRequestedFor(urlPathEqualTo(PATH)));
        assertThat(time.sleeps).containsExactly(Duration.ofMillis(2000), Duration.ofMillis(3000));
        assertThat(progress).extracting(BatchObject::getStatus)
                .containsExactly(BatchStatus.VALIDATING, BatchStatus.IN_PROGRESS, BatchStatus.COMPLETED);
    }

    @Test
    void theTimeoutCompletesTheFutureWithTheLastBatch() {
        answerInTurn(wm, batch("in_progress", 1, 0, 5));

        try (Mka1Client client = client(time, time)) {
            CompletableFuture<BatchObject> wait = client.async().llm().batches().waitForCompletion(ID,
                    WaitOptions.builder().pollInterval(Duration.ofSeconds(4)).backoffMultiplier(1)
                            .timeout(Duration.ofSeconds(10)).build());

            assertThatThrownBy(() -> wait.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(WaitTimeoutException.class);
        }
        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(4), Duration.ofSeconds(4), Duration.ofSeconds(2));
        wm.verify(4, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void aFailingPollCompletesTheFutureWithItsException() {
        wm.stubFor(get(urlPathEqualTo(PATH)).willReturn(notFound()));

        try (Mka1Client client = client(time, time)) {
            CompletableFuture<BatchObject> wait = client.async().llm().batches().waitForCompletion(ID);

            assertThatThrownBy(() -> wait.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(NotFoundException.class);
        }
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void cancellingTheFutureCancelsThePendingWaitAndStopsPolling() throws Exception {
        answerInTurn(wm, batch("in_progress", 0, 0, 2));
        CompletableFuture<Void> pendingWait = new CompletableFuture<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Sleeper neverWakes = new Sleeper() {
            @Override
            public void sleep(Duration duration) {
                throw new AssertionError("an async wait must not block a thread");
            }

            @Override
            public CompletableFuture<Void> sleepAsync(Duration duration) {
                waiting.countDown();
                return pendingWait;
            }
        };
        try (Mka1Client client = client(neverWakes, Clock.systemUTC())) {
            CompletableFuture<BatchObject> wait = client.async().llm().batches().waitForCompletion(ID);
            assertThat(waiting.await(10, TimeUnit.SECONDS)).as("the wait after the first poll started").isTrue();

            wait.cancel(true);

            // The poller hands the wait over on the dispatcher thread, perhaps just after the
            // cancel: the wait must end cancelled either way (get() returns as soon as it is).
            assertThatThrownBy(() -> pendingWait.get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        }
        wm.verify(1, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void argumentsAreCheckedAtOnce() {
        try (Mka1Client client = client(time, time)) {
            AsyncBatchService batches = client.async().llm().batches();
            assertThatThrownBy(() -> batches.waitForCompletion(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("batchId == null");
            assertThatThrownBy(() -> batches.waitForCompletion(ID, null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("options == null");
        }
        wm.verify(0, getRequestedFor(urlPathEqualTo(PATH)));
    }
}
