package com.mka1.batches;

import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.Mka1Exception;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.errors.Mka1TimeoutException;
import com.mka1.batches.internal.api.BatchesApi;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs API calls: builds the request through the generated Retrofit interface, adds auth and
 * per-call headers, sends it on OkHttp, retries what is safe to retry, and turns the response
 * into a model or a typed exception. One per {@link Mka1Client}; thread-safe.
 *
 * <p>Synchronous and asynchronous calls share every decision ({@link Attempts}); they differ only
 * in how they send and wait. A blocking call runs on the caller's thread with
 * {@link Call#execute()}, watched by an {@link InterruptWatchdog} so that interrupting the thread
 * cancels it; an asynchronous one uses {@link Call#enqueue} and timers.
 */
final class CallExecutor {
    private static final Logger LOG = LoggerFactory.getLogger("com.mka1.batches");

    private final OkHttpClient http;
    private final BatchesApi api;
    private final String authorization;
    private final String userAgent;
    private final RequestOptions defaults;
    private final Sleeper sleeper;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final InterruptWatchdog watchdog = new InterruptWatchdog();

    CallExecutor(OkHttpClient http, BatchesApi api, String apiKey, String userAgent, RequestOptions defaults,
                 Sleeper sleeper, Clock clock) {
        this.http = http;
        this.api = api;
        this.authorization = "Bearer " + apiKey;
        this.userAgent = userAgent;
        this.defaults = defaults;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /** Marks the executor closed; returns whether this call did it (so cleanup runs once). */
    boolean close() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        watchdog.close();
        return true;
    }

    /** The client's sleeper, for waits outside a call (polling). */
    Sleeper sleeper() {
        return sleeper;
    }

    /** The client's clock, for waits outside a call (polling). */
    Clock clock() {
        return clock;
    }

    <T> RawResponse<T> execute(BatchCalls.Spec<T> spec, RequestOptions callOptions) {
        Attempts<T> attempts = new Attempts<>(spec, callOptions);
        while (true) {
            Call call = attempts.next();
            Outcome<T> outcome;
            try {
                outcome = attempts.onResponse(sendBlocking(call));
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    call.cancel(); // Okio may have noticed the interrupt before the watchdog did
                    throw new Mka1IoException(attempts.describe() + " was interrupted", interrupted(e));
                }
                outcome = attempts.onFailure(e);
            }
            if (outcome.value != null) {
                return outcome.value;
            }
            try {
                sleeper.sleep(outcome.wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw interruptedWhileWaiting(attempts, outcome.failure, e);
            }
        }
    }

    /**
     * Sends one attempt on the caller's thread (no hand-off to another thread: the cheapest way),
     * watched by the {@link InterruptWatchdog} so that an interrupt still ends it promptly.
     */
    private Received sendBlocking(Call call) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted before the request was sent");
        }
        watchdog.watch(call);
        try (Response response = call.execute()) {
            return Received.from(response);
        } finally {
            watchdog.unwatch(call);
        }
    }

    /**
     * Like {@link #execute}, without blocking: waits between attempts are
     * {@link Sleeper#sleepAsync timers}, and cancelling the returned future cancels the HTTP call
     * in flight (or the pending wait).
     */
    <T> CompletableFuture<RawResponse<T>> executeAsync(BatchCalls.Spec<T> spec, RequestOptions callOptions) {
        Attempts<T> attempts = new Attempts<>(spec, callOptions);
        CompletableFuture<RawResponse<T>> result = new CompletableFuture<>();
        result.whenComplete((value, error) -> {
            if (result.isCancelled()) {
                attempts.cancel();
            }
        });
        attemptAsync(attempts, result);
        return result;
    }

    private <T> void attemptAsync(Attempts<T> attempts, CompletableFuture<RawResponse<T>> result) {
        Call call;
        try {
            call = attempts.next();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        if (result.isDone()) {
            call.cancel(); // cancelled while this attempt was being prepared
            return;
        }
        send(call).whenComplete((received, error) -> {
            if (result.isDone()) {
                return; // cancelled: this is the cancelled call's failure
            }
            Outcome<T> outcome;
            try {
                outcome = error == null ? attempts.onResponse(received) : attempts.onFailure(ioException(error));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            if (outcome.value != null) {
                result.complete(outcome.value);
                return;
            }
            CompletableFuture<Void> wait = sleeper.sleepAsync(outcome.wait);
            attempts.pendingWait = wait;
            if (result.isCancelled()) {
                wait.cancel(false); // the cancel came before pendingWait was set
            }
            wait.whenComplete((ignored, interrupted) -> {
                if (result.isDone()) {
                    return;
                }
                if (interrupted != null) {
                    result.completeExceptionally(interruptedWhileWaiting(attempts, outcome.failure, interrupted));
                } else {
                    attemptAsync(attempts, result);
                }
            });
        });
    }

    /**
     * Sends one attempt and reads the whole body on OkHttp's thread, so the caller's wait covers
     * headers and body alike, and the response is always closed.
     */
    private static CompletableFuture<Received> send(Call call) {
        CompletableFuture<Received> received = new CompletableFuture<>();
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call c, Response response) {
                try (Response r = response) {
                    received.complete(Received.from(r));
                } catch (IOException | RuntimeException e) {
                    received.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(Call c, IOException e) {
                received.completeExceptionally(e);
            }
        });
        return received;
    }

    private static IOException ioException(Throwable error) {
        Throwable cause = Futures.unwrap(error);
        if (cause instanceof IOException) {
            return (IOException) cause;
        }
        // A RuntimeException while reading a response (a bug in an interceptor, say) is still a failed attempt.
        return new IOException("the response could not be read: " + cause.getClass().getName(), cause);
    }

    /** A response read in full. */
    private static final class Received {
        final int code;
        final Headers headers;
        final String body;

        Received(int code, Headers headers, String body) {
            this.code = code;
            this.headers = headers;
            this.body = body;
        }

        /** Reads the whole body; the caller closes the response. */
        static Received from(Response response) throws IOException {
            ResponseBody body = response.body();
            return new Received(response.code(), response.headers(), body == null ? "" : body.string());
        }
    }

    /** After one attempt: the value, or the wait before the next attempt and the failure it retries. */
    private static final class Outcome<T> {
        final RawResponse<T> value;
        final Duration wait;
        final Mka1Exception failure;

        Outcome(RawResponse<T> value, Duration wait, Mka1Exception failure) {
            this.value = value;
            this.wait = wait;
            this.failure = failure;
        }
    }

    /**
     * The attempts of one call, and every decision about them: the request, its timeouts, whether
     * and when to retry. Attempts run one after another, so no two threads use it at once.
     */
    private final class Attempts<T> {
        private final BatchCalls.Spec<T> spec;
        private final RequestOptions options;
        private final Request request;
        private final OkHttpClient client;
        private final RetryPolicy policy;
        private final long retryBudgetEnd;
        private final long deadline;
        private int attempt;
        private long attemptStart;
        private boolean deadlineBounds;
        private volatile Call current;
        volatile CompletableFuture<Void> pendingWait;

        Attempts(BatchCalls.Spec<T> spec, RequestOptions callOptions) {
            ensureOpen();
            this.spec = spec;
            this.options = callOptions.over(defaults);
            this.request = prepare(spec, options);
            this.client = clientFor(options);
            this.policy = options.retryPolicy();
            long start = clock.millis();
            this.retryBudgetEnd = start + policy.maxElapsedTime().toMillis();
            this.deadline = options.timeout() == null ? Long.MAX_VALUE : start + options.timeout().toMillis();
        }

        /** The next attempt's call, with its timeout set; not yet sent. */
        Call next() {
            ensureOpen();
            attempt++;
            attemptStart = clock.millis();
            Call call = client.newCall(request);
            long attemptMillis = options.attemptTimeout() == null ? Long.MAX_VALUE : options.attemptTimeout().toMillis();
            long untilDeadline = deadline - attemptStart;
            long bound = Math.min(attemptMillis, untilDeadline);
            if (bound != Long.MAX_VALUE) {
                call.timeout().timeout(Math.max(1, bound), TimeUnit.MILLISECONDS);
            }
            deadlineBounds = untilDeadline < attemptMillis;
            current = call;
            return call;
        }

        /** @throws Mka1Exception if the response is a final failure */
        Outcome<T> onResponse(Received response) {
            log(response.code);
            if (response.code >= 200 && response.code < 300) {
                T value = ResponseBodies.parse(response.code, response.body, spec.type);
                return new Outcome<>(new RawResponse<>(response.code, response.headers, value), null, null);
            }
            ApiException error = ResponseBodies.error(response.code, response.headers.toMultimap(), response.body);
            if (!isRetryable(response.code)) {
                throw error;
            }
            return retryOrThrow(error, error.retryAfter(clock.instant()).orElse(null));
        }

        /** @throws Mka1Exception if the failure is final */
        Outcome<T> onFailure(IOException e) {
            log(-1);
            return retryOrThrow(ioFailure(e), null);
        }

        private Outcome<T> retryOrThrow(Mka1Exception failure, Duration serverWait) {
            if (attempt > policy.maxRetries()) {
                throw failure;
            }
            Duration wait = serverWait != null ? serverWait
                    : policy.backoff(attempt, ThreadLocalRandom.current().nextDouble());
            long resumeAt = clock.millis() + wait.toMillis();
            if (resumeAt > retryBudgetEnd || resumeAt >= deadline) {
                throw failure; // waiting would outlast the budget: fail now, not later
            }
            return new Outcome<>(null, wait, failure);
        }

        void cancel() {
            Call call = current;
            if (call != null) {
                call.cancel();
            }
            CompletableFuture<Void> wait = pendingWait;
            if (wait != null) {
                wait.cancel(false);
            }
        }

        private Mka1IoException ioFailure(IOException e) {
            String what = describe() + " (attempt " + attempt + ")";
            if (e instanceof SocketTimeoutException) {
                String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
                Mka1TimeoutException.Kind kind = message.contains("connect")
                        ? Mka1TimeoutException.Kind.CONNECT : Mka1TimeoutException.Kind.READ;
                return new Mka1TimeoutException(kind, what + ": " + kind.name().toLowerCase(Locale.ROOT)
                        + " timeout fired", e);
            }
            if (e instanceof InterruptedIOException && "timeout".equals(e.getMessage())) {
                Mka1TimeoutException.Kind kind = deadlineBounds
                        ? Mka1TimeoutException.Kind.OVERALL : Mka1TimeoutException.Kind.ATTEMPT;
                return new Mka1TimeoutException(kind, what + ": " + (deadlineBounds ? "overall" : "per-attempt")
                        + " timeout fired", e);
            }
            return new Mka1IoException(what + " failed: " + e, e);
        }

        private void log(int status) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {} -> {} (attempt {}, {} ms)", request.method(), request.url().encodedPath(),
                        status < 0 ? "I/O failure" : String.valueOf(status), attempt, clock.millis() - attemptStart);
            }
        }

        String describe() {
            return request.method() + " " + request.url().encodedPath();
        }
    }

    private <T> Request prepare(BatchCalls.Spec<T> spec, RequestOptions options) {
        Request.Builder builder = spec.factory.create(api, options.onBehalfOf()).request().newBuilder();
        builder.header("User-Agent", userAgent);
        builder.header("Accept", "application/json");
        for (Map.Entry<String, String> header : options.headers().entrySet()) {
            builder.header(header.getKey(), header.getValue());
        }
        if (spec.operation.needsIdempotencyKey) {
            String key = options.idempotencyKey() != null ? options.idempotencyKey() : UUID.randomUUID().toString();
            builder.header("Idempotency-Key", key);
        }
        builder.header("Authorization", authorization);
        return builder.build();
    }

    private OkHttpClient clientFor(RequestOptions options) {
        if (options.connectTimeout() == null && options.readTimeout() == null) {
            return http;
        }
        // newBuilder() shares the connection pool and dispatcher: cheap, and nothing extra to close.
        OkHttpClient.Builder builder = http.newBuilder();
        if (options.connectTimeout() != null) {
            builder.connectTimeout(options.connectTimeout());
        }
        if (options.readTimeout() != null) {
            builder.readTimeout(options.readTimeout());
        }
        return builder.build();
    }

    static boolean isRetryable(int statusCode) {
        switch (statusCode) {
            case 408:
            case 409:
            case 429:
            case 500:
            case 502:
            case 503:
            case 504:
                return true;
            default:
                return false;
        }
    }

    private static Mka1IoException interruptedWhileWaiting(Attempts<?> attempts, Mka1Exception failure,
                                                          Throwable cause) {
        Mka1IoException interrupted = new Mka1IoException(
                attempts.describe() + " was interrupted while waiting to retry", interrupted(cause));
        interrupted.addSuppressed(failure);
        return interrupted;
    }

    private static InterruptedIOException interrupted(Throwable cause) {
        InterruptedIOException e = new InterruptedIOException("interrupted");
        e.initCause(cause);
        return e;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this Mka1Client is closed");
        }
    }
}
