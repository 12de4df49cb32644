package com.mka1.batches.sandbox;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 */
public final class SandboxMain {
    static final int DEFAULT_PORT = 8080;

    static final String SAMPLE_INPUT =
            sampleLine("request-1", "Say hello.")
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
        Mka1Sandbox sandbox;
        try {
            sandbox = launch(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        if (sandbox == null) {
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
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
     */
    static Mka1Sandbox launch(String[] args, PrintStream out) {
        int port = DEFAULT_PORT;
        List<String> keys = new ArrayList<>();
        List<Path> inputFiles = new ArrayList<>();
        Duration step = Mka1Sandbox.DEFAULT_STEP;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help":
                case "-h":
                    out.println(usage());
                    return null;
                case "--port":
                    port = parseInt(arg, value(args, ++i, arg));
                    break;
                case "--api-key":
                    keys.add(value(args, ++i, arg));
                    break;
                case "--step-millis":
                    step = Duration.ofMillis(parseInt(arg, value(args, ++i, arg)));
                    break;
                case "--input-file":
                    inputFiles.add(Path.of(value(args, ++i, arg)));
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        Mka1Sandbox.Builder builder = Mka1Sandbox.builder().port(port).stepDuration(step);
        if (!keys.isEmpty()) {
            builder.apiKeys(keys.toArray(new String[0]));
        }
        Mka1Sandbox sandbox = builder.start();
        try {
            out.println("MKA1 Batch API sandbox listening on " + sandbox.baseUrl());
            out.println("API key: " + String.join(", ", sandbox.apiKeys()));
            out.println("Sample input file (3 chat completions): " + sandbox.registerInputFile(SAMPLE_INPUT));
            for (Path file : inputFiles) {
                out.println("Input file " + file + ": " + sandbox.registerInputFile(file));
            }
            out.println("Each lifecycle stage takes " + step.toMillis() + " ms. Stop with Ctrl-C.");
            out.flush();
            return sandbox;
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    static String usage() {
        return "usage: java -jar mka1-batches-sandbox-all.jar [--port N] [--api-key KEY]..."
                + " [--step-millis N] [--input-file PATH]...";
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
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
