package com.mka1.batches.cli;

import com.mka1.batches.BatchResults;
import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.CreateBatchParams;
import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.errors.LocalFileException;
import com.mka1.batches.jsonl.BatchInputLine;
import com.mka1.batches.jsonl.BatchInputWriter;
import com.mka1.batches.jsonl.BatchResult;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import com.mka1.batches.sandbox.Mka1Sandbox;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * {@code demo}: a newcomer's first five minutes, narrated, against an embedded sandbox: write a
 * JSONL input, upload it, create a batch, wait for it, list, read the results, run the same input
 * as one job with {@code batches.run}, cancel a second batch. Every step is the client's call over HTTP, as against MKA1; the sandbox object is used
 * only to start it and to print where it listens.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "A guided tour against an embedded sandbox: no API key, a few seconds.",
            "Writes a JSONL input, uploads it, creates a batch, waits for it, lists batches, reads the results,"
                    + " runs the same input as one job (batches.run) and cancels a second batch, all through the"
                    + " client's HTTP calls.",
        })
final class DemoCommand extends BatchCommand {
    static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** custom_id → question; the last one asks the sandbox to fail it. */
    private static final Map<String, String> QUESTIONS = new LinkedHashMap<>();

    static {
        QUESTIONS.put("capital-of-france", "What is the capital of France?");
        QUESTIONS.put("haiku-about-batches", "Write a haiku about batch processing.");
        QUESTIONS.put("speed-of-light", "How fast is light in a vacuum?");
        QUESTIONS.put("deliberate-failure", "This request asks the sandbox to fail it.");
    }

    private static final String FAILING_ID = "deliberate-failure";

    private int step;

    @Override
    boolean usesSandbox() {
        return true;
    }

    @Override
    int run(Session session) {
        Mka1Sandbox sandbox = session.sandbox();
        PrintWriter out = out();
        out.println(
                "MKA1 Batches demo: upload an input, then create, watch, read and cancel batches against an embedded sandbox.");
        out.println("No API key needed; the same calls work against https://apigw.mka1.com with MKA1_API_KEY set.");

        heading("Started the sandbox");
        out.println("   " + sandbox.baseUrl() + " (API key " + sandbox.apiKey() + "); a batch moves one stage per "
                + DurationConverter.format(CliContext.SANDBOX_STEP) + " of sandbox time.");
        out.println(
                "   In your code: Mka1Client.builder().baseUrl(sandbox.baseUrl()).apiKey(sandbox.apiKey()).build()");

        heading("Wrote a JSONL input file with BatchInputWriter: " + QUESTIONS.size() + " chat-completion requests");
        Path inputFile = tempFile();
        List<BatchInputLine> inputs = writeInput(inputFile);
        out.println("   " + inputFile);
        for (BatchInputLine line : inputs) {
            out.println("   " + abbreviate(line.toJson(), 110));
        }
        out.println(
                "   The request '" + FAILING_ID + "' sets \"sandbox_fail\": true, so the sandbox fails it on purpose.");

        heading("Uploaded it: files.upload(path, FilePurpose.BATCH)");
        FileObject uploaded = session.files().upload(inputFile, FilePurpose.BATCH);
        String fileId = uploaded.getId();
        out.println("   " + fileId + ": " + uploaded.getFilename() + ", " + uploaded.getBytes() + " bytes, purpose "
                + uploaded.getPurpose().getValue() + " (its id is the batch's input_file_id)");

        heading("Created a batch: batches.create(...)");
        BatchObject batch = session.batches()
                .create(CreateBatchParams.builder()
                        .inputFileId(fileId)
                        .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                        .putMetadata("description", "mka1-batches demo")
                        .build());
        printer().print(batch);

        heading("Waited for it to finish: batches.waitForCompletion(id, options) (progress on stderr)");
        out.flush();
        batch = WaitCommand.waitWithProgress(session, batch.getId(), POLL_INTERVAL, TIMEOUT, progress());
        printer().print(batch);
        out.println("   The batch " + batch.getId() + " is " + batch.getStatus().getValue() + ": "
                + BatchPrinter.counts(batch.getRequestCounts()) + ".");

        heading("Listed batches, newest first: batches.list(params)");
        List<BatchObject> listed = session.batches()
                .list(ListBatchesParams.builder().limit(10).build())
                .data();
        printer().print(listed, listed);

        heading("Read the results: batches.results(id) streams output_file_id " + batch.getOutputFileId()
                + ", then error_file_id " + batch.getErrorFileId() + ", matched to the inputs by custom_id");
        printResults(session, batch, inputs);

        heading("Ran the same input as one job: batches.run(params) checks every line, uploads, creates, waits,"
                + " downloads and joins each result to its request (progress on stderr)");
        runAsOneJob(session, inputFile);

        heading("Created a second batch and cancelled it: batches.cancel(id)");
        BatchObject second = session.batches()
                .create(CreateBatchParams.builder()
                        .inputFileId(fileId)
                        .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                        .putMetadata("description", "to be cancelled")
                        .build());
        BatchObject cancelling = session.batches().cancel(second.getId());
        out.println("   " + second.getId() + ": " + second.getStatus().getValue() + " -> "
                + cancelling.getStatus().getValue());
        BatchObject cancelled =
                WaitCommand.waitWithProgress(session, second.getId(), POLL_INTERVAL, TIMEOUT, progress());
        out.println("   " + second.getId() + ": " + cancelled.getStatus().getValue());

        heading("Done");
        out.println("   Next: 'mka1-batches --help', or export MKA1_API_KEY and run against MKA1:");
        out.println("   'mka1-batches run requests.jsonl --endpoint /v1/chat/completions --out results.jsonl',");
        out.println("   or step by step: 'files upload', 'create', 'wait', 'results'.");
        out.println("   The library calls above are in README.md.");
        out.flush();
        deleteQuietly(inputFile);
        return ExitCodes.OK;
    }

