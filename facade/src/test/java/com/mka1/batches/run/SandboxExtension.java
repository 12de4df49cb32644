package com.mka1.batches.run;

import com.mka1.batches.Mka1Client;
import com.mka1.batches.Sleeper;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The run tests' sandbox: one {@link Mka1Sandbox} per test class on a fixed clock, reset before
 * each test, injected with a {@link Mka1Client} whose waits advance that clock instead of sleeping
 * (one client per test, closed after it). The published {@code Mka1SandboxExtension} does the same
 * for users, but it lives in {@code sandbox-junit}, which depends on this module: the facade's
 * tests cannot use it without a cycle. Its own tests stay there.
 */
public final class SandboxExtension implements BeforeEachCallback, ParameterResolver {
    private static final String SANDBOX = "sandbox";
    private static final String CLIENT = "client";

    private final UnaryOperator<Mka1Sandbox.Builder> settings;
    private final Namespace namespace = Namespace.create(SandboxExtension.class, this);

    /** The sandbox's defaults; what {@code @ExtendWith(SandboxExtension.class)} uses. */
    public SandboxExtension() {
        this(sandbox -> sandbox);
    }

    /** @param settings applied to each class's sandbox builder, e.g. {@code s -> s.apiKeys("sk-x")} */
    SandboxExtension(UnaryOperator<Mka1Sandbox.Builder> settings) {
        this.settings = settings;
    }

    /** A client builder on {@code sandbox}: its URL, first key and clock, and waits that advance it. */
    static Mka1Client.Builder clientBuilder(Mka1Sandbox sandbox) {
        SandboxClock clock = sandbox.clock();
        return Mka1Client.builder()
                .apiKey(sandbox.apiKey())
                .baseUrl(sandbox.baseUrl())
                .clock(clock)
                .sleeper(new Sleeper() {
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
                });
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        SandboxResource started = classStore(context).get(SANDBOX, SandboxResource.class);
        if (started != null) {
            started.sandbox.reset();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Mka1Sandbox.class || type == SandboxClock.class || type == Mka1Client.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        Mka1Sandbox sandbox = classStore(context)
                .getOrComputeIfAbsent(
                        SANDBOX,
                        key -> new SandboxResource(settings.apply(Mka1Sandbox.builder()
                                        .clock(SandboxClock.fixed(Instant.parse("2024-01-01T00:00:00Z"))))
                                .start()),
                        SandboxResource.class)
                .sandbox;
        if (type == Mka1Sandbox.class) {
            return sandbox;
        }
        if (type == SandboxClock.class) {
            return sandbox.clock();
        }
        return context.getStore(namespace)
                .getOrComputeIfAbsent(
                        CLIENT, key -> new ClientResource(clientBuilder(sandbox).build()), ClientResource.class)
                .client;
    }

    private ExtensionContext.Store classStore(ExtensionContext context) {
        ExtensionContext classContext =
                context.getTestMethod().isPresent() ? context.getParent().orElseThrow() : context;
        return classContext.getStore(namespace);
    }

    /** Closed with the class's store. */
    private static final class SandboxResource implements AutoCloseable {
        final Mka1Sandbox sandbox;

        SandboxResource(Mka1Sandbox sandbox) {
            this.sandbox = sandbox;
        }

        @Override
        public void close() {
            sandbox.close();
        }
    }

    /** Closed with the test's store. */
    private static final class ClientResource implements AutoCloseable {
        final Mka1Client client;

        ClientResource(Mka1Client client) {
            this.client = client;
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
