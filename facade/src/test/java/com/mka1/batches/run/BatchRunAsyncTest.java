package com.mka1.batches.run;

import static com.mka1.batches.run.RunSupport.expected;
import static com.mka1.batches.run.RunSupport.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.Sleeper;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.models.BatchStatus;
import com.mka1.batches.sandbox.FaultSpec;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxOperation;
import com.mka1.batches.sandbox.SandboxRequest;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code client.async().llm().batches().run(...)}: it completes with the result; cancelling its
 * future stops the wait, and cancels the server's batches only with {@code cancelOnAbort}. An
 * interrupted blocking run behaves the same way.
 */
@ExtendWith(SandboxExtension.class)
class BatchRunAsyncTest {
    private static final List<String> EXPECTED = expected(4, Set.of(3));

    @TempDir
    Path tmp;

    private Path dir;
    private Mka1Sandbox sandbox;

    @BeforeEach
    void setUp(Mka1Sandbox sandbox) {
        this.sandbox = sandbox;
        this.dir = tmp.resolve("run");
    }

    private BatchRunParams params(boolean cancelOnAbort) {
        return params(cancelOnAbort, WaitOptions.defaults());
    }

    private BatchRunParams params(boolean cancelOnAbort, WaitOptions waitOptions) {
        return RunSupport.params(dir, 4, 2, i -> i == 3)
                .waitOptions(waitOptions)
                .cancelOnAbort(cancelOnAbort)
                .build();
    }

