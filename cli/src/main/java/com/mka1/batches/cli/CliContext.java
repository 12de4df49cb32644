package com.mka1.batches.cli;

import com.mka1.batches.Sleeper;
import com.mka1.batches.sandbox.Mka1Sandbox;
import java.io.Console;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the tool takes from its surroundings: environment variables, how it waits, what time it
 * is, how it starts an embedded sandbox, whether stderr is a terminal, and the directory relative
 * paths start from. Tests replace each one; {@link #system()} is the real thing.
 */
final class CliContext {
    /** How long a sandbox batch spends in each stage for {@code --sandbox} and {@code demo}. */
    static final Duration SANDBOX_STEP = Duration.ofSeconds(1);

    final Function<String, String> env;
    final Sleeper sleeper;
    final Clock clock;
    final Supplier<Mka1Sandbox> sandboxes;
    /** Whether progress may redraw one line with {@code \r}; if not, it prints a line per change. */
    final boolean terminal;
    /** The current directory: where relative paths point and where {@code files download} writes by default. */
    final Path workingDirectory;

    CliContext(
            Function<String, String> env,
            Sleeper sleeper,
            Clock clock,
            Supplier<Mka1Sandbox> sandboxes,
            boolean terminal,
            Path workingDirectory) {
        this.env = Objects.requireNonNull(env, "env == null");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.sandboxes = Objects.requireNonNull(sandboxes, "sandboxes == null");
        this.terminal = terminal;
        this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory == null")
                .toAbsolutePath();
    }

    static CliContext system() {
        return new CliContext(
                System::getenv,
                Sleeper.system(),
                Clock.systemUTC(),
                () -> Mka1Sandbox.builder().stepDuration(SANDBOX_STEP).start(),
                stderrIsTerminal(),
                Paths.get("").toAbsolutePath());
    }

    /** A path as the user gave it: a relative one starts from {@link #workingDirectory}. */
    Path resolve(Path path) {
        return workingDirectory.resolve(path);
    }

    /**
     * Whether stderr is a terminal. On Linux {@code /proc} shows where stderr goes, so
     * {@code 2>log} gets plain lines and {@code >out.json} keeps the bar. Elsewhere Java can only
     * say whether the process has a console, which is about stdin and stdout ({@code System.console()},
     * and from JDK 22 {@code Console.isTerminal()}, as a console alone no longer means a terminal).
     */
    // The null check is for JDK 11 to 21, where System.console() is null without a terminal;
    // from JDK 22 it is not, and isTerminal() below answers.
    @SuppressWarnings("SystemConsoleNull")
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Paths.get("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // no /proc (macOS, Windows): ask the console
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // before JDK 22 a console means a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** The value of an environment variable, or null when it is unset or blank. */
    String env(String name) {
        String value = env.apply(name);
        return value == null || value.trim().isEmpty() ? null : value.trim();
    }
}
