package com.mka1.batches.cli;

import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.CreateBatchParams;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.errors.InvalidBatchInputException;
import com.mka1.batches.errors.LocalFileException;
import com.mka1.batches.jsonl.ValidationReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code run}: a whole job, the library's {@code batches().run(...)}: checks a JSONL input, splits
 * it into batches, uploads and creates each, waits for all with one progress display, and writes
 * one result line per request; {@code run --resume DIR} finishes a run that stopped.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run a JSONL input file as one job: check every line, split it into batches (--max-requests-per-batch,"
                    + " --max-bytes-per-batch), upload and create each, wait for all of them (progress on stderr),"
                    + " download their output and error files and write one JSON line per request, in input order.",
            "Each line: {\"custom_id\", \"outcome\": \"succeeded\", \"failed\" or \"missing\", \"batch_id\", then the"
                    + " result's \"response\" {\"status_code\", \"request_id\", \"body\"} and/or \"error\" {\"code\","
                    + " \"message\"}, or for a request that never ran a \"reason\"}.",
            "The lines go to --out or stdout, written whether or not every request succeeded (--output does not change"
                    + " their format); the counts go to stderr."
                    + " Exits 0 if every request succeeded, 5 if any failed or is missing, 2 if the input has problems"
                    + " (each listed with its line; nothing is uploaded then).",
            "The work directory keeps the run's state: once the input is checked and split (the tool then prints the"
                    + " command), if the command stops (Ctrl-C, a network failure), 'run --resume DIR' finishes it without"
                    + " uploading or creating anything twice. A run stopped before that sent nothing: start it again.",
        })
final class RunCommand extends BatchCommand {
    /** The work directory's state file, as {@code BatchService.run} names it. */
    static final String MANIFEST = "manifest.json";
    /** How many of an input's problems the tool prints; the count says how many more there are. */
    static final int PROBLEMS_SHOWN = 20;

    @Parameters(
            paramLabel = "INPUT",
            arity = "0..1",
            description = "The JSONL input: one request per line (custom_id, method POST, url = --endpoint, body).")
    Path input;

    @Option(
            names = "--endpoint",
            paramLabel = "PATH",
            description =
                    "/v1/chat/completions, /v1/embeddings, /v1/images/generations, ...: every line's url. Required"
                            + " with INPUT.")
    String endpoint;

