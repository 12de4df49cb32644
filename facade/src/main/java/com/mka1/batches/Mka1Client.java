package com.mka1.batches;

import com.mka1.batches.internal.BaseUrls;
import com.mka1.batches.internal.CallEngine;
import com.mka1.batches.internal.HttpClients;
import com.mka1.batches.internal.LibraryVersion;
import com.mka1.batches.internal.OptionsOverlay;
import com.mka1.batches.observability.CallListener;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * The entry point: a client for the MKA1 API holding the API key, the base URL and one HTTP
 * connection pool. Create one per application, share it between threads, close it on shutdown.
 *
 * <pre>{@code
 * try (Mka1Client client = Mka1Client.builder().apiKey(System.getenv("MKA1_API_KEY")).build()) {
 *     BatchObject batch = client.llm().batches().get("batch_aa87e2b1112a455b8deabed784372198");
 * }
 * // or, reading MKA1_API_KEY and MKA1_BASE_URL:
 * Mka1Client client = Mka1Client.fromEnv();
 * }</pre>
 *
 * <p>Defaults: base URL {@value #DEFAULT_BASE_URL}, connect timeout 10 s, read and write
 * timeouts 60 s, no per-attempt or overall timeout, {@link RetryPolicy#defaults()}, at most
 * {@value #MAX_CONCURRENT_REQUESTS} asynchronous requests in flight at once (to any one host,
 * too; more wait their turn). Every request carries {@code Authorization: Bearer <key>} and a {@code User-Agent}
 * naming this library and its version; {@code Authorization} is dropped when a redirect leads to
 * another host. The key never appears in {@link #toString()}, logs or exception messages.
 *
 * <p>The server is untrusted input. The key is removed from all it sends back before that
 * reaches an exception, a {@link RawResponse}'s headers, a listener or a log line (a server or
 * proxy may echo it: {@code "Incorrect API key provided: <key>"}): the key as it is (so its
 * {@code Bearer <key>} form too), percent-encoded, and as written in a JSON string, whatever its
 * shape, each becoming {@code [redacted]}. (A key shorter than 8 characters is not looked for: no
 * real key is that short, and it would match ordinary words.) An answer whose
 * {@code Content-Length} is not a length (negative, not a number, two that differ) is refused
 * before its body is read, as a failed attempt ({@link com.mka1.batches.errors.Mka1IoException},
 * retried like a broken connection); so is a body shorter than announced. Of an error body only the first
 * 64 KiB are read; a JSON answer larger than 32 MiB is an
 * {@link com.mka1.batches.errors.InvalidResponseException}; file content is never capped.
 *
 * <p>Blocking calls run on the caller's thread; interrupting it cancels the request within
 * 25 ms (a watchdog thread, {@code mka1-batches-interrupt-watchdog}, that ticks only while a
 * blocking call is in flight and ends after a second idle). Asynchronous calls run on the client's own dispatcher threads
 * ({@code mka1-batches-dispatcher-N}). {@link #close()} stops both. OkHttp's own {@code OkHttp TaskRunner} daemon threads are shared
 * by every OkHttp client in the JVM, are not started by this library, and are left to OkHttp.
 */
public final class Mka1Client implements AutoCloseable {
    /** The production gateway. */
    public static final String DEFAULT_BASE_URL = "https://apigw.mka1.com";
    /** The library version, from the build. */
    public static final String VERSION = LibraryVersion.VERSION;
    /** How many requests a client runs at once, in all and per host. */
    public static final int MAX_CONCURRENT_REQUESTS = 256;

    private final HttpUrl baseUrl;
    private final OkHttpClient http;
    private final boolean ownsHttpClient;
    private final ExecutorService dispatcherThreads;
    private final CallEngine engine;
    private final Llm llm;
    private final Async async;

    private Mka1Client(Builder b, HttpUrl baseUrl) {
        this.baseUrl = baseUrl;
        this.ownsHttpClient = b.httpClient == null;
        this.dispatcherThreads = HttpClients.dispatcherThreads();
        RequestOptions own = b.defaults;
        this.http = HttpClients.build(b.httpClient, own, dispatcherThreads, MAX_CONCURRENT_REQUESTS);
        RequestOptions defaults = OptionsOverlay.over(
                own,
                RequestOptions.builder().retryPolicy(RetryPolicy.defaults()).build());
        this.engine = new CallEngine(
                http,
                baseUrl,
                b.apiKey,
                LibraryVersion.userAgent(),
                defaults,
                b.sleeper,
                b.clock,
                List.copyOf(b.listeners));
        this.llm = new Llm(new BatchService(engine), new FileService(engine));
        this.async = new Async(new AsyncLlm(new AsyncBatchService(engine), new AsyncFileService(engine)));
    }

    /** @return a builder; {@link Builder#apiKey(String)} is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A client configured from the environment: {@code MKA1_API_KEY} (required) and
     * {@code MKA1_BASE_URL} (optional).
     *
     * @return the client
     * @throws IllegalStateException if {@code MKA1_API_KEY} is not set
     */
    public static Mka1Client fromEnv() {
        return builderFromEnv(System::getenv).build();
    }

    /** {@link #fromEnv()} with the environment as a lookup, so tests need not change the real one. */
    static Builder builderFromEnv(Function<String, @Nullable String> env) {
        String key = env.apply("MKA1_API_KEY");
        if (key == null || key.trim().isEmpty()) {
            throw new IllegalStateException("MKA1_API_KEY is not set: export your MKA1 API key in it");
        }
        Builder builder = builder().apiKey(key.trim());
        String baseUrl = env.apply("MKA1_BASE_URL");
        if (baseUrl != null && !baseUrl.trim().isEmpty()) {
            builder.baseUrl(baseUrl.trim());
        }
        return builder;
    }

    /** @return the LLM operations; {@code llm().batches()} holds the batch operations */
    public Llm llm() {
        return llm;
    }

    /**
     * The same client with operations returning {@link java.util.concurrent.CompletableFuture}:
     * {@code client.async().llm().batches()}. Shares this client's configuration, connections and
     * lifecycle: closing this client closes it.
     *
     * @return the asynchronous view of this client
     */
    public Async async() {
        return async;
    }

    /** @return the base URL requests go to, always ending in {@code /} */
    public String baseUrl() {
        return baseUrl.toString();
    }

    /**
     * Releases the client's threads and pooled connections. Calls made afterwards throw
     * {@link IllegalStateException}, and so does a call in flight when it would start another
     * attempt; an attempt already sent runs to its end. Once those are done no thread started by
     * this client remains. Idempotent. The connection pool of a caller-supplied
     * {@link OkHttpClient} is left running: it belongs to the caller.
     */
    @Override
    public void close() {
        if (!engine.close()) {
            return;
        }
        dispatcherThreads.shutdown();
        if (ownsHttpClient) {
            http.connectionPool().evictAll();
        }
    }

    @Override
    public String toString() {
        return "Mka1Client{baseUrl=" + baseUrl + ", version=" + VERSION + '}';
    }

    /** Builds a {@link Mka1Client}. Only {@link #apiKey(String)} is required. */
    public static final class Builder {
        private String apiKey;
        private String baseUrl = DEFAULT_BASE_URL;
        /** Every setting a call can also override lives here, checked once, by RequestOptions. */
        private RequestOptions defaults = RequestOptions.none();

        private OkHttpClient httpClient;
        private boolean allowInsecureHttp;
        private Sleeper sleeper = Sleeper.system();
        private Clock clock = Clock.systemUTC();
        private final List<CallListener> listeners = new ArrayList<>();

        private Builder() {}

        /**
         * @param apiKey the MKA1 API key; required
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            Objects.requireNonNull(apiKey, "apiKey == null");
            if (apiKey.trim().isEmpty()) {
                throw new IllegalArgumentException("apiKey must not be blank");
            }
            // Validated without echoing the value: the key must never reach a message.
            for (int i = 0; i < apiKey.length(); i++) {
                char c = apiKey.charAt(i);
                if (c <= 0x20 || c >= 0x7f) {
                    throw new IllegalArgumentException(
                            "apiKey contains a whitespace or non-ASCII character at index " + i);
                }
            }
            this.apiKey = apiKey;
            return this;
        }

        /**
         * @param baseUrl an {@code https} URL (or {@code http} to a loopback host, or any host
         *     after {@link #allowInsecureHttp(boolean)}); a path prefix is kept
         * @return this builder
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl == null");
            return this;
        }

        /**
         * The client's own settings, under every call's: each call's {@link RequestOptions} (a
         * service's {@code withOptions}) is laid over them, field by field, as described in
         * {@link RequestOptions}. What these leave unset keeps the client's defaults: connect
         * timeout 10 s, read and write timeouts 60 s, no per-attempt or overall timeout,
         * {@link RetryPolicy#defaults()} (a {@code maxRetries} alone changes only its number of
         * retries), no {@code X-On-Behalf-Of}, no extra headers. Called again, it lays the new
         * options over those given before, as a service's {@code withOptions} does.
         *
         * <pre>{@code
         * Mka1Client client = Mka1Client.builder().apiKey(key)
         *         .requestOptions(RequestOptions.builder()
         *                 .timeout(Duration.ofMinutes(2))
         *                 .maxRetries(5)
         *                 .onBehalfOf("team-a")
         *                 .build())
         *         .build();
         * }</pre>
         *
         * @param defaults timeouts, retries, headers and {@code X-On-Behalf-Of} of every call
         * @return this builder
         * @throws IllegalArgumentException if {@code defaults} sets an idempotency key: a key is
         *     one create's, and one shared by every create would make the server answer each
         *     with the first batch
         */
        public Builder requestOptions(RequestOptions defaults) {
            Objects.requireNonNull(defaults, "defaults == null");
            if (defaults.idempotencyKey() != null) {
                throw new IllegalArgumentException(
                        "defaults must not set an idempotencyKey: it is one create's, set it per call with withOptions");
            }
            this.defaults = OptionsOverlay.over(defaults, this.defaults);
            return this;
        }

        /**
         * Uses the caller's OkHttpClient (its connection pool, interceptors, proxy, TLS and
         * timeouts); timeouts set in {@link #requestOptions(RequestOptions)} are applied on top. Asynchronous requests still
         * run on this client's own dispatcher (see {@link Mka1Client}), not the caller's.
         * {@link Mka1Client#close()} leaves the caller's client and its pool running.
         *
         * @param httpClient the client to share
         * @return this builder
         */
        public Builder httpClient(OkHttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient == null");
            return this;
        }

        /**
         * @param allow whether a plain {@code http} base URL to a non-loopback host is accepted;
         *     off by default, as the API key would cross the network in clear
         * @return this builder
         */
        public Builder allowInsecureHttp(boolean allow) {
            this.allowInsecureHttp = allow;
            return this;
        }

        /**
         * @param sleeper how to wait between retries and between the polls of
         *     {@code waitForCompletion} (tests pass one that does not sleep, or advances a fake
         *     clock; the sandbox's JUnit extension hands out a client with such a sleeper)
         * @return this builder
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper == null");
            return this;
        }

        /**
         * @param clock the time source for retry budgets and {@code Retry-After} dates
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock == null");
            return this;
        }

        /**
         * Adds a listener told about every call of the client, blocking and asynchronous: its
         * start, each attempt, each retry and its end (see {@link CallListener}). Metrics and
         * traces hang on it: {@code mka1-batches-micrometer} has one for Micrometer. Listeners
         * added more than once are told in the order added; one that throws is logged and
         * skipped, never failing the call. A client without listeners does no work for them.
         *
         * <pre>{@code
         * Mka1Client client = Mka1Client.builder().apiKey(key)
         *         .addListener(new CallListener() {
         *             @Override
         *             public void retryScheduled(CallContext call, RetryScheduled retry) {
         *                 log.info("{} retries in {} after {}", call.operation(), retry.delay(), retry.reason());
         *             }
         *         })
         *         .build();
         * }</pre>
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder addListener(CallListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener == null"));
            return this;
        }

        /**
         * @return the client
         * @throws IllegalStateException if no API key was set
         * @throws IllegalArgumentException if the base URL is not a usable http(s) URL
         */
        public Mka1Client build() {
            if (apiKey == null) {
                throw new IllegalStateException("apiKey is required but was not set (or use Mka1Client.fromEnv())");
            }
            return new Mka1Client(this, BaseUrls.checked(baseUrl, allowInsecureHttp));
        }
    }

    /**
     * The LLM part of the MKA1 API: {@code client.llm()}. Mirrors the vendor SDKs'
     * {@code sdk.llm.*} namespace.
     *
     * <pre>{@code
     * BatchService batches = client.llm().batches();
     * FileService files = client.llm().files();
     * }</pre>
     */
    public static final class Llm {
        private final BatchService batches;
        private final FileService files;

        Llm(BatchService batches, FileService files) {
            this.batches = batches;
            this.files = files;
        }

        /** @return the batch operations */
        public BatchService batches() {
            return batches;
        }

        /** @return the file operations: batch inputs up, results down */
        public FileService files() {
            return files;
        }
    }

    /**
     * The asynchronous view of a {@link Mka1Client}: {@code client.async()}. Same operations,
     * configuration, connection pool and lifecycle as the client it comes from; each operation
     * returns a {@link java.util.concurrent.CompletableFuture}.
     *
     * <pre>{@code
     * AsyncBatchService batches = client.async().llm().batches();
     * batches.get(batchId)
     *         .thenAccept(batch -> System.out.println(batch.getStatus()))
     *         .exceptionally(e -> { log.warn("get failed", e); return null; });
     * }</pre>
     */
    public static final class Async {
        private final AsyncLlm llm;

        Async(AsyncLlm llm) {
            this.llm = llm;
        }

        /** @return the asynchronous LLM operations; {@code llm().batches()} holds the batch operations */
        public AsyncLlm llm() {
            return llm;
        }
    }

    /**
     * The asynchronous LLM operations: {@code client.async().llm()}.
     *
     * <pre>{@code
     * AsyncBatchService batches = client.async().llm().batches();
     * AsyncFileService files = client.async().llm().files();
     * }</pre>
     */
    public static final class AsyncLlm {
        private final AsyncBatchService batches;
        private final AsyncFileService files;

        AsyncLlm(AsyncBatchService batches, AsyncFileService files) {
            this.batches = batches;
            this.files = files;
        }

        /** @return the asynchronous batch operations */
        public AsyncBatchService batches() {
            return batches;
        }

        /** @return the asynchronous file operations */
        public AsyncFileService files() {
            return files;
        }
    }
}
