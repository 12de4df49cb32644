package com.mka1.batches.internal;

import com.mka1.batches.RawResponse;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.RetryPolicy;
import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.Mka1Exception;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.errors.Mka1TimeoutException;
import com.mka1.batches.observability.CallContext;
import com.mka1.batches.observability.CallListener;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mode-free decision core: the attempts of one call, and every decision about them — the
 * request and its headers, the timeouts, whether and when to retry, and how a response maps to a
 * value or a typed exception — and what the listeners hear of them. The drivers
 * ({@link BlockingDriver}, {@link AsyncDriver}) only send, wait, and ask it.
 *
 * <p>Invariants: attempts run one after another, so no two threads use it at once (its phase
 * facts, written by OkHttp's threads, are volatile: see {@link PhaseTracker.Phase}); a request
 * that creates carries one {@code Idempotency-Key} over all its attempts; a body that can be sent
 * once is never sent again once the attempt got a connection; no wait outlasts the call's
 * deadline or the policy's budget: the call fails at once instead.
 */
final class Attempts<T> {
    private static final Logger LOG = LoggerFactory.getLogger("com.mka1.batches");

    private final CallSetup setup;
    private final ApiCall<T> call;
    private final RequestOptions options;
    private final PhaseTracker.Phase phase = new PhaseTracker.Phase();
    private final Request request;
    private final OkHttpClient client;
    private final long start;
    private final long deadline;
    /** What the listeners hear of this call, or {@code null} when nobody listens. */
    final CallTrace trace;

    private int attempt;
    private long attemptStart;
    private boolean deadlineBounds;

    /** After one attempt: the value, or the wait before the next attempt and the failure it retries. */
    static final class Outcome<T> {
        final RawResponse<T> value;
        final Duration wait;
        final Mka1Exception failure;

        private Outcome(RawResponse<T> value, Duration wait, Mka1Exception failure) {
            this.value = value;
            this.wait = wait;
            this.failure = failure;
        }
    }

    /**
     * @throws IllegalStateException if the client is closed
     * @throws NullPointerException if {@code callOptions} is null
     */
    Attempts(CallSetup setup, ApiCall<T> call, RequestOptions callOptions) {
        setup.ensureOpen();
        this.setup = setup;
        this.call = call;
        this.options = OptionsOverlay.over(Objects.requireNonNull(callOptions, "options == null"), setup.defaults);
        this.request = prepare();
        this.client = setup.clientFor(options);
        this.start = setup.clock.millis();
        this.deadline = options.timeout() == null
                ? Long.MAX_VALUE
                : start + options.timeout().toMillis();
        CallListener listener =
                setup.listeners != null ? setup.listeners : LOG.isDebugEnabled() ? Listeners.ATTEMPT_LOG : null;
        this.trace = listener == null
                ? null
                : new CallTrace(
                        listener,
                        new CallContext(
                                call.operation,
                                request.method(),
                                request.url().encodedPath(),
                                request.url().host()),
                        setup.clock);
    }

    /** The next attempt's call, with its timeout set; not yet sent. */
    Call next() {
        setup.ensureOpen();
        attempt++;
        attemptStart = setup.clock.millis();
        phase.connected = false;
        Request attemptRequest = call.perAttempt == null ? request : call.perAttempt.apply(request);
        phase.bodySent = attemptRequest.body() == null;
        Call next = client.newCall(attemptRequest);
        long attemptMillis = options.attemptTimeout() == null
                ? Long.MAX_VALUE
                : options.attemptTimeout().toMillis();
        long untilDeadline = deadline - attemptStart;
        long bound = Math.min(attemptMillis, untilDeadline);
        if (bound != Long.MAX_VALUE) {
            next.timeout().timeout(Math.max(1, bound), TimeUnit.MILLISECONDS);
        }
        deadlineBounds = untilDeadline < attemptMillis;
        if (trace != null) {
            trace.attemptStarted(attempt);
        }
        return next;
    }

    /** Reads the attempt's response: see {@link Received#read}. */
    Received<T> read(Call httpCall, Response response) throws IOException {
        return Received.read(httpCall, response, call, trace, setup.redaction);
    }

    /** @throws Mka1Exception if the response is a final failure */
    Outcome<T> onResponse(Received<T> response) {
        if (response.errorBody == null) {
            // The call's end, which follows at once, reports this attempt's end first.
            return new Outcome<>(
                    RawResponse.of(response.code, setup.redaction.apply(response.headers), response.value), null, null);
        }
        ApiException error =
                Responses.error(response.code, response.headers.toMultimap(), response.errorBody, setup.redaction);
        if (trace != null) {
            trace.attemptEnded(error);
        }
        if (!options.retryPolicy().retryableStatuses().contains(response.code)) {
            throw error;
        }
        return retryOrThrow(error, error.retryAfter(setup.clock.instant()).orElse(null));
    }

    /** @throws Mka1Exception if the failure is final */
    Outcome<T> onFailure(IOException e) {
        Mka1IoException failure = ioFailure(e);
        if (trace != null) {
            trace.attemptEnded(failure);
        }
        return retryOrThrow(failure, null);
    }

    /** The call's end: told to the listeners once, whichever driver or path reports it first. */
    void ended(Throwable failure) {
        if (trace != null) {
            trace.callEnded(failure);
        }
    }

    /** The failure when the wait before retrying {@code retried} is interrupted. */
    Mka1IoException interruptedWhileWaiting(Mka1Exception retried, Throwable cause) {
        Mka1IoException interrupted =
                InterruptWatchdog.interrupted(describe() + " was interrupted while waiting to retry", cause);
        interrupted.addSuppressed(retried);
        return interrupted;
    }

    /** The retry policy is consulted only here, on a failure: a call that succeeds at once never needs it. */
    private Outcome<T> retryOrThrow(Mka1Exception failure, Duration serverWait) {
        RetryPolicy policy = options.retryPolicy();
        if (attempt > policy.maxRetries() || (!call.resendable && phase.connected)) {
            throw failure;
        }
        Duration wait = serverWait != null
                ? serverWait
                : backoff(policy, attempt, ThreadLocalRandom.current().nextDouble());
        long resumeAt = setup.clock.millis() + wait.toMillis();
        if (resumeAt > start + policy.maxElapsedTime().toMillis() || resumeAt >= deadline) {
            throw failure; // waiting would outlast the budget: fail now, not later
        }
        if (trace != null) {
            trace.retryScheduled(failure, wait, serverWait != null);
        }
        return new Outcome<>(null, wait, failure);
    }

    /**
     * The wait before retry number {@code retry} (1 for the first) under {@code policy}: the
     * initial backoff grown by the multiplier per retry, capped at the maximum, then shortened by
     * up to {@code jitter} times itself.
     *
     * @param random a number in [0, 1): 0 gives the backoff before jitter
     */
    private static Duration backoff(RetryPolicy policy, int retry, double random) {
        double nanos = policy.initialBackoff().toNanos() * Math.pow(policy.multiplier(), retry - 1);
        long capped = (long) Math.min(nanos, (double) policy.maxBackoff().toNanos());
        return Duration.ofNanos((long) (capped * (1 - policy.jitter() * random)));
    }

    /**
     * Which timeout fired follows from the exception's type and the attempt's phase, never
     * from message text: a socket timeout before the connection existed is the connect
     * timeout, while the body was going out the write timeout, after that the read timeout;
     * OkHttp's call timeout (our per-attempt or overall bound) is the one other
     * {@link InterruptedIOException}.
     */
    private Mka1IoException ioFailure(IOException e) {
        String what = describe() + " (attempt " + attempt + ")";
        Mka1TimeoutException.TimeoutKind kind = null;
        if (e instanceof SocketTimeoutException) {
            kind = !phase.connected
                    ? Mka1TimeoutException.TimeoutKind.CONNECT
                    : phase.bodySent ? Mka1TimeoutException.TimeoutKind.READ : Mka1TimeoutException.TimeoutKind.WRITE;
        } else if (e instanceof InterruptedIOException) {
            kind = deadlineBounds ? Mka1TimeoutException.TimeoutKind.OVERALL : Mka1TimeoutException.TimeoutKind.ATTEMPT;
        }
        // A message of OkHttp's may quote the server (an unexpected status line, say).
        IOException cause = setup.redaction.apply(e);
        if (kind == null) {
            return new Mka1IoException(what + " failed: " + cause, cause);
        }
        return new Mka1TimeoutException(kind, what + ": " + kind.description() + " fired", cause);
    }

    String describe() {
        return request.method() + " " + request.url().encodedPath();
    }

    private Request prepare() {
        Request.Builder builder = setup.request(call, options.onBehalfOf()).newBuilder();
        builder.header("User-Agent", setup.userAgent);
        builder.header("Accept", call.accept);
        for (Map.Entry<String, String> header : options.headers().entrySet()) {
            builder.header(header.getKey(), header.getValue());
        }
        if (call.creates) {
            String key = options.idempotencyKey() != null
                    ? options.idempotencyKey()
                    : UUID.randomUUID().toString();
            builder.header("Idempotency-Key", key);
        }
        builder.header("Authorization", setup.authorization);
        PhaseTracker.tag(builder, phase);
        builder.tag(KeyRedaction.class, setup.redaction);
        Request prepared = builder.build();
        return call.resendable || prepared.body() == null ? prepared : PhaseTracker.oneShot(prepared);
    }
}
