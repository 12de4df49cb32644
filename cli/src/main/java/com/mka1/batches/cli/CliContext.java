package com.mka1.batches.cli;

import com.mka1.batches.Sleeper;
import com.mka1.batches.sandbox.Mka1Sandbox;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the tool takes from its surroundings: environment variables, how it waits, what time it
 * is, and how it starts an embedded sandbox. Tests replace each one; {@link #system()} is the
 * real thing.
 */
final class CliContext {
    /** How long a sandbox batch spends in each stage for {@code --sandbox} and {@code demo}. */
    static final Duration SANDBOX_STEP = Duration.ofSeconds(1);

    final Function<String, String> env;
    final Sleeper sleeper;
    final Clock clock;
    final Supplier<Mka1Sandbox> sandboxes;

    CliContext(Function<String, String> env, Sleeper sleeper, Clock clock, Supplier<Mka1Sandbox> sandboxes) {
        this.env = Objects.requireNonNull(env, "env == null");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.sandboxes = Objects.requireNonNull(sandboxes, "sandboxes == null");
    }

    static CliContext system() {
        return new CliContext(System::getenv, Sleeper.system(), Clock.systemUTC(),
                () -> Mka1Sandbox.builder().stepDuration(SANDBOX_STEP).start());
    }

    /** The value of an environment variable, or null when it is unset or blank. */
    String env(String name) {
        String value = env.apply(name);
        return value == null || value.trim().isEmpty() ? null : value.trim();
    }
}
