package com.mka1.batches.sandbox;

import com.github.tomakehurst.wiremock.WireMockServer;
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
 * An embedded, stateful stand-in for the MKA1 Batch API, served over HTTP by WireMock (on
 * the loopback address {@code 127.0.0.1} unless {@linkplain Builder#bindAddress(String) told
 * otherwise}). It answers the four batch operations and the five file
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
 * <p>Defaults: a free port on {@value #DEFAULT_BIND_ADDRESS}, the single API key {@value
 * #DEFAULT_API_KEY}, {@link SandboxClock#system()}, a {@linkplain Builder#stepDuration(Duration)
 * step} of {@link #DEFAULT_STEP} (a batch completes three steps after it was created), and the
 * state in memory only (a {@linkplain Builder#stateDir(Path) state dir} keeps it across restarts).
 * The sandbox is thread-safe.
 * Start one per test class and call {@link #reset()} between tests: each start costs a Jetty
 * server.
 */
public final class Mka1Sandbox implements AutoCloseable {
    /** The API key a sandbox accepts unless {@link Builder#apiKeys(String...)} says otherwise. */
    public static final String DEFAULT_API_KEY = "sk-sandbox-test";

    /** The sandbox time a batch spends in each lifecycle stage unless configured. */
    public static final Duration DEFAULT_STEP = Duration.ofSeconds(2);

    /** The address a sandbox listens on unless {@link Builder#bindAddress(String)} says otherwise. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

    private static final String DEFAULT_INPUT_FILENAME = "input.jsonl";

    private final WireMockServer server;
    private final String urlHost;
    private final StateDir stateDir;
    private final SandboxClock clock;
    private final List<String> apiKeys;
    private final SandboxState state;
    private final FaultQueue faults = new FaultQueue();
    private final RequestLog log = new RequestLog();

    private Mka1Sandbox(Builder builder) {
        this.clock = builder.clock;
        this.apiKeys = List.copyOf(builder.apiKeys);
        this.state = new SandboxState(clock, builder.step, builder.rules());
        this.urlHost = SandboxServer.urlHost(builder.bindAddress);
        this.stateDir = builder.stateDir == null ? null : StateDir.open(builder.stateDir);
        try {
            if (stateDir != null) {
                state.persistTo(stateDir);
            }
            ApiRouter router = new ApiRouter(state, Collections.unmodifiableSet(new LinkedHashSet<>(apiKeys)));
            this.server = SandboxServer.start(builder.bindAddress, builder.port, router, faults, log);
        } catch (RuntimeException e) {
            if (stateDir != null) {
                stateDir.close();
            }
            throw e;
        }
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
     * The URL to point a client on this machine at: the {@linkplain Builder#bindAddress(String)
     * bind address}, or {@code 127.0.0.1} if the sandbox listens on every address ({@code 0.0.0.0}
     * or {@code ::}). A client on another machine uses an address of this one, with the same port.
     *
     * @return e.g. {@code http://127.0.0.1:54321}, without a trailing slash
     */
    public String baseUrl() {
        return "http://" + urlHost + ":" + port();
    }

    /**
     * The port the sandbox listens on (at its bind address).
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
        String id = state.upload(
                        SandboxState.scope(apiKey(), null),
                        null,
                        filename,
                        FilePurpose.BATCH,
                        "application/jsonl",
                        content)
                .file
                .getId();
        state.save();
        return id;
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
        Optional<byte[]> content = state.fileContent(fileId);
        state.save(); // reading may have let batches write their result files
        return content.map(bytes -> new String(bytes, StandardCharsets.UTF_8));
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
     * What the sandbox did: every batch created and, per {@code custom_id}, how many times a
     * request was answered {@code 200} in an output file. A snapshot: later requests do not change
     * it.
     *
     * <pre>{@code
     * SandboxLedger ledger = sandbox.ledger();
     * assertThat(ledger.successfulExecutions("req-1")).isEqualTo(1);
     * assertThat(ledger.batches()).extracting(SandboxLedger.Batch::metadata).doesNotHaveDuplicates();
     * }</pre>
     *
     * @return the ledger as of the sandbox clock's {@code now}
     */
    public SandboxLedger ledger() {
        SandboxLedger ledger = state.ledger();
        state.save(); // reading lets ended batches write their result files
        return ledger;
    }

    /**
     * Forgets every batch, file, idempotency key (of creates and uploads), pending fault, recorded
     * request and ledger entry, and how many batches have expired part-way (see {@link
     * Builder#expiringBatches(int)}), in the {@linkplain Builder#stateDir(Path) state dir} too. The
     * clock, the port, the API keys and the builder's settings stay.
     */
    public void reset() {
        state.reset();
        state.save();
        faults.clear();
        log.clear();
    }

    /**
     * Stops the server and releases the {@linkplain Builder#stateDir(Path) state dir} (every change
     * is already written). Safe to call more than once.
     */
    @Override
    public void close() {
        if (server.isRunning()) {
            server.stop();
            if (stateDir != null) {
                stateDir.close();
            }
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
     * <p>Defaults: port 0 (a free port) on {@value Mka1Sandbox#DEFAULT_BIND_ADDRESS}, API key
     * {@value Mka1Sandbox#DEFAULT_API_KEY}, {@link SandboxClock#system()}, step {@link
     * Mka1Sandbox#DEFAULT_STEP}, state kept in memory only; and a well-behaved server: batches run
     * their full 24h window, no queue capacity, {@code Idempotency-Key} honoured.
     *
     * <p>Misbehaving like a real server, for testing a client that must cope:
     *
     * <pre>{@code
     * Mka1Sandbox sandbox = Mka1Sandbox.builder()
     *     .expireAfterLines(6000).expiringBatches(1)  // the first batch of over 6000 lines expires part-way
     *     .queueCapacity(5000)                        // batches over 5000 queued requests per key fail
     *     .ignoreIdempotencyKeys(true)                // a retried create makes a second batch
     *     .start();
     * }</pre>
     */
    public static final class Builder {
        private int port;
        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private Path stateDir;
        private List<String> apiKeys = List.of(DEFAULT_API_KEY);
        private SandboxClock clock = SandboxClock.system();
        private Duration step = DEFAULT_STEP;
        private int expireAfterLines = SandboxRules.UNLIMITED;
        private int expiringBatches = SandboxRules.UNLIMITED;
        private int queueCapacity = SandboxRules.UNLIMITED;
        private boolean refuseWhenQueueFull;
        private boolean ignoreIdempotencyKeys;

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
         * The address to listen on. The default, {@value Mka1Sandbox#DEFAULT_BIND_ADDRESS}, admits
         * clients on this machine only; {@code 0.0.0.0} (or {@code ::}) admits every address of the
         * machine, for clients in other containers or on other machines; one address of the machine
         * admits that one. {@link Mka1Sandbox#baseUrl()} stays a URL for a client on this machine.
         * The sandbox speaks plain HTTP: its API keys cross the network unencrypted.
         *
         * <pre>{@code
         * Mka1Sandbox sandbox = Mka1Sandbox.builder().bindAddress("0.0.0.0").port(8080).start();
         * }</pre>
         *
         * @param bindAddress an IP address literal or a host name
         * @return this builder
         * @throws NullPointerException if {@code bindAddress} is null
         * @throws IllegalArgumentException if it is blank or does not resolve
         */
        public Builder bindAddress(String bindAddress) {
            Objects.requireNonNull(bindAddress, "bindAddress == null");
            SandboxServer.resolve(bindAddress, "bindAddress");
            this.bindAddress = bindAddress;
            return this;
        }

        /**
         * A directory that keeps the sandbox's state, so that a sandbox started again on it still
         * knows the files (their bytes too), batches, idempotency keys, which API key owns what,
         * the {@linkplain Mka1Sandbox#ledger() ledger}'s counts and the batches that expire
         * part-way (the misbehaviour settings are this builder's, not the directory's).
         * A batch keeps its place on the clock: one created before a restart has moved on by the
         * time passed since. Created if missing; every change is written before its request is
         * answered, first to a temporary file then moved into place, so a crash loses at most the
         * request in flight. Only one sandbox at a time can use a directory. API keys are stored
         * as SHA-256 digests, never as themselves. Without it (the default) the state lives in
         * memory only.
         *
         * @param stateDir the directory
         * @return this builder
         * @throws NullPointerException if {@code stateDir} is null
         */
        public Builder stateDir(Path stateDir) {
            this.stateDir = Objects.requireNonNull(stateDir, "stateDir == null");
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
         * Makes batches expire part-way, as a batch that hits its 24h window does: a batch of more
         * than {@code lines} requests expires as soon as it has processed its first {@code lines}
         * (lines are processed in file order, evenly over the in_progress step). It then shows
         * {@code expired}, with {@code expired_at} = {@code expires_at} = that instant, {@code
         * request_counts} of the lines done, and an output (and error) file of those lines only;
         * the rest are missing from every file. A batch of {@code lines} requests or fewer is not
         * affected. Every such batch expires this way unless {@link #expiringBatches(int)} limits
         * how many.
         *
         * @param lines zero or more: how many lines are processed (default: batches run their
         *     full window)
         * @return this builder
         * @throws IllegalArgumentException if {@code lines} is negative
         */
        public Builder expireAfterLines(int lines) {
            if (lines < 0) {
                throw new IllegalArgumentException("expireAfterLines must not be negative: " + lines);
            }
            this.expireAfterLines = lines;
            return this;
        }

        /**
         * Limits {@link #expireAfterLines(int)} to the first {@code batches} batches it applies to
         * (those with more lines than that), counted since the sandbox started or was {@linkplain
         * Mka1Sandbox#reset() reset}; later batches run their full window. {@code expiringBatches(1)}: the
         * first big batch expires part-way, its resubmission completes.
         *
         * @param batches at least 1 (default: every batch)
         * @return this builder
         * @throws IllegalArgumentException if {@code batches} is below 1
         */
        public Builder expiringBatches(int batches) {
            if (batches < 1) {
                throw new IllegalArgumentException("expiringBatches must be at least 1: " + batches);
            }
            this.expiringBatches = batches;
            return this;
        }

        /**
         * A queue capacity per API key, in requests, as OpenAI's and Azure's enqueued limits: a
         * batch created while the key's active batches (not yet completed, failed, expired or
         * cancelled; of any {@code X-On-Behalf-Of} user) hold {@code q} requests, and whose own
         * {@code n} requests make {@code q + n} exceed the capacity, is still accepted ({@code
         * 200}, {@code validating}) but fails one step later with {@code request_counts.total} 0
         * and {@code errors.data[0].code} {@code token_limit_exceeded} (the code OpenAI and
         * Azure use; the sandbox counts requests, not tokens). A refused batch holds no place in
         * the queue. A batch larger than the capacity never fits.
         *
         * @param requests at least 1 (default: no limit)
         * @return this builder
         * @throws IllegalArgumentException if {@code requests} is below 1
         */
        public Builder queueCapacity(int requests) {
            if (requests < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1: " + requests);
            }
            this.queueCapacity = requests;
            return this;
        }

        /**
         * Whether a create that finds its API key's queue already full (its active batches hold
         * {@link #queueCapacity(int)} requests or more) is refused at once with {@code 429} and
         * MKA1's documented body {@code {"error":"Rate limit exceeded"}}, creating nothing (a
         * rejected create does not use up its {@code Idempotency-Key}). A batch that only does not
         * fit in the room left is still accepted and fails later. Needs {@link
         * #queueCapacity(int)}.
         *
         * @param refuse true to answer 429 (default false: every batch over the capacity is
         *     accepted, then fails)
         * @return this builder
         */
        public Builder refuseWhenQueueFull(boolean refuse) {
            this.refuseWhenQueueFull = refuse;
            return this;
        }

        /**
         * Whether the sandbox ignores {@code Idempotency-Key} on create and upload, as a server
         * that does not honour it: a retried create makes a second batch, a retried upload a
         * second file, and no {@code 409 idempotency_key_reused} is ever answered.
         *
         * @param ignore true to ignore the header (default false: honoured)
         * @return this builder
         */
        public Builder ignoreIdempotencyKeys(boolean ignore) {
            this.ignoreIdempotencyKeys = ignore;
            return this;
        }

        SandboxRules rules() {
            return new SandboxRules(
                    expireAfterLines, expiringBatches, queueCapacity, refuseWhenQueueFull, ignoreIdempotencyKeys);
        }

        /**
         * Starts the sandbox, first loading the state in the {@linkplain #stateDir(Path) state
         * dir} if there is one.
         *
         * @return the running sandbox; close it when done
         * @throws IllegalStateException if {@link #expiringBatches(int)} is set without {@link
         *     #expireAfterLines(int)}, or {@link #refuseWhenQueueFull(boolean)} without {@link
         *     #queueCapacity(int)}; or if the state dir cannot be used: not a directory,
         *     unreadable, in use by another sandbox, or holding a state this sandbox cannot read; the
         *     message names the path and what is wrong
         * @throws RuntimeException from WireMock if the port cannot be bound
         */
        public Mka1Sandbox start() {
            if (expiringBatches != SandboxRules.UNLIMITED && expireAfterLines == SandboxRules.UNLIMITED) {
                throw new IllegalStateException("expiringBatches needs expireAfterLines");
            }
            if (refuseWhenQueueFull && queueCapacity == SandboxRules.UNLIMITED) {
                throw new IllegalStateException("refuseWhenQueueFull needs queueCapacity");
            }
            return new Mka1Sandbox(this);
        }
    }
}
