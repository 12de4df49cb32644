package com.mka1.batches.internal;

import com.mka1.batches.RawResponse;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.RetryPolicy;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.Mka1Exception;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.errors.Mka1TimeoutException;
import com.mka1.batches.observability.CallContext;
import com.mka1.batches.observability.CallListener;
import com.mka1.batches.observability.Outage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.AsyncTimeout;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import retrofit2.Retrofit;

/**
 * Runs API calls: one per {@code Mka1Client}, thread-safe. It has one decision core and two
 * drivers. The core ({@link Attempts}) holds every decision about the attempts of one call: the
 * request and its headers, the timeouts, whether and when to retry, and how a response maps to a
 * value or a typed exception. The drivers only send and wait:
 * <ul>
 *   <li>{@link #execute} blocks on the caller's thread ({@link Call#execute()}), watched by an
 *       {@link InterruptWatchdog} so that interrupting the thread cancels the request;</li>
 *   <li>{@link #executeAsync} uses {@link Call#enqueue} and {@link Mka1Client.Sleeper#sleepAsync} timers,
 *       chained as {@link Steps}, so cancelling the returned future cancels the request or wait
 *       in progress.</li>
 * </ul>
 * Retrofit only builds requests from the generated interfaces ({@link RequestCapture}); OkHttp
 * sends them.
 *
 * <p>The core also reports to the client's {@link CallListener}s, through a {@link CallTrace} per
 * call: the call's start, each attempt's start and end, each retry, and the call's end, the
 * same in both modes. A client without listeners, logging below DEBUG, makes no trace: one
 * check per call, and nothing built.
 */
public final class CallEngine {
    private static final Logger LOG = LoggerFactory.getLogger("com.mka1.batches");

    private final OkHttpClient http;
    private final Retrofit retrofit;
    private final Map<Class<?>, Object> apis = new ConcurrentHashMap<>();
    private final String authorization;
    /** Removes the key from whatever the server sends back; tags every request, for the readers. */
    private final KeyRedaction redaction;
    private final String userAgent;
    private final RequestOptions defaults;
    private final Mka1Client.Sleeper sleeper;
    private final Clock clock;
    /** The attempt log and the user's listeners, or {@code null} if the user set none. */
    private final CallListener listeners;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final InterruptWatchdog watchdog = new InterruptWatchdog();

    /**
     * @param http the client to send on; built with {@link #phaseTracker()} among its network interceptors
     * @param baseUrl the API's base URL, ending in {@code /}
     * @param apiKey the bearer token
     * @param userAgent the {@code User-Agent} of every request
     * @param defaults the client-wide options each call's options are laid over
     * @param sleeper waits between retries and polls
     * @param clock the time source for retry budgets, deadlines and {@code Retry-After} dates
     * @param listeners the user's listeners, in the order they are told; may be empty
     */
    public CallEngine(OkHttpClient http, HttpUrl baseUrl, String apiKey, String userAgent, RequestOptions defaults,
                      Mka1Client.Sleeper sleeper, Clock clock, List<CallListener> listeners) {
        this.http = http;
        this.retrofit = new Retrofit.Builder()
                .baseUrl(baseUrl)
                .callFactory(RequestCapture.INSTANCE)
                .addConverterFactory(retrofit2.converter.gson.GsonConverterFactory.create(Json.GSON))
                .build();
        this.authorization = "Bearer " + apiKey;
        this.redaction = KeyRedaction.of(apiKey);
        this.userAgent = userAgent;
        this.defaults = defaults;
        this.sleeper = sleeper;
        this.clock = clock;
        this.listeners = Listeners.of(listeners);
    }

    /** @return the sleeper, for waits outside a call (polls) */
    public Mka1Client.Sleeper sleeper() {
        return sleeper;
    }

    /** @return the clock, for waits outside a call (polls) */
    public Clock clock() {
        return clock;
    }

