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
 * sandbox.injectFault(FaultSpec.cutBodyAfter(1024).on(SandboxOperation.GET_FILE_CONTENT));
 * sandbox.injectFault(FaultSpec.slowBody(4, Duration.ofMillis(40)));  // the real answer, trickled
 * sandbox.injectFault(FaultSpec.dropAnswer().on(SandboxOperation.UPLOAD_FILE).skip(1)); // 2nd upload stored, unanswered
 * }</pre>
 *
 * <p>Defaults: a spec applies to {@linkplain #times(int) one} request of {@linkplain
 * #on(SandboxOperation...) any} operation, the first one that matches ({@link #skip(int)} lets
 * some through first), and replaces the request before the sandbox sees it
 * (nothing is created or cancelled) unless {@link #afterProcessing()} is set. A status fault's
 * body is {@code {"error":"Rate limit exceeded"}} for 429 (the documented shape) and an
 * OpenAI-style error object otherwise, unless {@link #body(String)} replaces it.
 */
public final class FaultSpec {
    enum Kind {
        STATUS,
        FAULT,
        DELAY,
        CUT_BODY,
        SLOW_BODY
    }

    private final Kind kind;
    private final int status;
    private final SandboxFault fault;
    private final Duration delay;
    /** CUT_BODY: bytes sent before the cut; SLOW_BODY: number of chunks. */
    private final long amount;

    private final int times;
    private final Set<SandboxOperation> operations;
    private final Map<String, String> headers;
    private final String body;
    private final boolean afterProcessing;
    /** Matching requests let through untouched before the fault applies. */
    private final int skip;

    private FaultSpec(
            Kind kind,
            int status,
            SandboxFault fault,
            Duration delay,
            long amount,
            int times,
            Set<SandboxOperation> operations,
            Map<String, String> headers,
            String body,
            boolean afterProcessing,
            int skip) {
        this.kind = kind;
        this.status = status;
        this.fault = fault;
        this.delay = delay;
        this.amount = amount;
        this.times = times;
        this.operations = operations;
        this.headers = headers;
        this.body = body;
        this.afterProcessing = afterProcessing;
        this.skip = skip;
    }

    private static FaultSpec of(Kind kind, int status, SandboxFault fault, Duration delay) {
        return of(kind, status, fault, delay, 0);
    }

    private static FaultSpec of(Kind kind, int status, SandboxFault fault, Duration delay, long amount) {
        return new FaultSpec(
                kind,
                status,
                fault,
                delay,
                amount,
                1,
                Collections.unmodifiableSet(EnumSet.allOf(SandboxOperation.class)),
                Collections.emptyMap(),
                null,
                false,
                0);
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
     * Acts on the request, then drops its answer: the sandbox processes it (a batch is created, a
     * file stored) and closes the connection without sending a byte. A client cannot tell whether
     * its request was acted on, the case a retried create or upload must survive when the server
     * does not honour {@code Idempotency-Key}. The same as {@code
     * fault(SandboxFault.EMPTY_RESPONSE).afterProcessing()}.
     *
     * <pre>{@code
     * sandbox.injectFault(FaultSpec.dropAnswer().on(SandboxOperation.CREATE).skip(2));  // the 3rd create
     * }</pre>
     *
     * @return a new spec
     */
    public static FaultSpec dropAnswer() {
        return fault(SandboxFault.EMPTY_RESPONSE).afterProcessing();
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
     * Answers normally, but breaks the connection after the first {@code bytes} bytes of the body:
     * the status and headers (with the full {@code Content-Length}) are sent, then only part of
     * the body, then the connection is closed. A client sees a premature end of the body, as when
     * a long download is cut. A body of {@code bytes} bytes or fewer is sent whole.
     *
     * @param bytes how many body bytes are sent, zero or more
     * @return a new spec
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public static FaultSpec cutBodyAfter(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
        return of(Kind.CUT_BODY, 0, null, null, bytes);
    }

    /**
     * Answers normally, but trickles the body: it is sent in {@code chunks} pieces spread over
     * {@code total} (real time, so keep it short in tests: a few milliseconds per chunk suffice to
     * make a client read in pieces). The status and headers go first.
     *
     * @param chunks how many pieces, 1..1000
     * @param total the time over which the pieces are spread, at most one minute
     * @return a new spec
     * @throws NullPointerException if {@code total} is null
     * @throws IllegalArgumentException if {@code chunks} or {@code total} is out of range
     */
    public static FaultSpec slowBody(int chunks, Duration total) {
        Objects.requireNonNull(total, "total == null");
        if (chunks < 1 || chunks > 1000) {
            throw new IllegalArgumentException("chunks must be 1..1000: " + chunks);
        }
        if (total.isNegative() || total.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("total must be 0..1 minute: " + total);
        }
        return of(Kind.SLOW_BODY, 0, null, total, chunks);
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
                kind, status, fault, delay, amount, times, operations, headers, body, afterProcessing, skip);
    }

    /**
     * Lets the first {@code requests} matching requests through untouched; the fault applies from
     * the next one on (with {@code skip(2)}, to the third). While it skips, the spec still holds
     * its place in the queue: a matching request it lets through is not offered to faults
     * injected after it.
     *
     * @param requests zero or more (default 0)
     * @return a copy that skips that many
     * @throws IllegalArgumentException if {@code requests} is negative
     */
    public FaultSpec skip(int requests) {
        if (requests < 0) {
            throw new IllegalArgumentException("requests must not be negative: " + requests);
        }
        return new FaultSpec(
                kind, status, fault, delay, amount, times, operations, headers, body, afterProcessing, requests);
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
                amount,
                times,
                Collections.unmodifiableSet(set),
                headers,
                body,
                afterProcessing,
                skip);
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
                amount,
                times,
                operations,
                Collections.unmodifiableMap(copy),
                body,
                afterProcessing,
                skip);
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
                kind, status, fault, delay, amount, times, operations, headers, body, afterProcessing, skip);
    }

    /**
     * Lets the sandbox process the request first (a batch is created or cancelled) and only then
     * replaces the response with this fault: a "lost response", for testing retries with an
     * {@code Idempotency-Key}. Has no effect on {@link #delay(Duration)}, {@link
     * #cutBodyAfter(long)} and {@link #slowBody(int, Duration)}, which always process the request.
     *
     * @return a copy that applies after processing
     */
    public FaultSpec afterProcessing() {
        return new FaultSpec(kind, status, fault, delay, amount, times, operations, headers, body, true, skip);
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

    long amount() {
        return amount;
    }

    int count() {
        return times;
    }

    int skipped() {
        return skip;
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
        String what;
        switch (kind) {
            case STATUS:
                what = "status " + status;
                break;
            case FAULT:
                what = fault.name();
                break;
            case CUT_BODY:
                what = "body cut after " + amount + " bytes";
                break;
            case SLOW_BODY:
                what = "body in " + amount + " chunks over " + delay;
                break;
            default:
                what = "delay " + delay;
        }
        return "FaultSpec[" + what + " x" + times + " on " + operations + (afterProcessing ? " after processing" : "")
                + (skip > 0 ? " after skipping " + skip : "") + "]";
    }
}
