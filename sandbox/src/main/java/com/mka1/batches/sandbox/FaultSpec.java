package com.mka1.batches.sandbox;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable description of a fault to inject into the next matching requests, handed to
 * {@link Mka1Sandbox#injectFault(FaultSpec)}.
 *
 * <pre>{@code
 * sandbox.injectFault(FaultSpec.status(503).times(2).on(SandboxOperation.GET).retryAfterSeconds(1));
 * sandbox.injectFault(FaultSpec.status(429));                       // {"error":"Rate limit exceeded"}
 * sandbox.injectFault(FaultSpec.fault(SandboxFault.CONNECTION_RESET));
 * sandbox.injectFault(FaultSpec.delay(Duration.ofMillis(200)));     // the real answer, late
 * sandbox.injectFault(FaultSpec.status(502).on(SandboxOperation.CREATE).afterProcessing());
 * }</pre>
 *
 * <p>Defaults: a spec applies to {@linkplain #times(int) one} request of {@linkplain
 * #on(SandboxOperation...) any} operation, and replaces the request before the sandbox sees it
 * (nothing is created or cancelled) unless {@link #afterProcessing()} is set. A status fault's
 * body is {@code {"error":"Rate limit exceeded"}} for 429 (the documented shape) and an
 * OpenAI-style error object otherwise, unless {@link #body(String)} replaces it.
 */
public final class FaultSpec {
    enum Kind {
        STATUS,
        FAULT,
        DELAY
    }

    private final Kind kind;
    private final int status;
    private final SandboxFault fault;
    private final Duration delay;
    private final int times;
    private final Set<SandboxOperation> operations;
    private final Map<String, String> headers;
    private final String body;
    private final boolean afterProcessing;

    private FaultSpec(
            Kind kind,
            int status,
            SandboxFault fault,
            Duration delay,
            int times,
            Set<SandboxOperation> operations,
            Map<String, String> headers,
            String body,
            boolean afterProcessing) {
        this.kind = kind;
        this.status = status;
        this.fault = fault;
        this.delay = delay;
        this.times = times;
        this.operations = operations;
        this.headers = headers;
        this.body = body;
        this.afterProcessing = afterProcessing;
    }

    private static FaultSpec of(Kind kind, int status, SandboxFault fault, Duration delay) {
        return new FaultSpec(
                kind,
                status,
                fault,
                delay,
                1,
                Collections.unmodifiableSet(EnumSet.allOf(SandboxOperation.class)),
                Collections.emptyMap(),
                null,
                false);
    }

    /**
     * Answers with an HTTP error status.
     *
     * @param status an HTTP status from 400 to 599
     * @return a new spec
     * @throws IllegalArgumentException if {@code status} is out of range
     */
    public static FaultSpec status(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 400..599: " + status);
        }
        return of(Kind.STATUS, status, null, null);
    }

    /**
     * Answers with a transport-level failure instead of a response.
     *
     * @param fault the failure
     * @return a new spec
     * @throws NullPointerException if {@code fault} is null
     */
    public static FaultSpec fault(SandboxFault fault) {
        Objects.requireNonNull(fault, "fault == null");
        return of(Kind.FAULT, 0, fault, null);
    }

    /**
     * Answers normally, after a delay (real time: keep it short in tests).
     *
     * @param delay how long the response is held back, at most one minute
     * @return a new spec
     * @throws NullPointerException if {@code delay} is null
     * @throws IllegalArgumentException if {@code delay} is negative or over one minute
     */
    public static FaultSpec delay(Duration delay) {
        Objects.requireNonNull(delay, "delay == null");
        if (delay.isNegative() || delay.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("delay must be 0..1 minute: " + delay);
        }
        return of(Kind.DELAY, 0, null, delay);
    }

    /**
     * How many matching requests this spec applies to before it is used up.
     *
     * @param times at least 1
     * @return a copy with the count
     * @throws IllegalArgumentException if {@code times} is below 1
     */
    public FaultSpec times(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1: " + times);
        }
        return new FaultSpec(
                kind, status, fault, delay, times, operations, headers, body, afterProcessing);
    }

    /**
     * Restricts this spec to the given operations; requests of other operations pass untouched.
     *
     * @param operations at least one operation
     * @return a copy with the filter
     * @throws NullPointerException if {@code operations} or one of them is null
     * @throws IllegalArgumentException if no operation is given
     */
    public FaultSpec on(SandboxOperation... operations) {
        Objects.requireNonNull(operations, "operations == null");
        if (operations.length == 0) {
            throw new IllegalArgumentException("operations is empty");
        }
        EnumSet<SandboxOperation> set = EnumSet.noneOf(SandboxOperation.class);
        for (SandboxOperation operation : operations) {
            set.add(Objects.requireNonNull(operation, "operations contains null"));
        }
        return new FaultSpec(
                kind,
                status,
                fault,
                delay,
                times,
                Collections.unmodifiableSet(set),
                headers,
                body,
                afterProcessing);
    }

    /**
     * Adds a {@code Retry-After} header (in seconds) to a status fault.
     *
     * @param seconds zero or more
     * @return a copy with the header
     * @throws IllegalArgumentException if {@code seconds} is negative
     * @throws IllegalStateException if this is not a {@link #status(int)} spec
     */
    public FaultSpec retryAfterSeconds(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("seconds is negative: " + seconds);
        }
        return header("Retry-After", Long.toString(seconds));
    }

    /**
     * Adds a response header to a status fault.
     *
     * @param name the header name
     * @param value the header value
     * @return a copy with the header
     * @throws NullPointerException if {@code name} or {@code value} is null
     * @throws IllegalStateException if this is not a {@link #status(int)} spec
     */
    public FaultSpec header(String name, String value) {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(value, "value == null");
        requireStatus("header");
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new FaultSpec(
                kind,
                status,
                fault,
                delay,
                times,
                operations,
                Collections.unmodifiableMap(copy),
                body,
                afterProcessing);
    }

    /**
     * Replaces a status fault's body with any text (an HTML page, an empty string, ...). The
     * {@code Content-Type} is {@code application/json} unless set with {@link #header}.
     *
     * @param body the body
     * @return a copy with the body
     * @throws NullPointerException if {@code body} is null
     * @throws IllegalStateException if this is not a {@link #status(int)} spec
     */
    public FaultSpec body(String body) {
        Objects.requireNonNull(body, "body == null");
        requireStatus("body");
        return new FaultSpec(
                kind, status, fault, delay, times, operations, headers, body, afterProcessing);
    }

    /**
     * Lets the sandbox process the request first (a batch is created or cancelled) and only then
     * replaces the response with this fault: a "lost response", for testing retries with an
     * {@code Idempotency-Key}. Has no effect on a {@link #delay(Duration)} spec.
     *
     * @return a copy that applies after processing
     */
    public FaultSpec afterProcessing() {
        return new FaultSpec(kind, status, fault, delay, times, operations, headers, body, true);
    }

    private void requireStatus(String what) {
        if (kind != Kind.STATUS) {
            throw new IllegalStateException(what + " applies only to a status(...) fault");
        }
    }

    Kind kind() {
        return kind;
    }

    int statusCode() {
        return status;
    }

    SandboxFault transportFault() {
        return fault;
    }

    Duration delayDuration() {
        return delay;
    }

    int count() {
        return times;
    }

    boolean appliesTo(SandboxOperation operation) {
        return operation != null && operations.contains(operation);
    }

    Map<String, String> headers() {
        return headers;
    }

    String bodyOrNull() {
        return body;
    }

    boolean isAfterProcessing() {
        return afterProcessing;
    }

    @Override
    public String toString() {
        String what =
                kind == Kind.STATUS ? "status " + status : kind == Kind.FAULT ? fault.name() : "delay " + delay;
        return "FaultSpec[" + what + " x" + times + " on " + operations
                + (afterProcessing ? " after processing" : "") + "]";
    }
}
