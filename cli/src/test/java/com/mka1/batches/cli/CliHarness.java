package com.mka1.batches.cli;

import com.mka1.batches.CreateBatchParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs the tool in-process against an embedded sandbox on a fixed clock: the sleeper advances
 * that clock, so waiting takes no real time. Environment variables come from {@link #env};
 * stderr is not a terminal unless a test sets {@link #terminal}.
 */
final class CliHarness implements AutoCloseable {
    static final String CHAT_LINE = "{\"custom_id\":\"%s\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
            + "\"body\":{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]%s}}\n";

    final SandboxClock clock = SandboxClock.fixed(Instant.parse("2024-01-01T00:00:00Z"));
    final Mka1Sandbox sandbox = Mka1Sandbox.builder().clock(clock).start();
    final Map<String, String> env = new HashMap<>();
    boolean terminal;

    CliHarness() {
        reset();
    }

    /** Forgets every batch and file, and points the environment at the sandbox again. */
    void reset() {
        sandbox.reset();
        terminal = false;
        env.clear();
        env.put("MKA1_API_KEY", sandbox.apiKey());
        env.put("MKA1_BASE_URL", sandbox.baseUrl());
    }

    CliContext context() {
        return new CliContext(env::get, clock::advance, clock, () -> Mka1Sandbox.builder().clock(clock).start(),
                terminal);
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Mka1BatchesCli.commandLine(context());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** A file of {@code ok} good requests and {@code failing} ones the sandbox fails. */
    String inputFile(int ok, int failing) {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < ok; i++) {
            jsonl.append(String.format(CHAT_LINE, "ok-" + i, ""));
        }
        for (int i = 0; i < failing; i++) {
            jsonl.append(String.format(CHAT_LINE, "bad-" + i, ",\"sandbox_fail\":true"));
        }
        return sandbox.registerInputFile(jsonl.toString());
    }

    /** Creates a batch directly through the library, for tests about the other commands. */
    BatchObject createBatch(String inputFileId) {
        try (Mka1Client client = Mka1Client.builder().baseUrl(sandbox.baseUrl()).apiKey(sandbox.apiKey()).build()) {
            return client.llm().batches().create(CreateBatchParams.builder()
                    .inputFileId(inputFileId)
                    .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                    .build());
        }
    }

    @Override
    public void close() {
        sandbox.close();
    }

    /** What a run printed, and its exit code. */
    static final class Result {
        final int exitCode;
        final String out;
        final String err;

        Result(int exitCode, String out, String err) {
            this.exitCode = exitCode;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
