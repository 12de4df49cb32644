package com.mka1.batches.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.mka1.batches.models.FilePurpose;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An embedded, stateful stand-in for the MKA1 Batch API, served over HTTP by WireMock on
 * the loopback address {@code 127.0.0.1}. It answers the four batch operations and the five file
 * operations as {@code openapi/mka1-batches.yaml} describes them, moves batches through their
 * lifecycle as its {@linkplain #clock() clock} advances, writes output and error files, and can
 * inject faults.
 *
 * <pre>{@code
 * SandboxClock clock = SandboxClock.fixed(Instant.parse("2024-01-01T00:00:00Z"));
 * try (Mka1Sandbox sandbox = Mka1Sandbox.builder().clock(clock).start()) {
 *   String fileId = sandbox.registerInputFile(
 *       "{\"custom_id\":\"r1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
 *           + "\"body\":{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}\n");
 *   // point the client at sandbox.baseUrl() with sandbox.apiKey(), create a batch from fileId,
 *   clock.advance(Duration.ofSeconds(6));      // 3 steps: validating, in_progress, finalizing
 *   // ... the batch is completed; read sandbox.fileContent(outputFileId)
 * }
 * }</pre>
 *
 * <p>Per-line control, by fields of a request line's {@code body}: {@code "sandbox_fail": true}
 * fails the line every time ({@code error.code} {@code processing_error}); {@code "sandbox_status": 500}
 * answers it with a {@code response} of that status whose body is an {@code error} object
 * ({@code "error": null}); {@code "sandbox_error_code": "server_error"} alone answers it with
 * {@code "response": null} and an {@code error} of that code. Both go to the error file and count
 * as failed. With {@code "sandbox_times": N} they hit only the first N batches that take a line of
 * that {@code custom_id} (counted per API key since the last {@link #reset()}, when the batch is
 * created, whether or not it runs the line); later batches run it normally. Without it, every time.
 *
 * <p>Defaults: a free port, the single API key {@value #DEFAULT_API_KEY}, {@link
 * SandboxClock#system()}, and a {@linkplain Builder#stepDuration(Duration) step} of {@link
 * #DEFAULT_STEP} (a batch completes three steps after it was created). The sandbox is thread-safe.
 * Start one per test class and call {@link #reset()} between tests: each start costs a Jetty
 * server.
 */
public final class Mka1Sandbox implements AutoCloseable {
    /** The API key a sandbox accepts unless {@link Builder#apiKeys(String...)} says otherwise. */
    public static final String DEFAULT_API_KEY = "sk-sandbox-test";

    /** The sandbox time a batch spends in each lifecycle stage unless configured. */
    public static final Duration DEFAULT_STEP = Duration.ofSeconds(2);

    private static final String DEFAULT_INPUT_FILENAME = "input.jsonl";

    private final WireMockServer server;
    private final SandboxClock clock;
    private final List<String> apiKeys;
    private final SandboxState state;
    private final FaultQueue faults = new FaultQueue();
    private final RequestLog log = new RequestLog();

    private Mka1Sandbox(Builder builder) {
        this.clock = builder.clock;
        this.apiKeys = List.copyOf(builder.apiKeys);
        this.state = new SandboxState(clock, builder.step);
        ApiRouter router = new ApiRouter(state, Collections.unmodifiableSet(new LinkedHashSet<>(apiKeys)));
        WireMockConfiguration options = WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .http2PlainDisabled(true)
                .jettyStopTimeout(0L)
                .disableRequestJournal()
                .gzipDisabled(true)
                .templatingEnabled(false)
                .notifier(new ConsoleNotifier(false))
                .extensions(new SandboxTransformer(router, faults, log));
        options = builder.port == 0 ? options.dynamicPort() : options.port(builder.port);
        this.server = new WireMockServer(options);
        server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(SandboxTransformer.NAME)));
        server.start();
    }

    /**
     * Starts a sandbox with every default: a free port, API key {@value #DEFAULT_API_KEY}, the
     * system clock and a step of {@link #DEFAULT_STEP}.
     *
     * @return the running sandbox; close it when done
     */
    public static Mka1Sandbox start() {
        return builder().start();
    }

    /**
     * A builder for a sandbox with non-default settings.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The URL to point a client at.
     *
     * @return e.g. {@code http://127.0.0.1:54321}, without a trailing slash
     */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /**
     * The port the sandbox listens on (on the loopback address).
     *
     * @return the port
     */
    public int port() {
        return server.port();
    }

    /**
     * The first accepted API key, for clients that need one.
     *
     * @return the key
     */
    public String apiKey() {
        return apiKeys.get(0);
    }

    /**
     * Every accepted API key; each one sees its own batches.
     *
     * @return an unmodifiable list, in the order given to the builder
     */
    public List<String> apiKeys() {
        return apiKeys;
    }

    /**
     * The sandbox's clock; {@link SandboxClock#advance(Duration)} moves every batch forward.
     *
     * @return the clock
     */
    public SandboxClock clock() {
        return clock;
    }

    /**
     * Stores a JSONL batch input file, exactly as an upload of {@code input.jsonl} (content type
     * {@code application/jsonl}) with purpose {@code batch} under the {@linkplain #apiKey() first
     * API key} without {@code X-On-Behalf-Of} would. Only that scope sees the file and can create
     * batches from it. The content is only checked when a batch is created from it.
     *
     * @param jsonl the file's content, one request a line (stored as UTF-8)
     * @return the file id ({@code file_} and 24 hex digits)
     * @throws NullPointerException if {@code jsonl} is null
     */
    public String registerInputFile(String jsonl) {
        Objects.requireNonNull(jsonl, "jsonl == null");
        return register(DEFAULT_INPUT_FILENAME, jsonl.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Stores a JSONL batch input file given as bytes (kept byte for byte), like {@link
     * #registerInputFile(String)}.
     *
     * @param jsonl the file's content
     * @return the file id
     * @throws NullPointerException if {@code jsonl} is null
     */
    public String registerInputFile(byte[] jsonl) {
        Objects.requireNonNull(jsonl, "jsonl == null");
        return register(DEFAULT_INPUT_FILENAME, jsonl.clone());
    }

    /**
     * Stores a JSONL batch input file read from disk, like {@link #registerInputFile(String)}; the
     * file's name becomes the stored {@code filename}.
     *
     * @param jsonl the file
     * @return the file id
     * @throws NullPointerException if {@code jsonl} is null
     * @throws UncheckedIOException if the file cannot be read
     */
    public String registerInputFile(Path jsonl) {
        Objects.requireNonNull(jsonl, "jsonl == null");
        byte[] content;
        try {
            content = Files.readAllBytes(jsonl);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jsonl, e);
        }
        Path name = jsonl.getFileName();
        return register(name == null ? DEFAULT_INPUT_FILENAME : name.toString(), content);
    }

    private String register(String filename, byte[] content) {
        return state.upload(
                        SandboxState.scope(apiKey(), null),
                        null,
                        filename,
                        FilePurpose.BATCH,
                        "application/jsonl",
                        content)
                .file
                .getId();
    }

    /**
     * The content of any file, whatever API key or user it belongs to: an upload, or an output or
     * error file a batch wrote when it ended (its id is the batch's {@code output_file_id} or
     * {@code error_file_id}). Over HTTP the same content comes from {@code GET
     * /api/v1/llm/files/{file_id}/content}.
     *
     * @param fileId the file id
     * @return the content decoded as UTF-8, or empty if there is no such file (or it was deleted)
     * @throws NullPointerException if {@code fileId} is null
     */
    public Optional<String> fileContent(String fileId) {
        Objects.requireNonNull(fileId, "fileId == null");
        return state.fileContent(fileId).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Queues a fault for the next matching requests. Faults are consumed in the order they were
     * injected; a request takes one use of the first fault whose operations match it.
     *
     * @param fault what to inject
     * @return this sandbox
     * @throws NullPointerException if {@code fault} is null
     */
    public Mka1Sandbox injectFault(FaultSpec fault) {
        Objects.requireNonNull(fault, "fault == null");
        faults.add(fault);
        return this;
    }

    /**
     * How many injected fault uses are still waiting for a request.
     *
     * @return zero once every injected fault has been served
     */
    public int pendingFaults() {
        return faults.size();
    }

    /** Drops every injected fault that has not been served yet. */
    public void clearFaults() {
        faults.clear();
    }

    /**
     * How many HTTP requests the sandbox received since it started or was {@linkplain #reset()
     * reset}, faulted ones included.
     *
     * @return the count
     */
    public int requestCount() {
        return log.total();
    }

    /**
     * How many requests addressed one operation, faulted ones included.
     *
     * @param operation the operation
     * @return the count
     * @throws NullPointerException if {@code operation} is null
     */
    public int requestCount(SandboxOperation operation) {
        Objects.requireNonNull(operation, "operation == null");
        return log.count(operation);
    }

    /**
     * The requests received, oldest first (the last {@value RequestLog#MAX_KEPT} are kept).
     *
     * @return an unmodifiable list
     */
    public List<SandboxRequest> requests() {
        return log.requests();
    }

    /**
     * The requests received for one operation, oldest first.
     *
     * @param operation the operation
     * @return an unmodifiable list
     * @throws NullPointerException if {@code operation} is null
     */
    public List<SandboxRequest> requests(SandboxOperation operation) {
        Objects.requireNonNull(operation, "operation == null");
        return log.requests(operation);
    }

    /**
     * Forgets every batch, file, idempotency key (of creates and uploads), pending fault and recorded request. The clock,
     * the port and the API keys stay.
     */
    public void reset() {
        state.reset();
        faults.clear();
        log.clear();
    }

    /** Stops the server. Safe to call more than once. */
    @Override
    public void close() {
        if (server.isRunning()) {
            server.stop();
        }
    }

    @Override
    public String toString() {
        return "Mka1Sandbox[" + (server.isRunning() ? baseUrl() : "stopped") + "]";
    }

    /**
     * Configures and starts a {@link Mka1Sandbox}.
     *
     * <pre>{@code
     * Mka1Sandbox sandbox = Mka1Sandbox.builder()
     *     .apiKeys("sk-a", "sk-b")
     *     .clock(SandboxClock.fixed(Instant.EPOCH))
     *     .stepDuration(Duration.ofMinutes(1))
     *     .start();
     * }</pre>
     *
     * <p>Defaults: port 0 (a free port), API key {@value Mka1Sandbox#DEFAULT_API_KEY}, {@link
     * SandboxClock#system()}, step {@link Mka1Sandbox#DEFAULT_STEP}.
     */
    public static final class Builder {
        private int port;
        private List<String> apiKeys = List.of(DEFAULT_API_KEY);
        private SandboxClock clock = SandboxClock.system();
        private Duration step = DEFAULT_STEP;

        private Builder() {}

        /**
         * The port to listen on.
         *
         * @param port 1..65535, or 0 for a free port (the default)
         * @return this builder
         * @throws IllegalArgumentException if {@code port} is out of range
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The API keys the sandbox accepts; a request with any other key, or none, gets 401.
         *
         * @param apiKeys at least one non-blank key
         * @return this builder
         * @throws NullPointerException if {@code apiKeys} or one of them is null
         * @throws IllegalArgumentException if none is given or one is blank
         */
        public Builder apiKeys(String... apiKeys) {
            Objects.requireNonNull(apiKeys, "apiKeys == null");
            if (apiKeys.length == 0) {
                throw new IllegalArgumentException("apiKeys is empty");
            }
            for (String key : apiKeys) {
                Objects.requireNonNull(key, "apiKeys contains null");
                if (key.isBlank()) {
                    throw new IllegalArgumentException("apiKeys contains a blank key");
                }
            }
            this.apiKeys = List.copyOf(new LinkedHashSet<>(Arrays.asList(apiKeys)));
            return this;
        }

        /**
         * The clock batches advance with; keep a reference to {@linkplain SandboxClock#advance
         * advance} it from tests.
         *
         * @param clock the clock
         * @return this builder
         * @throws NullPointerException if {@code clock} is null
         */
        public Builder clock(SandboxClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock == null");
            return this;
        }

        /**
         * The sandbox time a batch spends in each stage (validating, in_progress, finalizing,
         * cancelling). A step of 9 hours or more makes batches expire (three steps exceed 24h).
         *
         * @param step a positive duration
         * @return this builder
         * @throws NullPointerException if {@code step} is null
         * @throws IllegalArgumentException if {@code step} is zero or negative
         */
        public Builder stepDuration(Duration step) {
            Objects.requireNonNull(step, "step == null");
            if (step.isZero() || step.isNegative()) {
                throw new IllegalArgumentException("step must be positive: " + step);
            }
            this.step = step;
            return this;
        }

        /**
         * Starts the sandbox.
         *
         * @return the running sandbox; close it when done
         * @throws RuntimeException from WireMock if the port cannot be bound
         */
        public Mka1Sandbox start() {
            return new Mka1Sandbox(this);
        }
    }
}
