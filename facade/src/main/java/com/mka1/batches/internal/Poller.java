package com.mka1.batches.internal;

import com.mka1.batches.BatchStatuses;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.errors.WaitTimeoutException;
import com.mka1.batches.models.BatchObject;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Polls a batch until it is terminal: the engine of {@code waitForCompletion} in both modes. Both
 * share every decision ({@link Wait}) and reach the server through the same {@link CallEngine};
 * they differ only in the driver: blocking polls and {@code Sleeper.sleep}, or asynchronous polls
 * and {@code Sleeper.sleepAsync} chained as {@link Steps}.
 */
public final class Poller {
    private Poller() {
    }

    /** Blocks until the batch is terminal; an interrupt throws {@link CallEngine#interrupted}'s exception. */
    public static BatchObject await(CallEngine engine, String batchId, WaitOptions options) {
        Wait wait = new Wait(engine, batchId, options);
        while (true) {
            BatchObject batch = engine.execute(wait.poll, options.requestOptions()).value();
            Duration delay = wait.afterPoll(batch);
            if (delay == null) {
                return batch;
            }
            try {
                engine.sleeper().sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw wait.interrupted(e);
            }
        }
    }

    /** Like {@link #await}, blocking no thread; cancelling the future cancels the poll or wait in progress. */
    public static CompletableFuture<BatchObject> awaitAsync(CallEngine engine, String batchId, WaitOptions options) {
        Wait wait = new Wait(engine, batchId, options);
        CompletableFuture<BatchObject> result = new CompletableFuture<>();
        pollAsync(engine, wait, new Steps(result), result);
        return result;
    }

    private static void pollAsync(CallEngine engine, Wait wait, Steps steps, CompletableFuture<BatchObject> result) {
        CompletableFuture<BatchObject> poll;
        try {
            poll = Steps.map(engine.executeAsync(wait.poll, wait.options.requestOptions()), r -> r.value());
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        steps.follow(poll).whenComplete((batch, pollError) -> {
            if (result.isDone()) {
                return;
            }
            if (pollError != null) {
                result.completeExceptionally(Steps.unwrap(pollError));
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
            steps.follow(engine.sleeper().sleepAsync(delay)).whenComplete((ignored, sleepError) -> {
                if (result.isDone()) {
                    return;
                }
                if (sleepError != null) {
                    result.completeExceptionally(wait.interrupted(sleepError));
                } else {
                    pollAsync(engine, wait, steps, result);
                }
            });
        });
    }

    /** One wait for one batch: its poll, its deadline, its growing interval, the last batch it reported. */
    private static final class Wait {
        final ApiCall<BatchObject> poll;
        final String batchId;
        final WaitOptions options;
        private final CallEngine engine;
        private final long deadline;
        private Duration interval;
        private BatchObject previous;

        Wait(CallEngine engine, String batchId, WaitOptions options) {
            this.poll = BatchOperations.get(batchId);
            this.batchId = batchId;
            this.options = Objects.requireNonNull(options, "options == null");
            this.engine = engine;
            this.deadline = saturatedAdd(engine.clock().millis(), options.timeout());
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
            long remaining = deadline - engine.clock().millis();
            if (remaining <= 0) {
                throw new WaitTimeoutException(batch, options.timeout());
            }
            // The last wait is cut short so that one more poll lands exactly on the deadline.
            Duration delay = interval.toMillis() < remaining ? interval : Duration.ofMillis(remaining);
            interval = next(interval);
            return delay;
        }

        RuntimeException interrupted(Throwable cause) {
            return CallEngine.interrupted("Interrupted while waiting for batch " + batchId + " to complete", cause);
        }

        private Duration next(Duration current) {
            double grown = current.toMillis() * options.backoffMultiplier();
            long max = options.maxPollInterval().toMillis();
            return grown >= max ? options.maxPollInterval() : Duration.ofMillis((long) grown);
        }
    }

    private static boolean changed(BatchObject before, BatchObject now) {
        return before.getStatus() != now.getStatus()
                || !Objects.equals(before.getRequestCounts(), now.getRequestCounts());
    }

    private static long saturatedAdd(long now, Duration timeout) {
        try {
            return Math.addExact(now, timeout.toMillis());
        } catch (ArithmeticException beyondLongMillis) {
            return Long.MAX_VALUE;
        }
    }
}
