package com.mka1.batches.cli;

import com.mka1.batches.CreateBatchParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import picocli.CommandLine;

/**
 * Runs the tool in-process against an embedded sandbox on a fixed clock: the sleeper advances
 * that clock, so waiting takes no real time. Environment variables come from {@link #env};
 * stderr is not a terminal unless a test sets {@link #terminal}; relative paths start from
 * {@link #dir()}, a new empty directory for each test.
 *
 * <p>A JUnit extension, one per test class: {@code @RegisterExtension static final CliHarness cli
 * = new CliHarness();} resets it before each test, deletes the test's directory after it, and
 * stops the sandbox after the class.
 */
final class CliHarness implements BeforeEachCallback, AfterEachCallback, AfterAllCallback, AutoCloseable {
    static final String CHAT_LINE = "{\"custom_id\":\"%s\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
            + "\"body\":{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]%s}}\n";

    /** How {@code run} without {@code --work-dir} names the temporary directory it made (in java.io.tmpdir). */
    private static final Pattern TEMPORARY_WORK_DIR =
            Pattern.compile("the run's state is kept in (\\S*mka1-batch-run-\\d+)\\.");

    final SandboxClock clock = SandboxClock.fixed(Instant.parse("2024-01-01T00:00:00Z"));
    final Mka1Sandbox sandbox = Mka1Sandbox.builder().clock(clock).start();
    final Map<String, String> env = new HashMap<>();
    boolean terminal;
    private Path workingDirectory;
    /** The temporary work directories the tool made for runs without {@code --work-dir}, deleted after the test. */
    private final List<Path> temporaryWorkDirs = new CopyOnWriteArrayList<>();
    /** The sandboxes the tool started for {@code --sandbox} or {@code demo}, closed by then but still telling what they saw. */
    final List<Mka1Sandbox> started = new CopyOnWriteArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        sandbox.reset();
        terminal = false;
        workingDirectory = Files.createTempDirectory("mka1-cli-test-");
        started.clear();
        env.clear();
        env.put("MKA1_API_KEY", sandbox.apiKey());
        env.put("MKA1_BASE_URL", sandbox.baseUrl());
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        deleteTree(workingDirectory);
        for (Path dir : temporaryWorkDirs) {
            deleteTree(dir);
        }
        temporaryWorkDirs.clear();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(path);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** The test's working directory: empty at its start, where relative paths point. */
    Path dir() {
        return workingDirectory;
    }

    CliContext context() {
        return new CliContext(
                env::get,
                clock::advance,
                clock,
                () -> {
                    Mka1Sandbox started = Mka1Sandbox.builder().clock(clock).start();
                    this.started.add(started);
                    return started;
                },
                terminal,
                workingDirectory);
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Mka1BatchesCli.commandLine(context());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        Matcher temporaryWorkDir = TEMPORARY_WORK_DIR.matcher(err.toString());
        if (temporaryWorkDir.find()) {
            temporaryWorkDirs.add(Paths.get(temporaryWorkDir.group(1)));
        }
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** A file of {@code ok} good requests and {@code failing} ones the sandbox fails, in the sandbox; returns its id. */
    String inputFile(int ok, int failing) {
        return sandbox.registerInputFile(jsonl(ok, failing));
    }

    /** {@code ok} good chat requests ({@code ok-0}, ...) then {@code failing} ones the sandbox fails ({@code bad-0}, ...). */
    static String jsonl(int ok, int failing) {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < ok; i++) {
            jsonl.append(String.format(CHAT_LINE, "ok-" + i, ""));
        }
        for (int i = 0; i < failing; i++) {
            jsonl.append(String.format(CHAT_LINE, "bad-" + i, ",\"sandbox_fail\":true"));
        }
        return jsonl.toString();
    }

    /** Creates a batch directly through the library, for tests about the other commands. */
    BatchObject createBatch(String inputFileId) {
        try (Mka1Client client = client()) {
            return client.llm()
                    .batches()
                    .create(CreateBatchParams.builder()
                            .inputFileId(inputFileId)
                            .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                            .build());
        }
    }

    /** Uploads a file directly through the library, for tests about the other commands. */
    FileObject upload(byte[] content, String filename, FilePurpose purpose) {
        try (Mka1Client client = client()) {
            return client.llm().files().upload(content, filename, purpose);
        }
    }

    /** A client of the harness's sandbox, for setting up and checking what the tool did; close it. */
    Mka1Client client() {
        return Mka1Client.builder()
                .baseUrl(sandbox.baseUrl())
                .apiKey(sandbox.apiKey())
                .build();
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