    private void heading(String title) {
        PrintWriter out = out();
        out.println();
        out.println(++step + ". " + title);
        out.flush();
    }

    private static List<BatchInputLine> writeInput(Path file) {
        List<BatchInputLine> lines = new ArrayList<>();
        try (BatchInputWriter input = BatchInputWriter.create(file, BatchEndpoint.CHAT_COMPLETIONS)) {
            for (Map.Entry<String, String> question : QUESTIONS.entrySet()) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("model", "gpt-4o-mini");
                body.put("messages", Collections.singletonList(message(question.getValue())));
                if (question.getKey().equals(FAILING_ID)) {
                    body.put("sandbox_fail", true);
                }
                lines.add(input.write(question.getKey(), body));
            }
        }
        return lines;
    }

    private static Map<String, String> message(String content) {
        Map<String, String> message = new LinkedHashMap<>();
        message.put("role", "user");
        message.put("content", content);
        return message;
    }

    private void printResults(Session session, BatchObject batch, List<BatchInputLine> inputs) {
        Map<String, BatchResult> byCustomId = new LinkedHashMap<>();
        try (BatchResults streamed = session.batches().results(batch.getId())) {
            streamed.forEach(result -> byCustomId.putIfAbsent(result.customId(), result));
        }
        for (BatchInputLine input : inputs) {
            BatchResult result = byCustomId.get(input.customId());
            out().println("   " + input.customId() + ": " + question(input));
            out().println("      -> " + (result != null ? describe(result) : "(no result)"));
        }
    }

    /** {@code batches.run} over the input file in a temporary work directory, then every request's outcome. */
    private void runAsOneJob(Session session, Path inputFile) {
        Path workDir = tempDirectory();
        BatchRunResult run;
        try (ProgressDisplay progress = progress()) {
            run = session.batches()
                    .run(BatchRunParams.builder()
                            .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                            .inputFile(inputFile)
                            .workDir(workDir)
                            .waitOptions(WaitCommand.waitOptions(POLL_INTERVAL, TIMEOUT)
                                    .build())
                            .onProgress(progress::update)
                            .build());
        }
        out().println("   " + run.batchIds().size() + " batch " + run.batchIds() + "; " + run.total() + " requests: "
                + run.succeeded() + " succeeded, " + run.failed() + " failed, " + run.missing() + " missing");
        try (Stream<BatchRunResult.Outcome> outcomes = run.outcomes()) {
            outcomes.forEach(outcome -> out().println("   " + outcome.customId() + ": " + describe(outcome)));
        }
        out().println("   Each outcome is also a JSON line of results.jsonl in the run's work directory; after a crash,"
                + " batches.resumeRun(workDir) finishes the run without a second upload or batch.");
        deleteRecursively(workDir);
    }

    private static String describe(BatchRunResult.Outcome outcome) {
        return outcome.kind() == BatchRunResult.Outcome.Kind.MISSING
                ? "MISSING: " + outcome.reason()
                : describe(outcome.result());
    }

    private static String question(BatchInputLine input) {
        return input.body()
                .getAsJsonArray("messages")
                .get(0)
                .getAsJsonObject()
                .get("content")
                .getAsString();
    }

    private static String describe(BatchResult result) {
        if (!result.isSuccess()) {
            return "FAILED " + result.errorCode() + ": " + result.errorMessage();
        }
        String answer = result.body()
                .getAsJsonArray("choices")
                .get(0)
                .getAsJsonObject()
                .getAsJsonObject("message")
                .get("content")
                .getAsString();
        return result.statusCode() + " " + answer;
    }

    private static Path tempFile() {
        try {
            return Files.createTempFile("mka1-demo-input-", ".jsonl");
        } catch (IOException e) {
            throw new LocalFileException(LocalFileException.Operation.CREATE, tmpdir(), "the demo's input file in", e);
        }
    }

    private static Path tempDirectory() {
        try {
            return Files.createTempDirectory("mka1-demo-run-");
        } catch (IOException e) {
            throw new LocalFileException(
                    LocalFileException.Operation.CREATE, tmpdir(), "the demo's work directory in", e);
        }
    }

    private static Path tmpdir() {
        return Paths.get(System.getProperty("java.io.tmpdir"));
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(DemoCommand::deleteQuietly);
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover temp directory is harmless
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