    /** Its first wait blocks until the waiting thread is interrupted: the run is stuck waiting, and time stands still. */
    private static final class StuckSleeper implements Sleeper {
        final CountDownLatch waiting = new CountDownLatch(1);
        volatile Thread thread;

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            thread = Thread.currentThread();
            waiting.countDown();
            new CountDownLatch(1).await();
        }
    }

    @Test
    void anAsyncRunCompletesWithItsResult(Mka1Client client) throws Exception {
        CompletableFuture<BatchRunResult> future =
                client.async().llm().batches().run(params(false));

        BatchRunResult run = future.get(30, TimeUnit.SECONDS);

        assertThat(view(run)).containsExactlyElementsOf(EXPECTED);
        assertThat(run.batchIds()).hasSize(2);
        assertThat(client.async()
                        .llm()
                        .batches()
                        .resumeRun(dir)
                        .get(30, TimeUnit.SECONDS)
                        .toString())
                .isEqualTo(run.toString());
    }

    @Test
    void cancellingTheFutureStopsWaitingAndTheBatchesGoOn(Mka1Client client) throws Exception {
        StuckSleeper sleeper = new StuckSleeper();
        try (Mka1Client stuck =
                SandboxExtension.clientBuilder(sandbox).sleeper(sleeper).build()) {
            CompletableFuture<BatchRunResult> future =
                    stuck.async().llm().batches().run(params(false));
            assertThat(sleeper.waiting.await(30, TimeUnit.SECONDS)).isTrue();
            int polls = sandbox.requestCount(SandboxOperation.GET);

            assertThat(future.cancel(true)).isTrue();
            sleeper.thread.join(30_000);

            assertThat(sleeper.thread.isAlive()).isFalse();
            assertThat(sleeper.thread.getName()).startsWith("mka1-batches-run-");
            assertThat(sleeper.thread.isDaemon()).isTrue();
            assertThat(future).isCancelled();
            assertThat(sandbox.requestCount(SandboxOperation.GET)).isEqualTo(polls);
        }
        assertThat(sandbox.requestCount(SandboxOperation.CANCEL)).isZero();
        List<String> ids = RunSupport.manifest(dir).getAsJsonArray("parts").asList().stream()
                .map(p -> p.getAsJsonObject().get("batch_id").getAsString())
                .collect(java.util.stream.Collectors.toList());
        assertThat(ids)
                .hasSize(2)
                .allSatisfy(id ->
                        assertThat(client.llm().batches().get(id).getStatus()).isEqualTo(BatchStatus.VALIDATING));

        BatchRunResult run = client.llm().batches().resumeRun(dir);

        assertThat(view(run)).containsExactlyElementsOf(EXPECTED);
        assertThat(run.batchIds()).isEqualTo(ids);
    }

    @Test
    void withCancelOnAbortCancellingTheFutureAlsoCancelsTheBatches(Mka1Client client) throws Exception {
        StuckSleeper sleeper = new StuckSleeper();
        try (Mka1Client stuck =
                SandboxExtension.clientBuilder(sandbox).sleeper(sleeper).build()) {
            CompletableFuture<BatchRunResult> future =
                    stuck.async().llm().batches().run(params(true));
            assertThat(sleeper.waiting.await(30, TimeUnit.SECONDS)).isTrue();

            future.cancel(true);
            sleeper.thread.join(30_000);
            assertThat(sleeper.thread.isAlive()).isFalse();
        }
        List<SandboxRequest> cancels = sandbox.requests(SandboxOperation.CANCEL);
        assertThat(cancels).hasSize(2);
        BatchRunResult run = client.llm().batches().resumeRun(dir);
        assertThat(cancels)
                .extracting(SandboxRequest::url)
                .containsExactly(
                        "/api/v1/llm/batches/" + run.batchIds().get(0) + "/cancel",
                        "/api/v1/llm/batches/" + run.batchIds().get(1) + "/cancel");
        assertThat(run.missing()).isEqualTo(4);
        assertThat(view(run))
                .allMatch(line -> line.endsWith("MISSING batch <batch> was cancelled before this request ran"));
    }

    @Test
    void anInterruptedBlockingRunStopsWithTheInterruptKept() throws Exception {
        StuckSleeper sleeper = new StuckSleeper();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flagKept = new AtomicReference<>();
        try (Mka1Client stuck =
                SandboxExtension.clientBuilder(sandbox).sleeper(sleeper).build()) {
            Thread caller = new Thread(() -> {
                try {
                    stuck.llm().batches().run(params(true));
                } catch (RuntimeException e) {
                    thrown.set(e);
                    flagKept.set(Thread.currentThread().isInterrupted());
                }
            });
            caller.start();
            assertThat(sleeper.waiting.await(30, TimeUnit.SECONDS)).isTrue();

            caller.interrupt();
            caller.join(30_000);
        }
        assertThat(thrown.get())
                .isInstanceOf(Mka1IoException.class)
                .hasCauseInstanceOf(InterruptedIOException.class)
                .hasMessageContaining("Interrupted while waiting for batches");
        assertThat(flagKept.get()).isTrue();
        assertThat(sandbox.requestCount(SandboxOperation.CANCEL)).isEqualTo(2);
    }

    @Test
    void aCancelThatFailsWhileAbortingIsKeptAsSuppressedAndTheOtherBatchIsStillCancelled() throws Exception {
        sandbox.injectFault(FaultSpec.status(500).on(SandboxOperation.CANCEL).times(1));
        StuckSleeper sleeper = new StuckSleeper();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (Mka1Client stuck = SandboxExtension.clientBuilder(sandbox)
                .sleeper(sleeper)
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .build()) {
            Thread caller = new Thread(() -> {
                try {
                    stuck.llm().batches().run(params(true));
                } catch (RuntimeException e) {
                    thrown.set(e);
                }
            });
            caller.start();
            assertThat(sleeper.waiting.await(30, TimeUnit.SECONDS)).isTrue();

            caller.interrupt();
            caller.join(30_000);
        }
        assertThat(thrown.get()).isInstanceOf(Mka1IoException.class).hasCauseInstanceOf(InterruptedIOException.class);
        assertThat(thrown.get().getSuppressed()).singleElement().isInstanceOf(ApiException.class);
        assertThat(sandbox.requestCount(SandboxOperation.CANCEL)).isEqualTo(2);
    }

    @Test
    void withCancelOnAbortARunThatFailsOtherwiseLeavesTheBatchesRunning(Mka1Client client) {
        sandbox.injectFault(FaultSpec.status(500).on(SandboxOperation.GET));
        try (Mka1Client noRetries = SandboxExtension.clientBuilder(sandbox)
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .build()) {
            // No retry, no outage waited out: the 500 fails the run.
            WaitOptions giveUp =
                    WaitOptions.builder().outageBudget(Duration.ZERO).build();
            assertThatThrownBy(() -> noRetries.llm().batches().run(params(true, giveUp)))
                    .isInstanceOf(ApiException.class);
        }
        assertThat(sandbox.requestCount(SandboxOperation.CANCEL)).isZero();
        BatchRunResult run = client.llm().batches().resumeRun(dir);
        assertThat(view(run)).containsExactlyElementsOf(EXPECTED);
    }
}
