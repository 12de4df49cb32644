package com.mka1.batches.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.mka1.batches.CreateBatchParams;
import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.sandbox.Mka1Sandbox;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code demo}: a newcomer's first five minutes, narrated, against an embedded sandbox: write a
 * JSONL input, create a batch, wait for it, list, read the results, cancel a second batch.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "A guided tour against an embedded sandbox (no API key, a few seconds): write a JSONL input,",
            "create a batch, wait for it, list batches, read the results, and cancel a second batch.",
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
        out.println("MKA1 Batches demo: create, watch, read and cancel batches against an embedded sandbox.");
        out.println("No API key needed; the same calls work against https://apigw.mka1.com with MKA1_API_KEY set.");

        heading("Started the sandbox");
        out.println("   " + sandbox.baseUrl() + " (API key " + sandbox.apiKey() + "); a batch moves one stage per "
                + CliContext.SANDBOX_STEP.getSeconds() + "s of sandbox time.");
        out.println("   In your code: Mka1Client.builder().baseUrl(sandbox.baseUrl()).apiKey(sandbox.apiKey()).build()");

        heading("Wrote a JSONL input file with " + QUESTIONS.size() + " chat-completion requests");
        String jsonl = inputJsonl();
        Path inputFile = writeTempFile(jsonl);
        out.println("   " + inputFile);
        for (String line : jsonl.split("\n")) {
            out.println("   " + abbreviate(line, 110));
        }
        out.println("   The request '" + FAILING_ID + "' sets \"sandbox_fail\": true, so the sandbox fails it on purpose.");

        heading("Uploaded it (the sandbox stands in for MKA1's file upload)");
        String fileId = sandbox.registerInputFile(inputFile);
        out.println("   input_file_id = " + fileId);

        heading("Created a batch: batches.create(...)");
        BatchObject batch = session.batches().create(CreateBatchParams.builder()
                .inputFileId(fileId)
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .putMetadata("description", "mka1-batches demo")
                .build());
        printer().print(batch);

        heading("Waited for it to finish: batches.waitForCompletion(id, options) (progress bar on stderr)");
        out.flush();
        batch = WaitCommand.waitWithProgress(session, batch.getId(), POLL_INTERVAL, TIMEOUT, err());
        printer().print(batch);
        out.println("   The batch " + batch.getId() + " is " + batch.getStatus().getValue() + ": "
                + BatchPrinter.counts(batch.getRequestCounts()) + ".");

        heading("Listed batches, newest first: batches.list(params)");
        List<BatchObject> listed = session.batches().list(ListBatchesParams.builder().limit(10).build()).data();
        printer().print(listed, listed);

        heading("Read the results (output_file_id " + batch.getOutputFileId() + ", error_file_id "
                + batch.getErrorFileId() + "), joined to the inputs by custom_id");
        printResults(sandbox, batch);

        heading("Created a second batch and cancelled it: batches.cancel(id)");
        BatchObject second = session.batches().create(CreateBatchParams.builder()
                .inputFileId(fileId)
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .putMetadata("description", "to be cancelled")
                .build());
        BatchObject cancelling = session.batches().cancel(second.getId());
        out.println("   " + second.getId() + ": " + second.getStatus().getValue() + " -> "
                + cancelling.getStatus().getValue());
        BatchObject cancelled = WaitCommand.waitWithProgress(session, second.getId(), POLL_INTERVAL, TIMEOUT, err());
        out.println("   " + second.getId() + ": " + cancelled.getStatus().getValue());

        heading("Done");
        out.println("   Next: 'mka1-batches --help', 'mka1-batches --sandbox list', or export MKA1_API_KEY and");
        out.println("   run 'mka1-batches list' against MKA1. The library calls above are in README.md.");
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

    private static String inputJsonl() {
        StringBuilder jsonl = new StringBuilder();
        for (Map.Entry<String, String> question : QUESTIONS.entrySet()) {
            JsonObject message = new JsonObject();
            message.addProperty("role", "user");
            message.addProperty("content", question.getValue());
            com.google.gson.JsonArray messages = new com.google.gson.JsonArray();
            messages.add(message);
            JsonObject body = new JsonObject();
            body.addProperty("model", "gpt-4o-mini");
            body.add("messages", messages);
            if (question.getKey().equals(FAILING_ID)) {
                body.addProperty("sandbox_fail", true);
            }
            JsonObject line = new JsonObject();
            line.addProperty("custom_id", question.getKey());
            line.addProperty("method", "POST");
            line.addProperty("url", BatchEndpoint.CHAT_COMPLETIONS.getValue());
            line.add("body", body);
            jsonl.append(line).append('\n');
        }
        return jsonl.toString();
    }

    private void printResults(Mka1Sandbox sandbox, BatchObject batch) {
        Map<String, String> answers = new LinkedHashMap<>();
        for (String fileId : new String[] {batch.getOutputFileId(), batch.getErrorFileId()}) {
            if (fileId == null) {
                continue;
            }
            for (String line : sandbox.fileContent(fileId).orElse("").split("\n")) {
                if (line.trim().isEmpty()) {
                    continue;
                }
                JsonObject result = JsonParser.parseString(line).getAsJsonObject();
                answers.put(result.get("custom_id").getAsString(), describe(result));
            }
        }
        for (Map.Entry<String, String> question : QUESTIONS.entrySet()) {
            out().println("   " + question.getKey() + ": " + question.getValue());
            out().println("      -> " + answers.getOrDefault(question.getKey(), "(no result)"));
        }
    }

    private static String describe(JsonObject result) {
        JsonElement error = result.get("error");
        if (error != null && error.isJsonObject()) {
            JsonObject e = error.getAsJsonObject();
            return "FAILED " + e.get("code").getAsString() + ": " + e.get("message").getAsString();
        }
        JsonObject response = result.getAsJsonObject("response");
        String content = response.getAsJsonObject("body").getAsJsonArray("choices").get(0).getAsJsonObject()
                .getAsJsonObject("message").get("content").getAsString();
        return response.get("status_code").getAsInt() + " " + content;
    }

    private static Path writeTempFile(String content) {
        try {
            Path file = Files.createTempFile("mka1-demo-input-", ".jsonl");
            Files.write(file, content.getBytes(StandardCharsets.UTF_8));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the demo's input file: " + e.getMessage(), e);
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