    /** Tells the client's listeners that a wait or run is waiting out an outage (see {@link OutageBudget}). */
    void outageRetryScheduled(Outage outage) {
        if (listeners != null) {
            listeners.outageRetryScheduled(outage);
        }
    }

    /**
     * Marks the engine closed: later calls, and later attempts of calls in flight, throw
     * {@link IllegalStateException}; stops the interrupt watchdog.
     *
     * @return whether this call closed it (so the caller's own cleanup runs once)
     */
    public boolean close() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        watchdog.close();
        return true;
    }

    /**
     * Runs {@code call} on the caller's thread, retrying as its options allow.
     *
     * @throws Mka1Exception the typed failure; {@link Mka1IoException} with the interrupt flag kept
     *     if the thread is interrupted
     */
    public <T> RawResponse<T> execute(ApiCall<T> call, RequestOptions options) {
        Attempts<T> attempts = new Attempts<>(call, options);
        CallTrace trace = attempts.trace;
        if (trace == null) {
            return run(attempts);
        }
        RawResponse<T> value;
        try {
            value = run(attempts);
        } catch (RuntimeException | Error e) {
            trace.callEnded(e);
            throw e;
        }
        trace.callEnded(null);
        return value;
    }

    private <T> RawResponse<T> run(Attempts<T> attempts) {
        while (true) {
            Call attempt = attempts.next();
            Outcome<T> outcome;
            try {
                outcome = attempts.onResponse(sendBlocking(attempt, attempts));
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    attempt.cancel(); // Okio may have noticed the interrupt before the watchdog did
                    throw interrupted(attempts.describe() + " was interrupted", e);
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
     * Sends one attempt on the caller's thread and reads its response, watched so that an interrupt
     * still ends it promptly.
     */
    private <T> Received<T> sendBlocking(Call call, Attempts<T> attempts) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted before the request was sent");
        }
        watchdog.watch(call);
        try {
            Response response;
            try {
                response = call.execute();
            } catch (RuntimeException e) {
                // A bug in an interceptor, say. OkHttp's async driver reports it as an IOException
                // ("canceled due to ..."): a failed attempt there, so here too.
                throw new IOException("the request could not be sent: " + e.getClass().getName(), e);
            }
            return Received.read(call, response, attempts);
        } finally {
            watchdog.unwatch(call);
        }
    }

    /**
     * Like {@link #execute}, without blocking: the returned future completes with the value or the
     * same typed failure; cancelling it cancels the request or retry wait in progress. Bad
     * arguments and a closed engine throw at once.
     */
    // whenComplete registers a listener; the stage it returns is dropped on purpose: nothing
    // waits on the listener, which has no result to give.
    @SuppressWarnings("FutureReturnValueIgnored")
    public <T> CompletableFuture<RawResponse<T>> executeAsync(ApiCall<T> call, RequestOptions options) {
        Attempts<T> attempts = new Attempts<>(call, options);
        CompletableFuture<RawResponse<T>> result = new CompletableFuture<>();
        CallTrace trace = attempts.trace;
        if (trace != null) {
            // The driver reports the end before completing the future (see succeed, fail); this
            // catches the one end it can't see coming: the caller cancelling the future.
            result.whenComplete((value, error) -> trace.callEnded(error == null ? null : Steps.unwrap(error)));
        }
        attemptAsync(attempts, new Steps(result), result);
        return result;
    }

    /** Completes the call: first its end reported, so a listener has heard it before anyone sees the value. */
    private static <T> void succeed(Attempts<T> attempts, CompletableFuture<RawResponse<T>> result, RawResponse<T> value) {
        if (attempts.trace != null) {
            attempts.trace.callEnded(null);
        }
        result.complete(value);
    }

    private static <T> void fail(Attempts<T> attempts, CompletableFuture<RawResponse<T>> result, Throwable failure) {
        if (attempts.trace != null) {
            attempts.trace.callEnded(failure);
        }
        result.completeExceptionally(failure);
    }

    // whenComplete registers a listener; the stage it returns is dropped on purpose: nothing
    // waits on the listener, which has no result to give.
    @SuppressWarnings("FutureReturnValueIgnored")
    private <T> void attemptAsync(Attempts<T> attempts, Steps steps, CompletableFuture<RawResponse<T>> result) {
        Call call;
        try {
            call = attempts.next();
        } catch (RuntimeException e) {
            fail(attempts, result, e);
            return;
        }
        steps.follow(send(call, attempts)).whenComplete((received, error) -> {
            if (result.isDone()) {
                if (received != null) {
                    received.discard();
                }
                return; // cancelled: this is the cancelled call's failure
            }
            if (Steps.unwrap(error) instanceof Mka1Exception) {
                fail(attempts, result, Steps.unwrap(error)); // the body is not what the operation answers: final
                return;
            }
            Outcome<T> outcome;
            try {
                outcome = error == null ? attempts.onResponse(received) : attempts.onFailure(ioException(error));
            } catch (RuntimeException e) {
                fail(attempts, result, e);
                return;
            }
            if (outcome.value != null) {
                succeed(attempts, result, outcome.value);
                return;
            }
            steps.follow(sleeper.sleepAsync(outcome.wait)).whenComplete((ignored, interrupted) -> {
                if (result.isDone()) {
                    return;
                }
                if (interrupted != null) {
                    fail(attempts, result, interruptedWhileWaiting(attempts, outcome.failure, interrupted));
                } else {
                    attemptAsync(attempts, steps, result);
                }
            });
        });
    }

    /**
     * Sends one attempt and reads its response on OkHttp's thread, so the caller's wait covers
     * headers and body alike. Cancelling the future cancels the call.
     */
    // whenComplete registers a listener; the stage it returns is dropped on purpose: nothing
    // waits on the listener, which has no result to give.
    @SuppressWarnings("FutureReturnValueIgnored")
    private static <T> CompletableFuture<Received<T>> send(Call call, Attempts<T> attempts) {
        CompletableFuture<Received<T>> received = new CompletableFuture<>();
        received.whenComplete((value, error) -> {
            if (received.isCancelled()) {
                call.cancel();
            }
        });
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call c, Response response) {
                try {
                    received.complete(Received.read(c, response, attempts));
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

    /** An attempt's failure: {@link #send} fails with an IOException only (a Mka1Exception is handled before). */
    private static IOException ioException(Throwable error) {
        Throwable cause = Steps.unwrap(error);
        return cause instanceof IOException ? (IOException) cause : new IOException(cause.toString(), cause);
    }

    /** A response read: the value of a success, or the body of an error. */
    private static final class Received<T> {
        final int code;
        final Headers headers;
        final T value;
        final String errorBody;

        private Received(int code, Headers headers, T value, String errorBody) {
            this.code = code;
            this.headers = headers;
            this.value = value;
            this.errorBody = errorBody;
        }

        /**
         * Reads a success (or another answer of the call) with the call's reader, an error body up
         * to its first {@value Responses#MAX_ERROR_BODY} bytes; closes the response unless the
         * call's value holds it open. A response held open leaves the attempt's timeout behind:
         * OkHttp's call timeout would otherwise go on running while the caller reads the stream.
         * A response not read to its end (an error body past its prefix, a read that failed) has
         * its call cancelled before it is closed: closing would otherwise drain the rest of the
         * body, however long, to keep the connection.
         *
         * @throws IOException if the body can't be read, a RuntimeException while reading it (a bug
         *     in an interceptor, say) included: a failed attempt, in both drivers
         * @throws Mka1Exception if the body is not what the operation answers: final
         */
        static <T> Received<T> read(Call httpCall, Response response, Attempts<T> attempts) throws IOException {
            ApiCall<T> call = attempts.call;
            if (attempts.trace != null) {
                attempts.trace.responseArrived(response.code(), attempts.redaction().apply(response.header("X-Request-ID")));
            }
            boolean keepOpen = false;
            boolean readToTheEnd = false;
            try {
                if (call.answers(response)) {
                    T value = call.reader.read(response);
                    keepOpen = call.keepsResponseOpen;
                    readToTheEnd = !keepOpen;
                    if (keepOpen) {
                        endTimeout(httpCall);
                    }
                    return new Received<>(response.code(), response.headers(), value, null);
                }
                ResponseBody body = response.body();
                if (body == null) {
                    readToTheEnd = true;
                    return new Received<>(response.code(), response.headers(), null, "");
                }
                BufferedSource source = body.source();
                readToTheEnd = !source.request(Responses.MAX_ERROR_BODY + 1L);
                long prefix = Math.min(source.getBuffer().size(), Responses.MAX_ERROR_BODY);
                MediaType type = body.contentType();
                Charset charset = type == null ? StandardCharsets.UTF_8 : type.charset(StandardCharsets.UTF_8);
                return new Received<>(response.code(), response.headers(), null, source.getBuffer().readString(prefix, charset));
            } catch (Mka1Exception e) {
                throw e;
            } catch (RuntimeException e) {
                throw new IOException("the response could not be read: " + e.getClass().getName(), e);
            } finally {
                if (!keepOpen) {
                    close(httpCall, response, readToTheEnd);
                }
            }
        }

        /**
         * Closes a response, first dropping its connection if its body was not read to its end;
         * a failure to close is no failure of the answer, which has been read.
         */
        private static void close(Call httpCall, Response response, boolean readToTheEnd) {
            if (!readToTheEnd) {
                httpCall.cancel();
            }
            try {
                response.close();
            } catch (RuntimeException e) {
                httpCall.cancel();
                LOG.debug("closing a response failed", e);
            }
        }

        /**
         * Ends the per-attempt or overall timeout of a call whose response is handed over open: it
         * covered the wait for the headers; the caller reads the stream at its own pace, each read
         * bounded by the read timeout. (OkHttp's call timeout is an {@link AsyncTimeout}; exiting it
         * early is what OkHttp itself does for web sockets.)
         */
        private static void endTimeout(Call httpCall) {
            Timeout timeout = httpCall.timeout();
            if (timeout instanceof AsyncTimeout) {
                ((AsyncTimeout) timeout).exit();
            }
        }

        /** Releases a value nobody will receive (its call was cancelled) if it holds the response open. */
        void discard() {
            if (value instanceof AutoCloseable) {
                try {
                    ((AutoCloseable) value).close();
                } catch (Exception e) {
                    LOG.debug("closing a response nobody will read failed", e);
                }
            }
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
     * The attempts of one call, and every decision about them. Attempts run one after another, so
     * no two threads use it at once; the phase fields are written by OkHttp's threads, hence volatile.
     */
    private final class Attempts<T> {
        private final ApiCall<T> call;
        private final RequestOptions options;
        private final Request request;
        private final OkHttpClient client;
        private final long start;
        private final long deadline;
        /** What the listeners hear of this call, or {@code null} when nobody listens. */
        final CallTrace trace;
        private int attempt;
        private long attemptStart;
        private boolean deadlineBounds;
        /** Set by {@link #phaseTracker()} once the attempt has a connection. */
        volatile boolean connected;
        /** Set once the attempt's request body has been written in full. */
        volatile boolean bodySent;

        Attempts(ApiCall<T> call, RequestOptions callOptions) {
            ensureOpen();
            this.call = call;
            this.options = Objects.requireNonNull(callOptions, "options == null").over(defaults);
            this.request = prepare();
            this.client = clientFor(options);
            this.start = clock.millis();
            this.deadline = options.timeout() == null ? Long.MAX_VALUE : start + options.timeout().toMillis();
            CallListener listener = listeners != null ? listeners : LOG.isDebugEnabled() ? Listeners.ATTEMPT_LOG : null;
            this.trace = listener == null ? null : new CallTrace(listener,
                    new CallContext(call.operation, request.method(), request.url().encodedPath(),
                            request.url().host()), clock);
        }

        /** The next attempt's call, with its timeout set; not yet sent. */
        Call next() {
            ensureOpen();
            attempt++;
            attemptStart = clock.millis();
            connected = false;
            Request attemptRequest = call.perAttempt == null ? request : call.perAttempt.apply(request);
            bodySent = attemptRequest.body() == null;
            Call next = client.newCall(attemptRequest);
            long attemptMillis = options.attemptTimeout() == null ? Long.MAX_VALUE : options.attemptTimeout().toMillis();
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

        /** @throws Mka1Exception if the response is a final failure */
        Outcome<T> onResponse(Received<T> response) {
            if (response.errorBody == null) {
                // The call's end, which follows at once, reports this attempt's end first.
                return new Outcome<>(RawResponse.of(response.code, redaction.apply(response.headers), response.value),
                        null, null);
            }
            ApiException error = Responses.error(response.code, response.headers.toMultimap(), response.errorBody, redaction);
            if (trace != null) {
                trace.attemptEnded(error);
            }
            if (!options.retryPolicy().isRetryable(response.code)) {
                throw error;
            }
            return retryOrThrow(error, error.retryAfter(clock.instant()).orElse(null));
        }

        /** @throws Mka1Exception if the failure is final */
        Outcome<T> onFailure(IOException e) {
            Mka1IoException failure = ioFailure(e);
            if (trace != null) {
                trace.attemptEnded(failure);
            }
            return retryOrThrow(failure, null);
        }

        /** The retry policy is consulted only here, on a failure: a call that succeeds at once never needs it. */
        private Outcome<T> retryOrThrow(Mka1Exception failure, Duration serverWait) {
            RetryPolicy policy = options.retryPolicy();
            if (attempt > policy.maxRetries() || (!call.resendable && connected)) {
                throw failure;
            }
            Duration wait = serverWait != null ? serverWait
                    : policy.backoff(attempt, ThreadLocalRandom.current().nextDouble());
            long resumeAt = clock.millis() + wait.toMillis();
            if (resumeAt > start + policy.maxElapsedTime().toMillis() || resumeAt >= deadline) {
                throw failure; // waiting would outlast the budget: fail now, not later
            }
            if (trace != null) {
                trace.retryScheduled(failure, wait, serverWait != null);
            }
            return new Outcome<>(null, wait, failure);
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
            Mka1TimeoutException.Kind kind = null;
            if (e instanceof SocketTimeoutException) {
                kind = !connected ? Mka1TimeoutException.Kind.CONNECT
                        : bodySent ? Mka1TimeoutException.Kind.READ : Mka1TimeoutException.Kind.WRITE;
            } else if (e instanceof InterruptedIOException) {
                kind = deadlineBounds ? Mka1TimeoutException.Kind.OVERALL : Mka1TimeoutException.Kind.ATTEMPT;
            }
            // A message of OkHttp's may quote the server (an unexpected status line, say).
            IOException cause = redaction.apply(e);
            if (kind == null) {
                return new Mka1IoException(what + " failed: " + cause, cause);
            }
            return new Mka1TimeoutException(kind, what + ": " + kind.description() + " fired", cause);
        }

        KeyRedaction redaction() {
            return redaction;
        }

        String describe() {
            return request.method() + " " + request.url().encodedPath();
        }

        private Request prepare() {
            Request.Builder builder = call.create(api(call.api), options.onBehalfOf()).request().newBuilder();
            builder.header("User-Agent", userAgent);
            builder.header("Accept", call.accept);
            for (Map.Entry<String, String> header : options.headers().entrySet()) {
                builder.header(header.getKey(), header.getValue());
            }
            if (call.creates) {
                String key = options.idempotencyKey() != null ? options.idempotencyKey() : UUID.randomUUID().toString();
                builder.header("Idempotency-Key", key);
            }
            builder.header("Authorization", authorization);
            builder.tag(Attempts.class, this);
            builder.tag(KeyRedaction.class, redaction);
            Request prepared = builder.build();
            if (call.resendable || prepared.body() == null) {
                return prepared;
            }
            // So that OkHttp never sends it again either (following a redirect, say).
            return prepared.newBuilder().method(prepared.method(), new ForwardingBody(prepared.body(), true, null)).build();
        }
    }

    /**
     * A request body written by another: marked one-shot when it can be sent once only, and, for
     * the {@link PhaseTracker}, noting on the attempt when it has gone out in full.
     */
    private static final class ForwardingBody extends RequestBody {
        private final RequestBody body;
        private final boolean oneShot;
        private final Attempts<?> attempts;

        ForwardingBody(RequestBody body, boolean oneShot, Attempts<?> attempts) {
            this.body = body;
            this.oneShot = oneShot;
            this.attempts = attempts;
        }

        @Override
        public MediaType contentType() {
            return body.contentType();
        }

        @Override
        public long contentLength() throws IOException {
            return body.contentLength();
        }

        @Override
        public boolean isOneShot() {
            return oneShot;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            body.writeTo(sink);
            if (attempts != null) {
                sink.flush();
                attempts.bodySent = true;
            }
        }
    }

    private Object api(Class<?> type) {
        Object api = apis.get(type);
        return api != null ? api : apis.computeIfAbsent(type, retrofit::create);
    }

    /** The client for a call: the shared one, or a cheap copy where the call sets other timeouts. */
    private OkHttpClient clientFor(RequestOptions options) {
        Duration connect = differs(options.connectTimeout(), http.connectTimeoutMillis());
        Duration read = differs(options.readTimeout(), http.readTimeoutMillis());
        Duration write = differs(options.writeTimeout(), http.writeTimeoutMillis());
        if (connect == null && read == null && write == null) {
            return http;
        }
        // newBuilder() shares the connection pool and dispatcher: cheap, and nothing extra to close.
        OkHttpClient.Builder builder = http.newBuilder();
        if (connect != null) {
            builder.connectTimeout(connect);
        }
        if (read != null) {
            builder.readTimeout(read);
        }
        if (write != null) {
            builder.writeTimeout(write);
        }
        return builder.build();
    }

    private static Duration differs(Duration wanted, long currentMillis) {
        return wanted == null || wanted.toMillis() == currentMillis ? null : wanted;
    }

    /**
     * The network interceptor every client of ours carries: it records, on the call's
     * {@link Attempts}, that the attempt got a connection and when its body has gone out, so that a
     * timeout can be named by phase.
     *
     * @return the interceptor
     */
    public static Interceptor phaseTracker() {
        return PhaseTracker.INSTANCE;
    }

    private static final class PhaseTracker implements Interceptor {
        static final PhaseTracker INSTANCE = new PhaseTracker();

        @Override
        public Response intercept(Chain chain) throws IOException {
            Request request = chain.request();
            Attempts<?> attempts = request.tag(Attempts.class);
            if (attempts == null) {
                return chain.proceed(request);
            }
            attempts.connected = true;
            RequestBody body = request.body();
            if (body == null) {
                return chain.proceed(request);
            }
            return chain.proceed(request.newBuilder()
                    .method(request.method(), new ForwardingBody(body, body.isOneShot(), attempts)).build());
        }
    }

    private static Mka1IoException interruptedWhileWaiting(Attempts<?> attempts, Mka1Exception failure, Throwable cause) {
        Mka1IoException interrupted = interrupted(attempts.describe() + " was interrupted while waiting to retry", cause);
        interrupted.addSuppressed(failure);
        return interrupted;
    }

    /**
     * The one exception an interrupt raises, wherever it lands (a request, a retry wait, a poll):
     * a {@link Mka1IoException} caused by an {@link InterruptedIOException}.
     */
    public static Mka1IoException interrupted(String message, Throwable cause) {
        InterruptedIOException e = new InterruptedIOException("interrupted");
        e.initCause(cause);
        return new Mka1IoException(message, e);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this Mka1Client is closed");
        }
    }

    /**
     * Retrofit's call factory: Retrofit only turns the generated interface's method into a
     * {@link Request} (path, query, headers, JSON body); {@link CallEngine} sends it. Capturing the
     * request spares building an OkHttp call per request that would never run.
     */
    private static final class RequestCapture implements Call.Factory {
        static final RequestCapture INSTANCE = new RequestCapture();

        private RequestCapture() {
        }

        @Override
        public Call newCall(Request request) {
            return new Captured(request);
        }

        /** Holds a request; it can't be sent. */
        private static final class Captured implements Call {
            private final Request request;

            Captured(Request request) {
                this.request = request;
            }

            @Override
            public Request request() {
                return request;
            }

            @Override
            public Response execute() {
                throw new UnsupportedOperationException("requests are sent by CallEngine");
            }

            @Override
            public void enqueue(Callback responseCallback) {
                throw new UnsupportedOperationException("requests are sent by CallEngine");
            }

            @Override
            public void cancel() {
            }

            @Override
            public boolean isExecuted() {
                return false;
            }

            @Override
            public boolean isCanceled() {
                return false;
            }

            @Override
            public Timeout timeout() {
                return Timeout.NONE;
            }

            @Override
            public Call clone() {
                return new Captured(request);
            }
        }
    }

    /**
     * Makes blocking calls interruptible without moving them off the caller's thread. A thread
     * blocked in OkHttp's {@code execute()} ignores {@link Thread#interrupt()}; while calls are in
     * flight, this watchdog looks at their threads every {@value #TICK_MILLIS} ms and cancels the call
     * of an interrupted one, which ends its blocking read at once.
     *
     * <p>It ticks only while a blocking call is in flight: the first call to be watched starts the
     * tick, and a tick that finds nothing to watch stops it. Its one daemon thread
     * ({@code mka1-batches-interrupt-watchdog}) ends after a second without work, and
     * {@link #close()} stops it for good.
     */
    private static final class InterruptWatchdog {
        static final long TICK_MILLIS = 25;

        private final Map<Call, Thread> watched = new ConcurrentHashMap<>();
        private final ScheduledThreadPoolExecutor timer;
        /** The running tick, or null while none runs; written under {@code this}. */
        private volatile ScheduledFuture<?> tick;
        private boolean closed;

        InterruptWatchdog() {
            timer = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "mka1-batches-interrupt-watchdog");
                thread.setDaemon(true);
                return thread;
            });
            timer.setKeepAliveTime(1, TimeUnit.SECONDS);
            timer.allowCoreThreadTimeOut(true);
            timer.setRemoveOnCancelPolicy(true);
        }

        /** Watches {@code call}, made by the current thread, until {@link #unwatch}. */
        void watch(Call call) {
            watched.put(call, Thread.currentThread());
            if (tick == null) {
                startTicking();
            }
        }

        void unwatch(Call call) {
            watched.remove(call);
        }

        private synchronized void startTicking() {
            if (tick == null && !closed) {
                tick = timer.scheduleWithFixedDelay(this::onTick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        private void onTick() {
            watched.forEach((call, thread) -> {
                if (thread.isInterrupted()) {
                    call.cancel();
                }
            });
            if (watched.isEmpty()) {
                synchronized (this) {
                    if (tick != null) {
                        tick.cancel(false);
                        tick = null;
                    }
                    // watch() adds, then reads the tick; this clears the tick, then reads the calls:
                    // one of the two sees the other's write, so a call is never left unwatched.
                    if (!watched.isEmpty()) {
                        startTicking();
                    }
                }
            }
        }

        synchronized void close() {
            closed = true;
            timer.shutdownNow();
        }
    }
}
