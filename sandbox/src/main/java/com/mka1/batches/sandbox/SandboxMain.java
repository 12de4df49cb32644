package com.mka1.batches.sandbox;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Runs a {@link Mka1Sandbox} as a standalone server until the process is killed.
 *
 * <pre>{@code
 * java -jar mka1-batches-sandbox-<version>-all.jar --port 8080 --api-key sk-dev
 * }</pre>
 *
 * <p>{@code --help} lists every option with its default (the table {@link #OPTIONS} declares
 * them once, for the parser and the help alike; sandbox/README.md documents them): the port
 * (default 8080), the bind address (default {@value Mka1Sandbox#DEFAULT_BIND_ADDRESS}), the API
 * keys, the step, input files to register, and a state dir that a sandbox started again on
 * carries on from. A three-line chat-completions sample file is registered at every start.
 * Clients upload and download files through the API's own files endpoints ({@code
 * /api/v1/llm/files}).
 *
 * <p>Misbehaving like a real server (default: none of it; see {@link Mka1Sandbox.Builder}): {@code
 * --expire-after-lines N} (a batch of more than N requests expires once N are done), {@code
 * --expiring-batches K} (only the first K such batches), {@code --queue-capacity N} (requests per
 * API key in active batches; a batch over it fails with {@code token_limit_exceeded}), {@code
 * --refuse-when-queue-full} (a create finding the queue full gets 429), {@code
 * --ignore-idempotency-keys}, {@code --drop-answer OPERATION:N} (repeatable: the Nth request of
 * that operation, e.g. {@code create:1} or {@code upload_file:2}, is acted on and its answer
 * dropped; see {@link FaultSpec#dropAnswer()}).
 *
 * <p>Problems are one line on stderr, {@code mka1-sandbox: <what went wrong>}, and an exit code:
 * 2 for a bad option (followed by the usage line), 1 when the sandbox cannot start (the port
 * cannot be had, or the state dir cannot be used).
 */
public final class SandboxMain {
    static final String NAME = "mka1-sandbox";
    static final int DEFAULT_PORT = 8080;
    static final int EXIT_CANNOT_START = 1;
    static final int EXIT_USAGE = 2;
    /** The help's layout: descriptions start at this column and wrap before this width. */
    private static final int HELP_INDENT = 27;

    private static final int HELP_WIDTH = 100;

    static final String SAMPLE_INPUT = sampleLine("request-1", "Say hello.")
            + sampleLine("request-2", "Name a colour.")
            + sampleLine("request-3", "Count to three.");

    /** What the options ask for; each field starts at its default. */
    static final class Settings {
        int port = DEFAULT_PORT;
        String bindAddress = Mka1Sandbox.DEFAULT_BIND_ADDRESS;
        final List<String> apiKeys = new ArrayList<>();
        Duration step = Mka1Sandbox.DEFAULT_STEP;
        final List<Path> inputFiles = new ArrayList<>();
        Path stateDir;
        /** Null: no batch expires part-way. */
        Integer expireAfterLines;
        /** Null: every batch set to expire part-way does. */
        Integer expiringBatches;
        /** Null: no queue capacity. */
        Integer queueCapacity;

        boolean refuseWhenQueueFull;
        boolean ignoreIdempotencyKeys;
        /** The request numbers, per operation, whose answers are dropped after acting on them. */
        final Map<SandboxOperation, SortedSet<Integer>> dropAnswers = new EnumMap<>(SandboxOperation.class);

        boolean help;
    }

    /** Applies one option's value (null for a flag without one) to the settings. */
    @FunctionalInterface
    interface Setter {
        void set(Settings settings, String value);
    }

    /**
     * One command-line option, declared once: the parser accepts exactly the options of {@link
     * #OPTIONS}, and {@code --help} lists exactly those, each with its default.
     */
    static final class Option {
        final String name;
        /** Another name for it, or null. */
        final String alias;
        /** What its value is called in the help, or null for a flag without a value. */
        final String argument;

        final boolean repeatable;
        final String defaultValue;
        final String description;
        final Setter setter;

        Option(
                String name,
                String alias,
                String argument,
                boolean repeatable,
                String defaultValue,
                String description,
                Setter setter) {
            this.name = name;
            this.alias = alias;
            this.argument = argument;
            this.repeatable = repeatable;
            this.defaultValue = defaultValue;
            this.description = description;
            this.setter = setter;
        }

        /** An option with a value, given once (a later one wins). */
        static Option value(String name, String argument, String defaultValue, String description, Setter setter) {
            return new Option(name, null, argument, false, defaultValue, description, setter);
        }

        /** An option with a value that may be given several times. */
        static Option repeatable(String name, String argument, String defaultValue, String description, Setter setter) {
            return new Option(name, null, argument, true, defaultValue, description, setter);
        }

        /** A flag without a value, off unless given. */
        static Option flag(String name, String description, Consumer<Settings> turnOn) {
            return new Option(
                    name, null, null, false, "off", description, (settings, value) -> turnOn.accept(settings));
        }

        boolean named(String arg) {
            return name.equals(arg) || arg.equals(alias);
        }

        /** How the option is written: {@code --port N}, {@code -h, --help}. */
        String synopsis() {
            return (alias == null ? "" : alias + ", ") + name + (argument == null ? "" : " " + argument);
        }
    }

    /** Every option, in the order {@code --help} lists them. */
    static final List<Option> OPTIONS = List.of(
            Option.value(
                    "--port",
                    "N",
                    String.valueOf(DEFAULT_PORT),
                    "the port to listen on; 0 picks a free port",
                    (settings, value) -> {
                        int port = parseInt("--port", value);
                        if (port < 0 || port > 65535) {
                            throw new IllegalArgumentException("--port must be between 0 and 65535, was " + port);
                        }
                        settings.port = port;
                    }),
            Option.value(
                    "--bind-address",
                    "ADDRESS",
                    Mka1Sandbox.DEFAULT_BIND_ADDRESS,
                    "the address to listen on: 0.0.0.0 admits clients on other machines or containers (plain"
                            + " HTTP: the key crosses the network unencrypted); the printed URL stays one for"
                            + " this machine",
                    (settings, value) -> {
                        SandboxServer.resolve(value, "--bind-address");
                        settings.bindAddress = value;
                    }),
            Option.repeatable(
                    "--api-key",
                    "KEY",
                    Mka1Sandbox.DEFAULT_API_KEY,
                    "an API key the sandbox accepts (each key sees only its own batches and files)",
                    (settings, value) -> {
                        if (value.trim().isEmpty()) {
                            throw new IllegalArgumentException("--api-key must not be blank");
                        }
                        settings.apiKeys.add(value);
                    }),
            Option.value(
                    "--step-millis",
                    "N",
                    String.valueOf(Mka1Sandbox.DEFAULT_STEP.toMillis()),
                    "how long a batch spends in each lifecycle stage, in milliseconds",
                    (settings, value) -> {
                        int millis = parseInt("--step-millis", value);
                        if (millis <= 0) {
                            throw new IllegalArgumentException("--step-millis must be positive, was " + millis);
                        }
                        settings.step = Duration.ofMillis(millis);
                    }),
            Option.repeatable(
                    "--input-file",
                    "PATH",
                    "none",
                    "registers a JSONL batch input file under the first key and prints its id",
                    (settings, value) -> {
                        Path file = Path.of(value);
                        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                            throw new IllegalArgumentException("--input-file " + file + " is not a readable file");
                        }
                        settings.inputFiles.add(file);
                    }),
            Option.value(
                    "--state-dir",
                    "DIR",
                    "none: the state lives in memory only",
                    "keeps files, batches and idempotency keys in DIR (created if missing), so that a sandbox"
                            + " started again on it carries on where this one stopped",
                    (settings, value) -> settings.stateDir = Path.of(value)),
            Option.value(
                    "--expire-after-lines",
                    "N",
                    "none: batches run their course",
                    "a batch of more than N requests expires once its first N lines are done, with those"
                            + " lines in its files",
                    (settings, value) -> settings.expireAfterLines = atLeast("--expire-after-lines", value, 0)),
            Option.value(
                    "--expiring-batches",
                    "N",
                    "every such batch",
                    "only the first N batches that --expire-after-lines applies to expire part-way; later ones"
                            + " complete. Needs --expire-after-lines",
                    (settings, value) -> settings.expiringBatches = atLeast("--expiring-batches", value, 1)),
            Option.value(
                    "--queue-capacity",
                    "N",
                    "none",
                    "at most N requests per API key in active batches; a batch over it fails with"
                            + " token_limit_exceeded",
                    (settings, value) -> settings.queueCapacity = atLeast("--queue-capacity", value, 1)),
            Option.flag(
                    "--refuse-when-queue-full",
                    "a create that finds its key's queue full is answered 429 and creates nothing. Needs"
                            + " --queue-capacity",
                    settings -> settings.refuseWhenQueueFull = true),
            Option.flag(
                    "--ignore-idempotency-keys",
                    "Idempotency-Key is ignored on create and upload: a retry makes a second batch or file",
                    settings -> settings.ignoreIdempotencyKeys = true),
            Option.repeatable(
                    "--drop-answer",
                    "OPERATION:N",
                    "none",
                    "the Nth request of OPERATION (create, upload_file, ...) is acted on and its answer"
                            + " dropped: the connection closes without a byte",
                    (settings, value) -> addDropAnswer(settings.dropAnswers, value)),
            new Option(
                    "--help",
                    "-h",
                    null,
                    false,
                    "off",
                    "prints this help and exits",
                    (settings, value) -> settings.help = true));

    private SandboxMain() {}

    /**
     * Starts the sandbox, prints its base URL, API key and sample file id, and waits forever.
     *
     * @param args the command-line options (see the class documentation)
     * @throws InterruptedException if the main thread is interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        int exitCode = run(args, System.out, System.err, SandboxMain::serveUntilKilled);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /** What the sandbox does once started; {@link #main} serves until the process is killed. */
    @FunctionalInterface
    interface Server {
        void serve(Mka1Sandbox sandbox) throws InterruptedException;
    }

    /**
     * {@link #main} short of {@code System.exit}: starts the sandbox, hands it to {@code server},
     * and returns the exit code; a problem is reported on {@code err} in one line.
     */
    static int run(String[] args, PrintStream out, PrintStream err, Server server) throws InterruptedException {
        Mka1Sandbox sandbox;
        try {
            sandbox = launch(args, out);
        } catch (IllegalArgumentException e) {
            err.println(NAME + ": " + e.getMessage());
            err.println(usage());
            return EXIT_USAGE;
        } catch (CannotListenException | StateDir.StateDirException | UncheckedIOException e) {
            err.println(NAME + ": " + e.getMessage());
            return EXIT_CANNOT_START;
        }
        if (sandbox != null) {
            server.serve(sandbox);
        }
        return 0;
    }

    private static void serveUntilKilled(Mka1Sandbox sandbox) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            sandbox.close();
                            stopped.countDown();
                        },
                        "mka1-sandbox-shutdown"));
        stopped.await();
    }

    /**
     * Parses the options, starts the sandbox and prints how to reach it.
     *
     * @return the running sandbox, or null if only help was asked for
     * @throws IllegalArgumentException for an unknown or malformed option
     * @throws CannotListenException if the port is taken or not allowed
     * @throws StateDir.StateDirException if the state dir cannot be used
     */
    static Mka1Sandbox launch(String[] args, PrintStream out) {
        Settings settings = parse(args);
        if (settings.help) {
            out.print(help());
            out.flush();
            return null;
        }
        if (settings.expiringBatches != null && settings.expireAfterLines == null) {
            throw new IllegalArgumentException("--expiring-batches needs --expire-after-lines");
        }
        if (settings.refuseWhenQueueFull && settings.queueCapacity == null) {
            throw new IllegalArgumentException("--refuse-when-queue-full needs --queue-capacity");
        }
        Mka1Sandbox.Builder builder = Mka1Sandbox.builder()
                .port(settings.port)
                .bindAddress(settings.bindAddress)
                .stepDuration(settings.step)
                .refuseWhenQueueFull(settings.refuseWhenQueueFull)
                .ignoreIdempotencyKeys(settings.ignoreIdempotencyKeys);
        if (settings.expireAfterLines != null) {
            builder.expireAfterLines(settings.expireAfterLines);
        }
        if (settings.expiringBatches != null) {
            builder.expiringBatches(settings.expiringBatches);
        }
        if (settings.queueCapacity != null) {
            builder.queueCapacity(settings.queueCapacity);
        }
        if (!settings.apiKeys.isEmpty()) {
            builder.apiKeys(settings.apiKeys.toArray(new String[0]));
        }
        if (settings.stateDir != null) {
            builder.stateDir(settings.stateDir);
        }
        Mka1Sandbox sandbox;
        try {
            sandbox = builder.start();
        } catch (RuntimeException e) {
            BindException bind = bindFailure(e);
            if (bind == null) {
                throw e;
            }
            throw new CannotListenException(settings.bindAddress, settings.port, bind);
        }
        try {
            out.println("MKA1 Batch API sandbox listening on " + sandbox.baseUrl()
                    + (settings.bindAddress.equals(Mka1Sandbox.DEFAULT_BIND_ADDRESS)
                            ? ""
                            : " (bound to " + settings.bindAddress + ")"));
            out.println("API key: " + String.join(", ", sandbox.apiKeys()));
            if (settings.stateDir != null) {
                out.println("State kept in " + settings.stateDir);
            }
            out.println("Sample input file (3 chat completions): " + sandbox.registerInputFile(SAMPLE_INPUT));
            for (Path file : settings.inputFiles) {
                out.println("Input file " + file + ": " + sandbox.registerInputFile(file));
            }
            injectDropAnswers(sandbox, settings.dropAnswers);
            for (String each : misbehaviour(settings)) {
                out.println("Misbehaving: " + each + ".");
            }
            out.println("Each lifecycle stage takes " + settings.step.toMillis() + " ms. Stop with Ctrl-C.");
            out.flush();
            return sandbox;
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    /**
     * The settings the options ask for: each option of {@link #OPTIONS} applied in order.
     *
     * @throws IllegalArgumentException for an unknown option, a missing value or a malformed one
     */
    static Settings parse(String[] args) {
        Settings settings = new Settings();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            Option option = OPTIONS.stream()
                    .filter(o -> o.named(arg))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown option " + arg));
            option.setter.set(settings, option.argument == null ? null : value(args, ++i, arg));
        }
        return settings;
    }

    /** What the misbehaviour options ask for, one line each, for the start-up message. */
    private static List<String> misbehaviour(Settings settings) {
        List<String> lines = new ArrayList<>();
        if (settings.expireAfterLines != null) {
            lines.add("batches of more than " + settings.expireAfterLines + " requests expire after "
                    + settings.expireAfterLines);
        }
        if (settings.expiringBatches != null) {
            lines.add("only the first " + settings.expiringBatches + " such batches expire part-way");
        }
        if (settings.queueCapacity != null) {
            lines.add("a queue capacity of " + settings.queueCapacity + " requests per API key");
        }
        if (settings.refuseWhenQueueFull) {
            lines.add("a create finding its queue full is answered 429");
        }
        if (settings.ignoreIdempotencyKeys) {
            lines.add("Idempotency-Key ignored");
        }
        settings.dropAnswers.forEach((operation, numbers) -> numbers.forEach(n -> lines.add("the answer to "
                + operation.name().toLowerCase(Locale.ROOT) + ":" + n + " dropped after acting on it")));
        return lines;
    }

    /** Parses {@code OPERATION:N} of {@code --drop-answer} into the set of request numbers per operation. */
    private static void addDropAnswer(Map<SandboxOperation, SortedSet<Integer>> dropAnswers, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--drop-answer needs OPERATION:N (e.g. create:1), got " + value);
        }
        String name = value.substring(0, colon).trim().toUpperCase(Locale.ROOT).replace('-', '_');
        SandboxOperation operation = null;
        for (SandboxOperation each : SandboxOperation.values()) {
            if (each.name().equals(name)) {
                operation = each;
            }
        }
        if (operation == null) {
            throw new IllegalArgumentException("--drop-answer: unknown operation " + value.substring(0, colon)
                    + "; one of " + Arrays.toString(SandboxOperation.values()).toLowerCase(Locale.ROOT));
        }
        int n = atLeast("--drop-answer N", value.substring(colon + 1), 1);
        dropAnswers.computeIfAbsent(operation, op -> new TreeSet<>()).add(n);
    }

    /**
     * Injects one {@link FaultSpec#dropAnswer()} per request number. Faults of one operation are
     * served in turn, each skipping from where the previous one stopped, so {@code create:2} and
     * {@code create:5} drop the answers to the 2nd and the 5th create.
     */
    private static void injectDropAnswers(Mka1Sandbox sandbox, Map<SandboxOperation, SortedSet<Integer>> dropAnswers) {
        dropAnswers.forEach((operation, numbers) -> {
            int previous = 0;
            for (int n : numbers) {
                sandbox.injectFault(FaultSpec.dropAnswer().on(operation).skip(n - previous - 1));
                previous = n;
            }
        });
    }

    /** The BindException under what WireMock threw when Jetty could not listen, or null. */
    private static BindException bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BindException) {
                return (BindException) t;
            }
        }
        return null;
    }

    /** The sandbox could not listen on the address and port it was given. */
    static final class CannotListenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CannotListenException(String bindAddress, int port, BindException cause) {
            super(message(bindAddress, port, cause), cause);
        }

        private static String message(String bindAddress, int port, BindException cause) {
            String reason = cause.getMessage() == null ? "" : cause.getMessage();
            if (reason.toLowerCase(Locale.ROOT).contains("in use")) {
                return "port " + port + " is already in use; choose another with --port";
            }
            return "cannot listen on " + bindAddress + " port " + port + (reason.isEmpty() ? "" : " (" + reason + ")")
                    + "; choose another with --port or --bind-address";
        }
    }

    /** The one line printed after a bad option. */
    static String usage() {
        StringBuilder usage = new StringBuilder("usage: java -jar mka1-batches-sandbox-all.jar");
        for (Option option : OPTIONS) {
            usage.append(" [").append(option.name);
            if (option.argument != null) {
                usage.append(' ').append(option.argument);
            }
            usage.append(option.repeatable ? "]..." : "]");
        }
        return usage.toString();
    }

    /** What {@code --help} prints: the usage line, then every option with its default. */
    static String help() {
        StringBuilder help = new StringBuilder(usage())
                .append(System.lineSeparator())
                .append(System.lineSeparator())
                .append("Runs a stand-in for the MKA1 Batch API until killed.")
                .append(System.lineSeparator())
                .append(System.lineSeparator())
                .append("Options:")
                .append(System.lineSeparator());
        for (Option option : OPTIONS) {
            String text = option.description + " (" + (option.repeatable ? "repeatable; " : "") + "default: "
                    + option.defaultValue + ")";
            String synopsis = option.synopsis();
            help.append("  ").append(synopsis);
            boolean fits = 2 + synopsis.length() < HELP_INDENT;
            help.append(fits ? "" : System.lineSeparator())
                    .append(" ".repeat(fits ? HELP_INDENT - 2 - synopsis.length() : HELP_INDENT));
            int column = HELP_INDENT;
            for (String word : text.split(" ")) {
                if (column > HELP_INDENT && column + 1 + word.length() > HELP_WIDTH) {
                    help.append(System.lineSeparator()).append(" ".repeat(HELP_INDENT));
                    column = HELP_INDENT;
                } else if (column > HELP_INDENT) {
                    help.append(' ');
                    column++;
                }
                help.append(word);
                column += word.length();
            }
            help.append(System.lineSeparator());
        }
        return help.toString();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** An integer option of at least {@code min}. */
    private static int atLeast(String option, String value, int min) {
        int parsed = parseInt(option, value);
        if (parsed < min) {
            throw new IllegalArgumentException(option + " must be at least " + min + ", was " + parsed);
        }
        return parsed;
    }

    private static int parseInt(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs an integer, got " + value);
        }
    }

    private static String sampleLine(String customId, String prompt) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                + "\"body\":{\"model\":\"sandbox-model\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + prompt + "\"}]}}\n";
    }
}
