package com.mka1.batches.sandbox.junit;

import com.mka1.batches.Mka1Client;
import com.mka1.batches.Sleeper;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that runs one {@link Mka1Sandbox} per test class, resets it before each test,
 * and injects it, its {@link SandboxClock} and a ready {@link Mka1Client} into test methods,
 * lifecycle methods and constructors. The client's waits — between retries and between the polls
 * of {@code waitForCompletion} — advance the sandbox clock by the time asked instead of sleeping, so
 * a test that waits for a batch finishes at once while the batch really goes through its lifecycle.
 *
 * <pre>{@code
 * @ExtendWith(Mka1SandboxExtension.class)
 * class MyBatchJobTest {
 *     @Test
 *     void batchCompletes(Mka1Sandbox sandbox, Mka1Client client) {
 *         String fileId = sandbox.registerInputFile(
 *             "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{\"input\":\"hi\"}}\n");
 *         BatchService batches = client.llm().batches();
 *         BatchObject batch = batches.create(CreateBatchParams.builder()
 *             .inputFileId(fileId).endpoint(BatchEndpoint.EMBEDDINGS).build());
 *         assertThat(batches.waitForCompletion(batch.getId(), WaitOptions.defaults()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
 *     }
 * }
 *
 * // or, with settings:
 * @RegisterExtension
 * static final Mka1SandboxExtension SANDBOX = Mka1SandboxExtension.builder()
 *     .apiKeys("sk-team-a", "sk-team-b")
 *     .stepDuration(Duration.ofMinutes(10))
 *     .configureClient(client -> client.requestOptions(RequestOptions.builder().maxRetries(0).build()))
 *     .build();
 * }</pre>
 *
 * <p>Defaults ({@code @ExtendWith} or {@code builder().build()}): the sandbox's API key {@value
 * Mka1Sandbox#DEFAULT_API_KEY}, a step of {@link Mka1Sandbox#DEFAULT_STEP}, a {@linkplain
 * SandboxClock#fixed(Instant) fixed} clock starting at {@link #DEFAULT_START} that moves only when
 * the client waits or the test {@linkplain SandboxClock#advance(Duration) advances} it, and a client
 * with the first API key and every other client default.
 *
 * <p>The contract:
 * <ul>
 *   <li><b>One sandbox per test class</b>, started on first use (a test that injects nothing starts
 *       no server), closed when the class is done. {@link org.junit.jupiter.api.Nested @Nested}
 *       classes share the sandbox of their outermost class.
 *   <li><b>{@link Mka1Sandbox#reset()} before each test</b>, before the test's {@code @BeforeEach}
 *       methods run: batches, files, keys, faults and recorded requests are gone, so set up what a
 *       test needs in {@code @BeforeEach} or the test, not in {@code @BeforeAll}. The port, the API
 *       keys and the clock stay; the clock never goes back, so assert on times relative to a
 *       batch's {@code created_at} or to {@code clock.instant()} read in the test.
 *   <li><b>The client</b> resolved for a test (or its {@code @BeforeEach}/{@code @AfterEach}) is
 *       that test's own and is closed after it; one resolved for a constructor or a
 *       {@code @BeforeAll} method is shared by the class's tests and closed after the class. Do not
 *       close the injected sandbox or client yourself. For a second client (another key, another
 *       {@code X-On-Behalf-Of}, no retries) use {@link #clientBuilder(Mka1Sandbox)}.
 *   <li><b>Only the client's waits are virtual.</b> Each wait advances the shared clock by its full
 *       length, so waits of concurrent calls add up rather than overlap. HTTP timeouts and
 *       {@link com.mka1.batches.sandbox.FaultSpec#delay(Duration)} stay real time. A client you build
 *       yourself with {@link Mka1Client#builder()} really sleeps; one from
 *       {@link #clientBuilder(Mka1Sandbox)} does not.
 *   <li><b>Parallel execution:</b> classes may run concurrently (each has its own sandbox on its own
 *       port and its own clock). The tests of one class may not, as they share one sandbox that is
 *       reset before each of them: a test that starts while another test of the same class (or of
 *       its nested classes) is running fails with {@link IllegalStateException}. Annotate such a
 *       class with {@code @Execution(ExecutionMode.SAME_THREAD)}.
 * </ul>
 *
 * <p>Register it once per class, as a {@code static} field when it is configured: an instance field
 * would start a sandbox per test. Instances are immutable and thread-safe. Needs
 * {@code junit-jupiter-api} 5.x on the test classpath (the sandbox does not bring it).
 */
public final class Mka1SandboxExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    /** Where the sandbox clock starts unless {@link Builder#startInstant(Instant)} says otherwise. */
    public static final Instant DEFAULT_START = Instant.parse("2024-01-01T00:00:00Z");

    private static final String SANDBOX = "sandbox";
    private static final String CLIENT = "client";
    private static final String RUNNING_TESTS = "running tests";

    // How each test class's sandbox is configured: the builder's settings, applied to a new
    // Mka1Sandbox.Builder per class (each gets a clock of its own), and checked by that builder.
    private final UnaryOperator<Mka1Sandbox.Builder> sandboxSettings;
    private final Consumer<Mka1Client.Builder> clientConfiguration;
    // Per instance: two differently configured registrations never share a sandbox.
    private final Namespace namespace = Namespace.create(Mka1SandboxExtension.class, this);

    /** Every default; the constructor {@code @ExtendWith} uses. */
    public Mka1SandboxExtension() {
        this(builder());
    }

    private Mka1SandboxExtension(Builder b) {
        this.sandboxSettings = b.sandboxSettings;
        this.clientConfiguration = b.clientConfiguration;
    }

    /**
     * A builder for a configured extension, to register with
     * {@link org.junit.jupiter.api.extension.RegisterExtension @RegisterExtension} on a
     * {@code static} field.
     *
     * @return a builder holding the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A client builder pointed at {@code sandbox}: its base URL, its first API key, its clock, and a
     * sleeper that advances that clock by each wait instead of sleeping. The injected client is
     * built from it; use it for further clients, e.g. with another key or without retries.
     *
     * <pre>{@code
     * try (Mka1Client noRetries = Mka1SandboxExtension.clientBuilder(sandbox).requestOptions(RequestOptions.builder().maxRetries(0).build()).build()) { ... }
     * }</pre>
     *
     * <p>Setting another {@code sleeper} or {@code clock} on it brings real waiting back.
     *
     * @param sandbox a running sandbox
     * @return a new builder; the caller closes the client it builds
     * @throws NullPointerException if {@code sandbox} is null
     */
    public static Mka1Client.Builder clientBuilder(Mka1Sandbox sandbox) {
        Objects.requireNonNull(sandbox, "sandbox == null");
        SandboxClock clock = sandbox.clock();
        return Mka1Client.builder()
                .apiKey(sandbox.apiKey())
                .baseUrl(sandbox.baseUrl())
                .clock(clock)
                .sleeper(new ClockAdvancingSleeper(clock));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Store classStore = classStore(context);
        AtomicInteger running =
                classStore.getOrComputeIfAbsent(RUNNING_TESTS, key -> new AtomicInteger(), AtomicInteger.class);
        // Counted before the check: afterEach runs even when this throws, and takes it back.
        if (running.incrementAndGet() > 1) {
            throw new IllegalStateException(
                    "Mka1SandboxExtension: " + context.getDisplayName() + " started while another test of "
                            + outermostClass(context).getRequiredTestClass().getName()
                            + " was running, but they share one sandbox"
                            + " that is reset before each test; annotate the class with @Execution(ExecutionMode.SAME_THREAD)");
        }
        SandboxResource started = classStore.get(SANDBOX, SandboxResource.class);
        if (started != null) {
            started.sandbox.reset();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        AtomicInteger running = classStore(context).get(RUNNING_TESTS, AtomicInteger.class);
        if (running != null) {
            running.decrementAndGet();
        }
    }

    /**
     * @return whether the parameter is a {@link Mka1Sandbox}, a {@link SandboxClock} or a
     *     {@link Mka1Client}
     */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == Mka1Sandbox.class || type == SandboxClock.class || type == Mka1Client.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        Mka1Sandbox sandbox = sandbox(extensionContext);
        if (type == Mka1Sandbox.class) {
            return sandbox;
        }
        if (type == SandboxClock.class) {
            return sandbox.clock();
        }
        // Looked up through the parent contexts first: a client made for the class serves its tests.
        return extensionContext
                .getStore(namespace)
                .getOrComputeIfAbsent(CLIENT, key -> new ClientResource(newClient(sandbox)), ClientResource.class)
                .client;
    }

    private Mka1Sandbox sandbox(ExtensionContext context) {
        return classStore(context)
                .getOrComputeIfAbsent(SANDBOX, key -> new SandboxResource(startSandbox()), SandboxResource.class)
                .sandbox;
    }

    private Mka1Sandbox startSandbox() {
        return sandboxSettings.apply(Mka1Sandbox.builder()).start();
    }

    private Mka1Client newClient(Mka1Sandbox sandbox) {
        Mka1Client.Builder client = clientBuilder(sandbox);
        clientConfiguration.accept(client);
        return client.build();
    }

    /** The store of the outermost test class: where the sandbox lives, so nested classes share it. */
    private Store classStore(ExtensionContext context) {
        return outermostClass(context).getStore(namespace);
    }

    private static ExtensionContext outermostClass(ExtensionContext context) {
        ExtensionContext outermost = context;
        Optional<ExtensionContext> parent = context.getParent();
        while (parent.isPresent() && parent.get().getTestClass().isPresent()) {
            outermost = parent.get();
            parent = outermost.getParent();
        }
        return outermost;
    }

    /**
     * Waits by advancing the sandbox clock, at once, in both modes. Honours an interrupt the way a
     * real sleep would, so a test of interruption still sees one.
     */
    private static final class ClockAdvancingSleeper implements Sleeper {
        private final SandboxClock clock;

        ClockAdvancingSleeper(SandboxClock clock) {
            this.clock = clock;
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted before a sandbox wait of " + duration);
            }
            clock.advance(duration);
        }

        @Override
        public CompletableFuture<Void> sleepAsync(Duration duration) {
            clock.advance(duration);
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Closed with its context's store. Both interfaces: JUnit 5.13 and later close
     * {@link AutoCloseable} values (and warn about {@code CloseableResource}-only ones); earlier
     * versions only close {@code CloseableResource}. Each JUnit version closes it once.
     */
    @SuppressWarnings("deprecation")
    private static final class SandboxResource implements Store.CloseableResource, AutoCloseable {
        final Mka1Sandbox sandbox;

        SandboxResource(Mka1Sandbox sandbox) {
            this.sandbox = sandbox;
        }

        @Override
        public void close() {
            sandbox.close();
        }
    }

    /** Like {@link SandboxResource}, for a client. */
    @SuppressWarnings("deprecation")
    private static final class ClientResource implements Store.CloseableResource, AutoCloseable {
        final Mka1Client client;

        ClientResource(Mka1Client client) {
            this.client = client;
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /**
     * Configures a {@link Mka1SandboxExtension}.
     *
     * <pre>{@code
     * @RegisterExtension
     * static final Mka1SandboxExtension SANDBOX = Mka1SandboxExtension.builder()
     *     .startInstant(Instant.parse("2025-06-01T12:00:00Z"))
     *     .stepDuration(Duration.ofMinutes(5))
     *     .build();
     * }</pre>
     *
     * <p>Defaults: API key {@value Mka1Sandbox#DEFAULT_API_KEY}, step {@link Mka1Sandbox#DEFAULT_STEP},
     * start {@link Mka1SandboxExtension#DEFAULT_START}, client defaults.
     */
    public static final class Builder {
        private UnaryOperator<Mka1Sandbox.Builder> sandboxSettings =
                sandbox -> sandbox.clock(SandboxClock.fixed(DEFAULT_START));
        private Consumer<Mka1Client.Builder> clientConfiguration = client -> {};

        private Builder() {}

        /**
         * Adds a setting of the sandbox's builder. It is tried on a builder at once, so a bad value
         * fails here, as {@link Mka1Sandbox.Builder} checks it, rather than at the first test.
         */
        private Builder sandbox(UnaryOperator<Mka1Sandbox.Builder> setting) {
            // Applied to a throw-away builder only to have it check the value now.
            Mka1Sandbox.Builder checked = setting.apply(Mka1Sandbox.builder());
            Objects.requireNonNull(checked, "setting returned null");
            UnaryOperator<Mka1Sandbox.Builder> before = sandboxSettings;
            sandboxSettings = sandbox -> setting.apply(before.apply(sandbox));
            return this;
        }

        /**
         * The API keys the sandbox accepts; the injected client uses the first.
         *
         * @param apiKeys at least one non-blank key
         * @return this builder
         * @throws NullPointerException if {@code apiKeys} or one of them is null
         * @throws IllegalArgumentException if none is given or one is blank
         */
        public Builder apiKeys(String... apiKeys) {
            String[] keys = apiKeys == null ? null : apiKeys.clone();
            return sandbox(sandbox -> sandbox.apiKeys(keys));
        }

        /**
         * The sandbox time a batch spends in each lifecycle stage (see
         * {@link Mka1Sandbox.Builder#stepDuration(Duration)}).
         *
         * @param stepDuration a positive duration (default {@link Mka1Sandbox#DEFAULT_STEP})
         * @return this builder
         * @throws NullPointerException if {@code stepDuration} is null
         * @throws IllegalArgumentException if it is zero or negative
         */
        public Builder stepDuration(Duration stepDuration) {
            return sandbox(sandbox -> sandbox.stepDuration(stepDuration));
        }

        /**
         * Where the sandbox's fixed clock starts.
         *
         * @param startInstant the first "now" (default {@link Mka1SandboxExtension#DEFAULT_START})
         * @return this builder
         * @throws NullPointerException if {@code startInstant} is null
         */
        public Builder startInstant(Instant startInstant) {
            Objects.requireNonNull(startInstant, "startInstant == null");
            return sandbox(sandbox -> sandbox.clock(SandboxClock.fixed(startInstant)));
        }

        /**
         * Makes batches of more than {@code lines} requests expire part-way (see {@link
         * Mka1Sandbox.Builder#expireAfterLines(int)}).
         *
         * @param lines zero or more (default: batches run their full window)
         * @return this builder
         * @throws IllegalArgumentException if {@code lines} is negative
         */
        public Builder expireAfterLines(int lines) {
            return sandbox(sandbox -> sandbox.expireAfterLines(lines));
        }

        /**
         * Only the first {@code batches} batches expire part-way (see {@link
         * Mka1Sandbox.Builder#expiringBatches(int)}); needs {@link #expireAfterLines(int)}, or the
         * sandbox fails to start at the first test. The count starts again at each test's reset.
         *
         * @param batches at least 1 (default: every batch)
         * @return this builder
         * @throws IllegalArgumentException if {@code batches} is below 1
         */
        public Builder expiringBatches(int batches) {
            return sandbox(sandbox -> sandbox.expiringBatches(batches));
        }

        /**
         * A queue capacity per API key, in requests; a batch over it fails with {@code
         * token_limit_exceeded} (see {@link Mka1Sandbox.Builder#queueCapacity(int)}).
         *
         * @param requests at least 1 (default: no limit)
         * @return this builder
         * @throws IllegalArgumentException if {@code requests} is below 1
         */
        public Builder queueCapacity(int requests) {
            return sandbox(sandbox -> sandbox.queueCapacity(requests));
        }

        /**
         * Whether a create finding its API key's queue full is answered {@code 429} (see {@link
         * Mka1Sandbox.Builder#refuseWhenQueueFull(boolean)}); needs {@link #queueCapacity(int)}, or
         * the sandbox fails to start at the first test.
         *
         * @param refuse true to answer 429 (default false)
         * @return this builder
         */
        public Builder refuseWhenQueueFull(boolean refuse) {
            return sandbox(sandbox -> sandbox.refuseWhenQueueFull(refuse));
        }

        /**
         * Whether the sandbox ignores {@code Idempotency-Key} (see {@link
         * Mka1Sandbox.Builder#ignoreIdempotencyKeys(boolean)}): a client's retried create makes a
         * second batch.
         *
         * @param ignore true to ignore the header (default false)
         * @return this builder
         */
        public Builder ignoreIdempotencyKeys(boolean ignore) {
            return sandbox(sandbox -> sandbox.ignoreIdempotencyKeys(ignore));
        }

        /**
         * Adjusts every injected client before it is built, e.g. {@code client -> client.requestOptions(RequestOptions.builder().maxRetries(0).build())}
         * or {@code client -> client.requestOptions(RequestOptions.builder().onBehalfOf("user-1").build())}. It receives a builder already pointed at
         * the sandbox with its clock and clock-advancing sleeper; replacing those brings real
         * waiting back.
         *
         * @param clientConfiguration what to change (default nothing)
         * @return this builder
         * @throws NullPointerException if {@code clientConfiguration} is null
         */
        public Builder configureClient(Consumer<Mka1Client.Builder> clientConfiguration) {
            this.clientConfiguration = Objects.requireNonNull(clientConfiguration, "clientConfiguration == null");
            return this;
        }

        /** @return the extension */
        public Mka1SandboxExtension build() {
            return new Mka1SandboxExtension(this);
        }
    }
}