    @Option(
            names = "--resume",
            paramLabel = "DIR",
            description = "Finish the run kept in this work directory instead of starting one (no INPUT then).")
    Path resume;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "Where the run keeps its state, input parts and downloaded results (default: a new temporary"
                    + " directory, printed at the start). It must not hold another run.")
    Path workDir;

    @Option(
            names = "--out",
            paramLabel = "PATH",
            description = "Write the result lines to this file (complete or not at all) instead of stdout.")
    Path out;

    @Option(names = "--force", description = "Replace an existing --out file.")
    boolean force;

    @Option(
            names = "--max-requests-per-batch",
            paramLabel = "N",
            description =
                    "The most requests in one batch (default: " + BatchRunParams.DEFAULT_MAX_REQUESTS_PER_BATCH + ").")
    Integer maxRequestsPerBatch;

    @Option(
            names = "--max-bytes-per-batch",
            paramLabel = "BYTES",
            description = "The largest JSONL input of one batch, in bytes (default: "
                    + BatchRunParams.DEFAULT_MAX_BYTES_PER_BATCH + ").")
    Long maxBytesPerBatch;

    @Option(
            names = "--max-attempts",
            paramLabel = "N",
            description = "Send a request at most this many times (default: " + BatchRunParams.DEFAULT_MAX_ATTEMPTS
                    + "): a request its batch left unanswered when it expired, or answered with 408, 429, 5xx or a"
                    + " transient error code, goes into the next round's batches; 1 sends each request once.")
    Integer maxAttempts;

    @Option(
            names = "--completion-window",
            paramLabel = "WINDOW",
            defaultValue = CreateBatchParams.DEFAULT_COMPLETION_WINDOW,
            description = "Completion window of each batch (default: ${DEFAULT-VALUE}).")
    String completionWindow;

    @Option(
            names = "--metadata",
            paramLabel = "KEY=VALUE",
            converter = CreateCommand.MetadataConverter.class,
            description = "Metadata to attach to each batch; repeat for several pairs.")
    List<Map.Entry<String, String>> metadata = new ArrayList<>();

    @Option(
            names = "--poll-interval",
            paramLabel = "DURATION",
            defaultValue = "2s",
            converter = DurationConverter.class,
            description = "First wait between polls, growing to 30s (default: ${DEFAULT-VALUE}).")
    Duration pollInterval;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "25h",
            converter = DurationConverter.class,
            description = "Stop waiting after this long (default: ${DEFAULT-VALUE}); the run can be resumed later.")
    Duration timeout;

    @Option(
            names = "--outage-budget",
            paramLabel = "DURATION",
            defaultValue = "30m",
            converter = DurationConverter.OrZero.class,
            description = "Keep retrying a request that fails for want of an answer, a timeout, 408, 429 or 5xx for"
                    + " this long after the last one that succeeded (default: ${DEFAULT-VALUE}); 0s stops at the"
                    + " first such failure, and the run can be resumed later.")
    Duration outageBudget;

    private Path inputFile;
    /** Whether the resume hint was printed: once, when the run's manifest exists. */
    private boolean hinted;
    /** The run's work directory, resolved; for a new run without --work-dir, created in {@link #run}. */
    private Path dir;

    private Path target;

    @Override
    void validate() {
        if (resume != null) {
            List<String> extra = new ArrayList<>();
            addIf(extra, input != null, "INPUT");
            addIf(extra, endpoint != null, "--endpoint");
            addIf(extra, workDir != null, "--work-dir");
            addIf(extra, maxRequestsPerBatch != null, "--max-requests-per-batch");
            addIf(extra, maxBytesPerBatch != null, "--max-bytes-per-batch");
            addIf(extra, maxAttempts != null, "--max-attempts");
            addIf(extra, !metadata.isEmpty(), "--metadata");
            if (!extra.isEmpty()) {
                throw new CliUsageException(
                        "--resume continues a run as it was started: drop " + String.join(", ", extra));
            }
            dir = resolve(resume);
            if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
                throw new CliUsageException("--resume " + resume + " holds no run (no " + MANIFEST + " in it): a run"
                        + " stopped before its input was checked and split sent nothing; start it again with INPUT,"
                        + " --endpoint and --work-dir " + resume);
            }
        } else {
            if (input == null) {
                throw new CliUsageException("missing INPUT: give a JSONL input file, or --resume DIR to finish a run");
            }
            inputFile = ArgumentChecks.readableFile(input, resolve(input), "INPUT");
            if (endpoint == null) {
                throw new CliUsageException(
                        "missing --endpoint: the url of every line of INPUT, e.g. /v1/chat/completions");
            }
            ArgumentChecks.endpoint(endpoint, "--endpoint");
            ArgumentChecks.notBlank(completionWindow, "--completion-window");
            if (maxRequestsPerBatch != null && maxRequestsPerBatch < 1) {
                throw new CliUsageException("--max-requests-per-batch must be at least 1, was " + maxRequestsPerBatch);
            }
            if (maxBytesPerBatch != null && maxBytesPerBatch < 1) {
                throw new CliUsageException("--max-bytes-per-batch must be at least 1, was " + maxBytesPerBatch);
            }
            if (maxAttempts != null && maxAttempts < 1) {
                throw new CliUsageException("--max-attempts must be at least 1, was " + maxAttempts);
            }
            if (workDir != null) {
                dir = resolve(workDir);
                if (Files.exists(dir) && !Files.isDirectory(dir)) {
                    throw new CliUsageException("--work-dir " + workDir + " is not a directory");
                }
                if (Files.exists(dir.resolve(MANIFEST))) {
                    throw new CliUsageException("--work-dir " + workDir + " already holds a run: finish it with '"
                            + Mka1BatchesCli.NAME + " run --resume " + workDir + "', or choose another --work-dir");
                }
            }
        }
        if (out != null) {
            target = LocalFiles.writable(out.toString(), resolve(out), force, "--out");
        }
    }

    private static void addIf(List<String> names, boolean present, String name) {
        if (present) {
            names.add(name);
        }
    }

    @Override
    int run(Session session) {
        if (dir == null) {
            dir = newTemporaryDirectory();
        }
        String shownDir = resume != null ? resume.toString() : workDir != null ? workDir.toString() : dir.toString();
        if (resume != null) {
            err().println("Resuming the run in " + shownDir + ".");
        } else {
            err().println("Checking " + input + ", then uploading and creating its batches; the run's state is kept in "
                    + shownDir + ".");
        }
        err().flush();
        BatchRunResult result;
        try (ProgressDisplay progress = progress()) {
            // The run's first progress comes once its manifest is written: from then on it can be resumed.
            Consumer<BatchRunParams.Progress> onProgress = p -> {
                hintOnce(progress, shownDir);
                progress.update(p);
            };
            result = resume != null
                    ? session.batches().resumeRun(dir, waitOptions(), onProgress)
                    : session.batches().run(params(onProgress));
        } catch (InvalidBatchInputException e) {
            return reportProblems(e.report());
        } catch (RuntimeException e) {
            int exitCode = cli.reportFailure(e, err());
            if (!usesSandbox()) {
                err().println(
                                Files.isRegularFile(dir.resolve(MANIFEST))
                                        ? "The run's state is kept: finish it with '" + Mka1BatchesCli.NAME
                                                + " run --resume " + shownDir + "'."
                                        : "The run stopped before its input was checked and split: nothing was sent; start it again.");
                err().flush();
            }
            return exitCode;
        }
        writeResults(result);
        report(result, shownDir);
        return result.failed() == 0 && result.missing() == 0 ? ExitCodes.OK : ExitCodes.REQUESTS_FAILED;
    }

    private void hintOnce(ProgressDisplay progress, String shownDir) {
        if (!hinted && !usesSandbox()) {
            progress.note("If this stops, finish the run with: " + Mka1BatchesCli.NAME + " run --resume " + shownDir);
        }
        hinted = true;
    }

    private WaitOptions waitOptions() {
        return WaitCommand.waitOptions(pollInterval, timeout)
                .outageBudget(outageBudget)
                .build();
    }

    private BatchRunParams params(Consumer<BatchRunParams.Progress> onProgress) {
        BatchRunParams.Builder params = BatchRunParams.builder()
                .endpoint(endpoint)
                .inputFile(inputFile)
                .completionWindow(completionWindow)
                .metadata(CreateCommand.metadataMap(metadata))
                .waitOptions(waitOptions())
                .onProgress(onProgress)
                .workDir(dir);
        if (maxRequestsPerBatch != null) {
            params.maxRequestsPerBatch(maxRequestsPerBatch);
        }
        if (maxBytesPerBatch != null) {
            params.maxBytesPerBatch(maxBytesPerBatch);
        }
        if (maxAttempts != null) {
            params.maxAttempts(maxAttempts);
        }
        return params.build();
    }

    private static Path newTemporaryDirectory() {
        try {
            return Files.createTempDirectory("mka1-batch-run-");
        } catch (IOException e) {
            throw new LocalFileException(
                    LocalFileException.Operation.CREATE,
                    Paths.get(System.getProperty("java.io.tmpdir")),
                    "a temporary work directory in",
                    e);
        }
    }

    /** Every problem with its line (the first {@value #PROBLEMS_SHOWN}), then exit 2: nothing was sent. */
    private int reportProblems(ValidationReport report) {
        PrintWriter err = err();
        List<ValidationReport.Problem> problems = report.problems();
        err.println(Mka1BatchesCli.NAME + ": " + input + " has " + problems.size()
                + (problems.size() == 1 ? " problem" : " problems") + "; nothing was uploaded:");
        for (int i = 0; i < Math.min(PROBLEMS_SHOWN, problems.size()); i++) {
            err.println("  " + problems.get(i));
        }
        if (problems.size() > PROBLEMS_SHOWN) {
            err.println("  ... and " + (problems.size() - PROBLEMS_SHOWN) + " more");
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    /** The run's {@code results.jsonl}, to --out (whole or not at all) or stdout. */
    private void writeResults(BatchRunResult result) {
        Path results = result.resultsFile();
        if (target != null) {
            LocalFiles.writeWhole(target, out.toString(), stream -> Files.copy(results, stream));
            return;
        }
        try (BufferedReader lines = Files.newBufferedReader(results, StandardCharsets.UTF_8)) {
            PrintWriter stdout = out();
            char[] buffer = new char[8192];
            for (int n; (n = lines.read(buffer)) >= 0; ) {
                stdout.write(buffer, 0, n);
            }
            stdout.flush();
        } catch (IOException e) {
            throw new LocalFileException(LocalFileException.Operation.READ, results, "the run's results", e);
        }
    }

    /** E.g. {@code Run finished: 2 batches, 5 requests: 3 succeeded, 1 failed, 1 missing; written to results.jsonl.} */
    private void report(BatchRunResult result, String shownDir) {
        PrintWriter err = err();
        err.println(
                "Run finished: " + result.batchIds().size() + (result.batchIds().size() == 1 ? " batch" : " batches")
                        + " (" + String.join(", ", result.batchIds()) + "), " + result.total() + " requests: "
                        + result.succeeded()
                        + " succeeded, " + result.failed() + " failed, " + result.missing() + " missing"
                        + (target == null ? "." : "; written to " + out + "."));
        if (result.unmatchedResults() > 0) {
            err.println(result.unmatchedResults() + " result lines answer no request: see "
                    + result.unmatchedResultsFile());
        }
        err.println("Its work directory " + shownDir + " keeps the parts and downloaded files; delete it when done.");
        err.flush();
    }
}
