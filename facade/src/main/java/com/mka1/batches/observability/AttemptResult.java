package com.mka1.batches.observability;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one attempt of a call ended: its number, outcome, HTTP status, duration, the server's
 * request id and the failure. An attempt whose response arrived has its status even when the
 * attempt failed afterwards (a body broken off, or not what the operation answers).
 *
 * <p>Immutable. The client makes one per attempt; the constructor is public for tests of
 * listeners.
 */
public final class AttemptResult {
    private final int attempt;
    private final CallOutcome outcome;
    private final int statusCode;
    private final Duration duration;
    private final String requestId;
    private final Throwable failure;

    /**
     * @param attempt the attempt's number, from 1
     * @param outcome how it ended
     * @param statusCode the response's HTTP status, or 0 if none arrived
     * @param duration from sending to the end of the attempt
     * @param requestId the response's {@code X-Request-ID}, or {@code null}
     * @param failure what failed the attempt, or {@code null} if it succeeded
     * @throws NullPointerException if {@code outcome} or {@code duration} is null
     * @throws IllegalArgumentException if {@code attempt} is below 1 or {@code statusCode} is not 0 or 100..999
     */
    public AttemptResult(
            int attempt,
            CallOutcome outcome,
            int statusCode,
            Duration duration,
            @Nullable String requestId,
            @Nullable Throwable failure) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be 1 or more, was " + attempt);
        }
        this.attempt = attempt;
        this.outcome = Objects.requireNonNull(outcome, "outcome == null");
        this.statusCode = StatusClasses.checked(statusCode);
        this.duration = Objects.requireNonNull(duration, "duration == null");
        this.requestId = requestId;
        this.failure = failure;
    }

    /** @return the attempt's number: 1 for the first, 2 for the first retry, ... */
    public int attempt() {
        return attempt;
    }

    /** @return how the attempt ended */
    public CallOutcome outcome() {
        return outcome;
    }

    /** @return the response's HTTP status, or 0 if no response arrived */
    public int statusCode() {
        return statusCode;
    }

    /** @return {@code 2xx}, {@code 4xx}, {@code 5xx} (or {@code 1xx}, {@code 3xx}), or {@code none} without a response */
    public String statusClass() {
        return StatusClasses.of(statusCode);
    }

    /** @return the time from sending the attempt to its end, on the client's clock */
    public Duration duration() {
        return duration;
    }

    /** @return the response's {@code X-Request-ID} header, or {@code null}: high-cardinality, for logs and spans */
    public @Nullable String requestId() {
        return requestId;
    }

    /**
     * @return what failed the attempt (an {@code ApiException}, a {@code Mka1IoException}, ...),
     *     or {@code null} if it succeeded
     */
    public @Nullable Throwable failure() {
        return failure;
    }

    @Override
    public String toString() {
        return "AttemptResult{attempt=" + attempt + ", outcome=" + outcome + ", statusCode=" + statusCode
                + ", duration=" + duration + ", requestId=" + requestId + '}';
    }
}
