package com.mka1.batches;

import com.mka1.batches.errors.Mka1Exception;
import com.mka1.batches.errors.WaitTimeoutException;
import com.mka1.batches.models.BatchObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Polls {@code get} until a batch is terminal: the engine of {@link BatchService#waitForCompletion}
 * and {@link AsyncBatchService#waitForCompletion}. Both share every decision ({@link Wait}); they
 * differ only in how they wait between polls.
 */
final class BatchPoller {
    private final Sleeper sleeper;
    private final Clock clock;

    BatchPoller(Sleeper sleeper, Clock clock) {
        this.sleeper = sleeper;
        this.clock = clock;
    }

    BatchObject waitForCompletion(BatchService batches, String batchId, WaitOptions options) {
        Wait wait = new Wait(batchId, options);
        while (true) {
            BatchObject batch = batches.get(batchId, options.requestOptions());
            Duration delay = wait.afterPoll(batch);
            if (delay == null) {
                return batch;
            }
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw interrupted(batchId, e);
            }
        }
    }

    /**
     * Like {@link #waitForCompletion}, without blocking a thread: polls are asynchronous
     * {@code get}s and the waits {@link Sleeper#sleepAsync timers}. Cancelling the returned future
     * cancels the poll or wait in progress.
     */
    CompletableFuture<BatchObject> waitForCompletionAsync(
            BiFunction<String, RequestOptions, CompletableFuture<BatchObject>> get, String batchId,
            WaitOptions options) {
        Wait wait = new Wait(batchId, options);
        CompletableFuture<BatchObject> result = new CompletableFuture<>();
        pollAsync(get, wait, new Futures.Steps(result), result);
        return result;
    }

    private void pollAsync(BiFunction<String, RequestOptions, CompletableFuture<BatchObject>> get, Wait wait,
                           Futures.Steps steps, CompletableFuture<BatchObject> result) {
        CompletableFuture<BatchObject> poll;
        try {
            poll = get.apply(wait.batchId, wait.options.requestOptions());
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        steps.follow(poll).whenComplete((batch, pollError) -> {
            if (result.isDone()) {
                return;
            }
            if (pollError != null) {
                result.completeExceptionally(Futures.unwrap(pollError));
                return;
            }
            Duration delay;
            try {
                delay = wait.afterPoll(batch);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            if (delay == null) {
                result.complete(batch);
                return;
            }
            steps.follow(sleeper.sleepAsync(delay)).whenComplete((ignored, sleepError) -> {
                if (result.isDone()) {
                    return;
                }
                if (sleepError != null) {
                    result.completeExceptionally(interrupted(wait.batchId, sleepError));
                } else {
                    pollAsync(get, wait, steps, result);
                }
            });
        });
    }

    /** One wait for one batch: its deadline, its growing interval, the last batch it reported. */
    private final class Wait {
        final String batchId;
        final WaitOptions options;
        private final long deadline;
        private Duration interval;
        private BatchObject previous;

        Wait(String batchId, WaitOptions options) {
            this.batchId = Checks.batchId(batchId);
            this.options = Objects.requireNonNull(options, "options == null");
            this.deadline = deadline(clock.millis(), options.timeout());
            this.interval = options.pollInterval();
        }

        /**
         * Reports progress, then decides.
         *
         * @return {@code null} when the batch is terminal, else how long to wait before the next poll
         * @throws WaitTimeoutException when the deadline has passed
         */
        Duration afterPoll(BatchObject batch) {
            if (previous == null || changed(previous, batch)) {
                options.onProgress().accept(batch);
            }
            previous = batch;
            if (BatchStatuses.isTerminal(batch)) {
                return null;
            }
            long remaining = deadline - clock.millis();
            if (remaining <= 0) {
                throw new WaitTimeoutException(batch, options.timeout());
            }
            // The last wait is cut short so that one more poll lands exactly on the deadline.
            Duration delay = interval.toMillis() < remaining ? interval : Duration.ofMillis(remaining);
            interval = next(interval, options);
            return delay;
        }
    }

    private static boolean changed(BatchObject before, BatchObject now) {
        return before.getStatus() != now.getStatus()
                || !Objects.equals(before.getRequestCounts(), now.getRequestCounts());
    }

    private static Duration next(Duration interval, WaitOptions options) {
        double grown = interval.toMillis() * options.backoffMultiplier();
        long max = options.maxPollInterval().toMillis();
        return grown >= max ? options.maxPollInterval() : Duration.ofMillis((long) grown);
    }

    private static Mka1Exception interrupted(String batchId, Throwable cause) {
        return new Mka1Exception("Interrupted while waiting for batch " + batchId + " to complete", cause);
    }

    private static long deadline(long now, Duration timeout) {
        try {
            return Math.addExact(now, timeout.toMillis());
        } catch (ArithmeticException beyondLongMillis) {
            return Long.MAX_VALUE;
        }
    }
}
