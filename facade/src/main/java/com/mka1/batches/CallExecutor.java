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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one API call: builds the request through the generated Retrofit interface, adds auth and
 * per-call headers, executes it on OkHttp, retries what is safe to retry, and turns the response
 * into a model or a typed exception. One per {@link Mka1Client}; thread-safe.
 */
final class CallExecutor {
    private static final Logger LOG = LoggerFactory.getLogger("com.mka1.batches");

    /** Builds the Retrofit call of one operation; Retrofit turns it into the request on the wire. */
    @FunctionalInterface
    interface CallFactory<T> {
        retrofit2.Call<T> create(BatchesApi api, String onBehalfOf);
    }

    private final OkHttpClient http;
    private final BatchesApi api;
    private final String authorization;
    private final String userAgent;
    private final RequestOptions defaults;
    private final Sleeper sleeper;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();

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
        return closed.compareAndSet(false, true);
    }

    /** The client's sleeper, for waits outside a call (polling). */
    Sleeper sleeper() {
        return sleeper;
    }

    /** The client's clock, for waits outside a call (polling). */
    Clock clock() {
        return clock;
    }

    <T> RawResponse<T> execute(Operation operation, RequestOptions callOptions, Class<T> type,
                               CallFactory<T> factory) {
        ensureOpen();
        RequestOptions options = callOptions.over(defaults);
        Request request = prepare(operation, options, factory);
        OkHttpClient client = clientFor(options);
        RetryPolicy policy = options.retryPolicy();
        long start = clock.millis();
        long retryBudgetEnd = start + policy.maxElapsedTime().toMillis();
        long deadline = options.timeout() == null ? Long.MAX_VALUE : start + options.timeout().toMillis();

        for (int attempt = 1; ; attempt++) {
            ensureOpen();
            long attemptStart = clock.millis();
            Call call = client.newCall(request);
            boolean deadlineBounds = setAttemptTimeout(call, options, deadline - attemptStart);
            Mka1Exception failure;
            Duration serverWait = null;
            try (Response response = call.execute()) {
                ResponseBody responseBody = response.body();
                String body = responseBody == null ? "" : responseBody.string();
                log(request, response.code(), attempt, attemptStart);
                if (response.isSuccessful()) {
                    T value = ResponseBodies.parse(response.code(), body, type);
                    return new RawResponse<>(response.code(), response.headers(), value);
                }
                ApiException error = ResponseBodies.error(response.code(), response.headers().toMultimap(), body);
                if (!isRetryable(response.code())) {
                    throw error;
                }
                failure = error;
                serverWait = error.retryAfter(clock.instant()).orElse(null);
            } catch (IOException e) {
                log(request, -1, attempt, attemptStart);
                if (Thread.currentThread().isInterrupted()) {
                    throw new Mka1IoException(describe(request) + " was interrupted", interrupted(e));
                }
                failure = ioFailure(request, e, deadlineBounds, attempt);
            }
            if (attempt > policy.maxRetries()) {
                throw failure;
            }
            Duration wait = serverWait != null ? serverWait
                    : policy.backoff(attempt, ThreadLocalRandom.current().nextDouble());
            long resumeAt = clock.millis() + wait.toMillis();
            if (resumeAt > retryBudgetEnd || resumeAt >= deadline) {
                throw failure;
            }
            sleep(request, wait, failure);
        }
    }

    private <T> Request prepare(Operation operation, RequestOptions options, CallFactory<T> factory) {
        Request.Builder builder = factory.create(api, options.onBehalfOf()).request().newBuilder();
        builder.header("User-Agent", userAgent);
        builder.header("Accept", "application/json");
        for (Map.Entry<String, String> header : options.headers().entrySet()) {
            builder.header(header.getKey(), header.getValue());
        }
        if (operation.needsIdempotencyKey) {
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

    /** @return whether the overall deadline, rather than the attempt timeout, bounds this attempt */
    private static boolean setAttemptTimeout(Call call, RequestOptions options, long untilDeadlineMillis) {
        long attemptMillis = options.attemptTimeout() == null ? Long.MAX_VALUE : options.attemptTimeout().toMillis();
        long bound = Math.min(attemptMillis, untilDeadlineMillis);
        if (bound != Long.MAX_VALUE) {
            call.timeout().timeout(Math.max(1, bound), TimeUnit.MILLISECONDS);
        }
        return untilDeadlineMillis < attemptMillis;
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

    private void sleep(Request request, Duration wait, Mka1Exception failure) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Mka1IoException interrupted = new Mka1IoException(
                    describe(request) + " was interrupted while waiting to retry", interrupted(e));
            interrupted.addSuppressed(failure);
            throw interrupted;
        }
    }

    private static Mka1IoException ioFailure(Request request, IOException e, boolean deadlineBounds, int attempt) {
        String what = describe(request) + " (attempt " + attempt + ")";
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

    private static InterruptedIOException interrupted(Exception cause) {
        InterruptedIOException e = new InterruptedIOException("interrupted");
        e.initCause(cause);
        return e;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this Mka1Client is closed");
        }
    }

    private void log(Request request, int status, int attempt, long startMillis) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} -> {} (attempt {}, {} ms)", request.method(), request.url().encodedPath(),
                    status < 0 ? "I/O failure" : String.valueOf(status), attempt, clock.millis() - startMillis);
        }
    }

    private static String describe(Request request) {
        return request.method() + " " + request.url().encodedPath();
    }
}
