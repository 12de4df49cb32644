package com.mka1.batches.sandbox;

import java.io.PrintStream;
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

/**
 * Runs a {@link Mka1Sandbox} as a standalone server until the process is killed.
 *
 * <pre>{@code
 * java -jar mka1-batches-sandbox-<version>-all.jar --port 8080 --api-key sk-dev
 * }</pre>
 *
 * <p>Options: {@code --port N} (default 8080; 0 picks a free port), {@code --api-key KEY}
 * (repeatable; default {@value Mka1Sandbox#DEFAULT_API_KEY}), {@code --step-millis N} (time a
 * batch spends in each stage, default 2000), {@code --input-file PATH} (repeatable: registers a
 * JSONL file under the first key and prints its id). A three-line chat-completions sample file is
 * always registered. Clients upload and download files through the API's own files endpoints
 * ({@code /api/v1/llm/files}).
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
 * 2 for a bad option (followed by the usage line), 1 when the port cannot be had.
 */
public final class SandboxMain {
    static final String NAME = "mka1-sandbox";
    static final int DEFAULT_PORT = 8080;
    static final int EXIT_CANNOT_LISTEN = 1;
    static final int EXIT_USAGE = 2;

    static final String SAMPLE_INPUT = sampleLine("request-1", "Say hello.")
            + sampleLine("request-2", "Name a colour.")
            + sampleLine("request-3", "Count to three.");

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
        } catch (CannotListenException e) {
            err.println(NAME + ": " + e.getMessage());
            return EXIT_CANNOT_LISTEN;
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
     */
    static Mka1Sandbox launch(String[] args, PrintStream out) {
        int port = DEFAULT_PORT;
        List<String> keys = new ArrayList<>();
        List<Path> inputFiles = new ArrayList<>();
        Duration step = Mka1Sandbox.DEFAULT_STEP;
        Mka1Sandbox.Builder builder = Mka1Sandbox.builder();
        List<String> misbehaviour = new ArrayList<>();
        Map<SandboxOperation, SortedSet<Integer>> dropAnswers = new EnumMap<>(SandboxOperation.class);
        boolean expiring = false;
        boolean expiringBatches = false;
        boolean capacity = false;
        boolean refuseWhenQueueFull = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help":
                case "-h":
                    out.println(usage());
                    return null;
                case "--port":
                    port = parseInt(arg, value(args, ++i, arg));
                    if (port < 0 || port > 65535) {
                        throw new IllegalArgumentException("--port must be between 0 and 65535, was " + port);
                    }
                    break;
                case "--api-key":
                    String key = value(args, ++i, arg);
                    if (key.trim().isEmpty()) {
                        throw new IllegalArgumentException("--api-key must not be blank");
                    }
                    keys.add(key);
                    break;
                case "--step-millis":
                    int millis = parseInt(arg, value(args, ++i, arg));
                    if (millis <= 0) {
                        throw new IllegalArgumentException("--step-millis must be positive, was " + millis);
                    }
                    step = Duration.ofMillis(millis);
                    break;
                case "--input-file":
                    Path file = Path.of(value(args, ++i, arg));
                    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                        throw new IllegalArgumentException("--input-file " + file + " is not a readable file");
                    }
                    inputFiles.add(file);
                    break;
                case "--expire-after-lines":
                    int lines = atLeast(arg, value(args, ++i, arg), 0);
                    builder.expireAfterLines(lines);
                    expiring = true;
                    misbehaviour.add("batches of more than " + lines + " requests expire after " + lines);
                    break;
                case "--expiring-batches":
                    int batches = atLeast(arg, value(args, ++i, arg), 1);
                    builder.expiringBatches(batches);
                    expiringBatches = true;
                    misbehaviour.add("only the first " + batches + " such batches expire part-way");
                    break;
                case "--queue-capacity":
                    int requests = atLeast(arg, value(args, ++i, arg), 1);
                    builder.queueCapacity(requests);
                    capacity = true;
                    misbehaviour.add("a queue capacity of " + requests + " requests per API key");
                    break;
                case "--refuse-when-queue-full":
                    builder.refuseWhenQueueFull(true);
                    refuseWhenQueueFull = true;
                    misbehaviour.add("a create finding its queue full is answered 429");
                    break;
                case "--ignore-idempotency-keys":
                    builder.ignoreIdempotencyKeys(true);
                    misbehaviour.add("Idempotency-Key ignored");
                    break;
                case "--drop-answer":
                    String drop = value(args, ++i, arg);
                    addDropAnswer(dropAnswers, drop);
                    misbehaviour.add("the answer to " + drop + " dropped after acting on it");
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (expiringBatches && !expiring) {
            throw new IllegalArgumentException("--expiring-batches needs --expire-after-lines");
        }
        if (refuseWhenQueueFull && !capacity) {
            throw new IllegalArgumentException("--refuse-when-queue-full needs --queue-capacity");
        }
        builder.port(port).stepDuration(step);
        if (!keys.isEmpty()) {
            builder.apiKeys(keys.toArray(new String[0]));
        }
        Mka1Sandbox sandbox;
        try {
            sandbox = builder.start();
        } catch (RuntimeException e) {
            BindException bind = bindFailure(e);
            if (bind == null) {
                throw e;
            }
            throw new CannotListenException(port, bind);
        }
        try {
            out.println("MKA1 Batch API sandbox listening on " + sandbox.baseUrl());
            out.println("API key: " + String.join(", ", sandbox.apiKeys()));
            out.println("Sample input file (3 chat completions): " + sandbox.registerInputFile(SAMPLE_INPUT));
            for (Path file : inputFiles) {
                out.println("Input file " + file + ": " + sandbox.registerInputFile(file));
            }
            injectDropAnswers(sandbox, dropAnswers);
            for (String each : misbehaviour) {
                out.println("Misbehaving: " + each + ".");
            }
            out.println("Each lifecycle stage takes " + step.toMillis() + " ms. Stop with Ctrl-C.");
            out.flush();
            return sandbox;
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
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

    /** The sandbox could not listen on the port it was given. */
    static final class CannotListenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CannotListenException(int port, BindException cause) {
            super(message(port, cause), cause);
        }

        private static String message(int port, BindException cause) {
            String reason = cause.getMessage() == null ? "" : cause.getMessage();
            if (reason.toLowerCase(Locale.ROOT).contains("in use")) {
                return "port " + port + " is already in use; choose another with --port";
            }
            return "cannot listen on port " + port + (reason.isEmpty() ? "" : " (" + reason + ")")
                    + "; choose another with --port";
        }
    }

    static String usage() {
        return "usage: java -jar mka1-batches-sandbox-all.jar [--port N] [--api-key KEY]..."
                + " [--step-millis N] [--input-file PATH]... [--expire-after-lines N] [--expiring-batches N]"
                + " [--queue-capacity N] [--refuse-when-queue-full] [--ignore-idempotency-keys]"
                + " [--drop-answer OPERATION:N]...";
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
