package com.mka1.batches.observability;

import java.time.Duration;
import java.util.Objects;

/**
 * A retry the client will make: which attempt failed and why, and the wait before the next one.
 *
 * <p>Immutable. The client makes one per retry; the constructor is public for tests of listeners.
 */
public final class RetryScheduled {
    private final int attempt;
    private final CallOutcome reason;
    private final int statusCode;
    private final Duration delay;
    private final boolean serverRequested;
    private final Throwable failure;

    /**
     * @param attempt the number of the attempt that failed, from 1
     * @param reason how that attempt ended
     * @param statusCode its HTTP status, or 0 if no response arrived
     * @param delay the wait before the next attempt
     * @param serverRequested whether the server set the wait ({@code Retry-After}, {@code Retry-After-Ms})
     * @param failure what failed the attempt
     * @throws NullPointerException if {@code reason}, {@code delay} or {@code failure} is null
     * @throws IllegalArgumentException if {@code attempt} is below 1, {@code delay} negative or
     *     {@code statusCode} not 0 or 100..999
     */
    public RetryScheduled(
            int attempt,
            CallOutcome reason,
            int statusCode,
            Duration delay,
            boolean serverRequested,
            Throwable failure) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be 1 or more, was " + attempt);
        }
        Objects.requireNonNull(delay, "delay == null");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        this.attempt = attempt;
        this.reason = Objects.requireNonNull(reason, "reason == null");
        this.statusCode = StatusClasses.checked(statusCode);
        this.delay = delay;
        this.serverRequested = serverRequested;
        this.failure = Objects.requireNonNull(failure, "failure == null");
    }

    /** @return the number of the attempt that failed; the next one is {@code attempt() + 1} */
    public int attempt() {
        return attempt;
    }

    /** @return how the failed attempt ended: {@code SERVER_ERROR}, {@code CLIENT_ERROR} (a 408 or 429), {@code IO_ERROR} or {@code TIMEOUT} */
    public CallOutcome reason() {
        return reason;
    }

    /** @return the failed attempt's HTTP status, or 0 if no response arrived */
    public int statusCode() {
        return statusCode;
    }

    /** @return the failed attempt's status class ({@code 5xx}, ...), or {@code none} */
    public String statusClass() {
        return StatusClasses.of(statusCode);
    }

    /** @return the wait before the next attempt */
    public Duration delay() {
        return delay;
    }

    /** @return whether the wait is the server's ({@code Retry-After} or {@code Retry-After-Ms}) rather than the backoff */
    public boolean serverRequested() {
        return serverRequested;
    }

    /** @return the exception the failed attempt would have thrown, had no retry followed */
    public Throwable failure() {
        return failure;
    }

    @Override
    public String toString() {
        return "RetryScheduled{attempt=" + attempt + ", reason=" + reason + ", statusCode=" + statusCode + ", delay="
                + delay + ", serverRequested=" + serverRequested + '}';
    }
}
