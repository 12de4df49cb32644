package com.mka1.batches.observability;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a call ended: its outcome, the status and request id of its last attempt, the attempts it
 * took, its duration (waits between retries included) and the exception it throws.
 *
 * <p>Immutable. The client makes one per call; the constructor is public for tests of listeners.
 */
public final class CallResult {
    private final CallOutcome outcome;
    private final int statusCode;
    private final Duration duration;
    private final int attempts;
    private final String requestId;
    private final Throwable failure;

    /**
     * @param outcome how the call ended
     * @param statusCode the HTTP status of its last attempt, or 0 if that got no response
     * @param duration from the call's start to its end
     * @param attempts how many attempts were started (0 if the call ended before its first)
     * @param requestId the last response's {@code X-Request-ID}, or {@code null}
     * @param failure what the call throws (or fails its future with), or {@code null} if it succeeded
     * @throws NullPointerException if {@code outcome} or {@code duration} is null
     * @throws IllegalArgumentException if {@code attempts} is negative or {@code statusCode} not 0 or 100..999
     */
    public CallResult(
            CallOutcome outcome,
            int statusCode,
            Duration duration,
            int attempts,
            @Nullable String requestId,
            @Nullable Throwable failure) {
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative, was " + attempts);
        }
        this.outcome = Objects.requireNonNull(outcome, "outcome == null");
        this.statusCode = StatusClasses.checked(statusCode);
        this.duration = Objects.requireNonNull(duration, "duration == null");
        this.attempts = attempts;
        this.requestId = requestId;
        this.failure = failure;
    }

    /** @return how the call ended */
    public CallOutcome outcome() {
        return outcome;
    }

    /** @return the HTTP status of the last attempt, or 0 if it got no response */
    public int statusCode() {
        return statusCode;
    }

    /** @return the last attempt's status class ({@code 2xx}, {@code 4xx}, {@code 5xx}, ...), or {@code none} */
    public String statusClass() {
        return StatusClasses.of(statusCode);
    }

    /** @return the time from the call's start to its end, retries and the waits between them included, on the client's clock */
    public Duration duration() {
        return duration;
    }

    /** @return how many attempts the call made: 1 plus its retries */
    public int attempts() {
        return attempts;
    }

    /** @return the last response's {@code X-Request-ID} header, or {@code null}: high-cardinality, for logs and spans */
    public @Nullable String requestId() {
        return requestId;
    }

    /** @return what the call throws (or fails its future with), or {@code null} if it succeeded */
    public @Nullable Throwable failure() {
        return failure;
    }

    @Override
    public String toString() {
        return "CallResult{outcome=" + outcome + ", statusCode=" + statusCode + ", duration=" + duration + ", attempts="
                + attempts + ", requestId=" + requestId + '}';
    }
}
