package com.mka1.batches.endtoend;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sandbox as its own process, reached only over HTTP: {@code java -jar <the -all jar>}, or
 * {@code java -cp <test classpath> SandboxMain} where the jar is not built yet. It is ready once
 * it prints its URL (read from its output as it comes, no polling); closing it stops the process
 * (SIGTERM, which its shutdown hook answers by closing the server; killed if still there after
 * 30 s).
 */
final class StandaloneSandbox implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final String MAIN = "com.mka1.batches.sandbox.SandboxMain";

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final String baseUrl;

    /** Starts {@code java -jar jar args...}. */
    static StandaloneSandbox fromJar(Path jar, String... args) {
        List<String> command = new ArrayList<>(Arrays.asList(java(), "-jar", jar.toString()));
        command.addAll(Arrays.asList(args));
        return new StandaloneSandbox(command);
    }

    /** Starts {@code java -cp <this JVM's class path> SandboxMain args...}. */
    static StandaloneSandbox fromClassPath(String... args) {
        List<String> command =
                new ArrayList<>(Arrays.asList(java(), "-cp", System.getProperty("java.class.path"), MAIN));
        command.addAll(Arrays.asList(args));
        return new StandaloneSandbox(command);
    }

    private StandaloneSandbox(List<String> command) {
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> read(listening), "standalone-sandbox-output");
        reader.setDaemon(true);
        reader.start();
        try {
            baseUrl = listening.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while the sandbox started", e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException("the standalone sandbox did not start: " + output(), e);
        }
    }

    /** Reads the process's output to its end, so the process never blocks on a full pipe. */
    private void read(CompletableFuture<String> listening) {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                }
                Matcher url = LISTENING.matcher(line);
                if (url.find()) {
                    listening.complete(url.group(1));
                }
            }
            listening.completeExceptionally(new IllegalStateException("the process ended"));
        } catch (IOException e) {
            listening.completeExceptionally(e);
        }
    }

    String baseUrl() {
        return baseUrl;
    }

    /** What the process printed so far. */
    List<String> output() {
        synchronized (output) {
            return new ArrayList<>(output);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Ends the process at once (SIGKILL): no shutdown hook runs, as in a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }
}
