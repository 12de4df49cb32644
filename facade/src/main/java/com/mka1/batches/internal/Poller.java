package com.mka1.batches.internal;

import com.mka1.batches.BatchStatuses;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.errors.WaitTimeoutException;
import com.mka1.batches.models.BatchObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Polls a batch until it is terminal: the engine of {@code waitForCompletion} in both modes. Both
 * share every decision ({@link Wait}, and its {@link OutageBudget} for failed polls) and reach the
 * server through the same {@link CallEngine}; they differ only in the driver: blocking polls and
 * {@code Sleeper.sleep}, or asynchronous polls and {@code Sleeper.sleepAsync} as a {@link StepLoop}.
 */
public final class Poller {
    private Poller() {}

    /**
     * Blocks until the batch is terminal, each poll sent with {@code requestOptions}; an interrupt
     * throws {@link CallEngine#interrupted}'s exception.
     */
    public static BatchObject await(
            CallEngine engine, String batchId, WaitOptions options, RequestOptions requestOptions) {
        Wait wait = new Wait(engine, batchId, options, requestOptions);
        while (true) {
            BatchObject batch = wait.outages.call(
                    () -> engine.execute(wait.poll, requestOptions).value(), wait.schedule.deadline);
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

    /**
     * Blocks until every batch is terminal, polling each one not yet terminal once a round, with
     * the options' intervals between rounds and its timeout over the whole wait. The options'
     * progress callback gets each batch whose status or counts changed, as in {@link #await}.
     *
     * @param outages waits out the polls' outages (shared with the caller's other steps)
     * @param onPoll called with each batch read, after the progress callback
     * @param afterRound called after each round of polls
     * @throws WaitTimeoutException naming a batch still not terminal when the timeout ran out
     */
    public static void awaitAll(
            CallEngine engine,
            List<String> batchIds,
            WaitOptions options,
            OutageBudget outages,
            Consumer<BatchObject> onPoll,
            Runnable afterRound) {
        Objects.requireNonNull(options, "options == null");
        Schedule schedule = new Schedule(engine, options);
        Map<String, BatchObject> previous = new HashMap<>();
        List<String> pending = new ArrayList<>(batchIds);
        while (true) {
            BatchObject stillRunning = null;
            for (Iterator<String> ids = pending.iterator(); ids.hasNext(); ) {
                String id = ids.next();
                BatchObject batch = outages.call(
                        () -> engine.execute(BatchOperations.poll(id), RequestOptions.none())
                                .value(),
                        schedule.deadline);
                BatchObject before = previous.put(id, batch);
                if (before == null || changed(before, batch)) {
                    options.onProgress().accept(batch);
                }
                onPoll.accept(batch);
                if (BatchStatuses.isTerminal(batch.getStatus())) {
                    ids.remove();
                } else {
                    stillRunning = batch;
                }
            }
            afterRound.run();
            if (stillRunning == null) {
                return;
            }
            Duration delay = schedule.next(stillRunning);
            try {
                engine.sleeper().sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CallEngine.interrupted("Interrupted while waiting for batches " + pending + " to complete", e);
            }
        }
    }

    /** Like {@link #await}, blocking no thread; cancelling the future cancels the poll or wait in progress. */
    public static CompletableFuture<BatchObject> awaitAsync(
            CallEngine engine, String batchId, WaitOptions options, RequestOptions requestOptions) {
        return new Polls(engine, new Wait(engine, batchId, options, requestOptions)).start();
    }

    /** The asynchronous polls of one wait: each step a poll, each pause the wait before the next. */
    private static final class Polls extends StepLoop<BatchObject, BatchObject> {
        private final CallEngine engine;
        private final Wait wait;
        /** The failed poll the pause in progress waits out, or {@code null} after a poll that succeeded. */
        private RuntimeException pollFailure;

        Polls(CallEngine engine, Wait wait) {
            this.engine = engine;
            this.wait = wait;
        }

        @Override
        protected CompletableFuture<BatchObject> step() {
            return Steps.map(engine.executeAsync(wait.poll, wait.requestOptions), r -> r.value());
        }

        @Override
        protected CompletableFuture<?> after(BatchObject batch, Throwable pollError) {
            Duration delay;
            pollFailure = null;
            if (pollError != null) {
                Throwable failure = Steps.unwrap(pollError);
                if (!(failure instanceof RuntimeException)) {
                    fail(failure);
                    return null;
                }
                pollFailure = (RuntimeException) failure;
                delay = wait.outages.failed(pollFailure, wait.schedule.deadline);
            } else {
                wait.outages.succeeded();
                delay = wait.afterPoll(batch);
            }
            if (delay == null) {
                succeed(batch);
                return null;
            }
            return engine.sleeper().sleepAsync(delay);
        }

        @Override
        protected Throwable pauseFailed(Throwable sleepError) {
            return pollFailure == null
                    ? wait.interrupted(sleepError)
                    : wait.outages.interrupted(sleepError, pollFailure);
        }
    }

    /** One wait for one batch: its poll, its schedule, its outages, the last batch it reported. */
    private static final class Wait {
        final ApiCall<BatchObject> poll;
        final String batchId;
        final WaitOptions options;
        final RequestOptions requestOptions;
        final Schedule schedule;
        final OutageBudget outages;
        private BatchObject previous;

        Wait(CallEngine engine, String batchId, WaitOptions options, RequestOptions requestOptions) {
            this.poll = BatchOperations.poll(batchId);
            this.batchId = batchId;
            this.options = Objects.requireNonNull(options, "options == null");
            this.requestOptions = requestOptions;
            this.schedule = new Schedule(engine, options);
            this.outages = new OutageBudget(
                    engine, options.outageBudget(), "batch " + batchId + " to complete", options.onOutage());
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
            if (BatchStatuses.isTerminal(batch.getStatus())) {
                return null;
            }
            return schedule.next(batch);
        }

        RuntimeException interrupted(Throwable cause) {
            return CallEngine.interrupted("Interrupted while waiting for batch " + batchId + " to complete", cause);
        }
    }

    /** When to poll next: the deadline of the whole wait and the growing interval. */
    private static final class Schedule {
        private final CallEngine engine;
        private final WaitOptions options;
        /** The clock's millis when the wait's timeout runs out: no outage is waited out past it either. */
        final long deadline;

        private Duration interval;

        Schedule(CallEngine engine, WaitOptions options) {
            this.engine = engine;
            this.options = options;
            this.deadline = saturatedAdd(engine.clock().millis(), options.timeout());
            this.interval = options.pollInterval();
        }

        /**
         * @param running a batch not terminal yet, named by the timeout's exception
         * @return how long to wait before the next poll
         * @throws WaitTimeoutException when the deadline has passed
         */
        Duration next(BatchObject running) {
            long remaining = deadline - engine.clock().millis();
            if (remaining <= 0) {
                throw new WaitTimeoutException(running, options.timeout());
            }
            // The last wait is cut short so that one more poll lands exactly on the deadline.
            Duration delay = interval.toMillis() < remaining ? interval : Duration.ofMillis(remaining);
            double grown = interval.toMillis() * options.backoffMultiplier();
            long max = options.maxPollInterval().toMillis();
            interval = grown >= max ? options.maxPollInterval() : Duration.ofMillis((long) grown);
            return delay;
        }
    }

    private static boolean changed(BatchObject before, BatchObject now) {
        return !Objects.equals(before.getStatus(), now.getStatus())
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
