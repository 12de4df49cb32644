package com.mka1.batches;

import com.mka1.batches.errors.Mka1Exception;
import com.mka1.batches.errors.WaitTimeoutException;
import com.mka1.batches.models.BatchObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** Polls {@code get} until a batch is terminal; the engine of {@link BatchService#waitForCompletion}. */
final class BatchPoller {
    private final BatchService batches;
    private final Sleeper sleeper;
    private final Clock clock;

    BatchPoller(BatchService batches, Sleeper sleeper, Clock clock) {
        this.batches = batches;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    BatchObject waitForCompletion(String batchId, WaitOptions options) {
        Checks.batchId(batchId);
        Objects.requireNonNull(options, "options == null");
        long deadline = deadline(clock.millis(), options.timeout());
        Duration interval = options.pollInterval();
        BatchObject previous = null;
        while (true) {
            BatchObject batch = batches.get(batchId, options.requestOptions());
            if (previous == null || changed(previous, batch)) {
                options.onProgress().accept(batch);
            }
            if (BatchStatuses.isTerminal(batch)) {
                return batch;
            }
            long remaining = deadline - clock.millis();
            if (remaining <= 0) {
                throw new WaitTimeoutException(batch, options.timeout());
            }
            // The last wait is cut short so that one more poll lands exactly on the deadline.
            sleep(batchId, interval.toMillis() < remaining ? interval : Duration.ofMillis(remaining));
            interval = next(interval, options);
            previous = batch;
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

    private void sleep(String batchId, Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Mka1Exception("Interrupted while waiting for batch " + batchId + " to complete", e);
        }
    }

    private static long deadline(long now, Duration timeout) {
        try {
            return Math.addExact(now, timeout.toMillis());
        } catch (ArithmeticException beyondLongMillis) {
            return Long.MAX_VALUE;
        }
    }
}
