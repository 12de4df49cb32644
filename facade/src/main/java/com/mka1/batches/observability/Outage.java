package com.mka1.batches.observability;

import com.mka1.batches.errors.Mka1Exception;
import com.mka1.batches.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * An outage being waited out: a call of a wait ({@code waitForCompletion}) or of a batch run
 * failed for a reason that passes — no answer, a timeout, HTTP 408, 429 or 5xx — after its own
 * retries, and will be tried again after {@link #retryIn()}, within the wait's outage budget
 * ({@link com.mka1.batches.WaitOptions#outageBudget()}).
 *
 * <p>Immutable. The client makes one per failure it waits out; the constructor is public for tests
 * of listeners and callbacks.
 */
public final class Outage {
    private final Mka1Exception failure;
    private final int failures;
    private final Duration downFor;
    private final Duration retryIn;

    /**
     * @param failure the failure being waited out
     * @param failures how many calls have failed in this outage, this one included
     * @param downFor the time since the last call that succeeded (or since the wait began)
     * @param retryIn the wait before the next try
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code failures} is below 1 or a duration is negative
     */
    public Outage(Mka1Exception failure, int failures, Duration downFor, Duration retryIn) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be 1 or more, was " + failures);
        }
        this.failure = Objects.requireNonNull(failure, "failure == null");
        this.failures = failures;
        this.downFor = Checks.notNegative(downFor, "downFor");
        this.retryIn = Checks.notNegative(retryIn, "retryIn");
    }

    /** @return the failure being waited out: a {@code Mka1IoException} or an {@code ApiException} */
    public Mka1Exception failure() {
        return failure;
    }

    /** @return how many calls have failed in this outage, this one included (1 for the first) */
    public int failures() {
        return failures;
    }

    /** @return the time since the last call that succeeded, or since the wait began */
    public Duration downFor() {
        return downFor;
    }

    /** @return the wait before the next try */
    public Duration retryIn() {
        return retryIn;
    }

    @Override
    public String toString() {
        return "Outage{failures=" + failures + ", downFor=" + downFor + ", retryIn=" + retryIn + ", failure="
                + failure.getClass().getSimpleName() + '}';
    }
}
