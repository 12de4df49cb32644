package com.mka1.batches.endtoend;

import com.mka1.batches.CreateBatchParams;
import com.mka1.batches.FileService;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.jsonl.BatchInputWriter;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A program as a user of the library writes it, with nothing but the client's public API (this
 * package is not the sandbox's, so nothing else compiles here): write a JSONL input, upload it,
 * create a batch from the id the upload returned, wait for it, download its output and error
 * files. The end-to-end tests run it unchanged against the embedded sandbox and against a
 * standalone one in another process; only the client handed in differs.
 */
final class UploadCreateDownload {
    /** The three requests: two answered, one the sandbox fails ({@code "sandbox_fail": true} in its body). */
    static final Map<String, String> QUESTIONS = new LinkedHashMap<>();

    static {
        QUESTIONS.put("q1", "What is two plus two?");
        QUESTIONS.put("q2", "Name a colour.");
        QUESTIONS.put("q3-fails", "This one fails.");
    }

    /** What the program did. */
    static final class Outcome {
        final Path input;
        final FileObject uploaded;
        final BatchObject batch;
        final Path output;
        final Path errors;

        Outcome(Path input, FileObject uploaded, BatchObject batch, Path output, Path errors) {
            this.input = input;
            this.uploaded = uploaded;
            this.batch = batch;
            this.output = output;
            this.errors = errors;
        }
    }

    private UploadCreateDownload() {}

    static Outcome run(Mka1Client client, Path dir) {
        Path input = dir.resolve("requests.jsonl");
        try (BatchInputWriter writer = BatchInputWriter.create(input, BatchEndpoint.CHAT_COMPLETIONS)) {
            for (Map.Entry<String, String> question : QUESTIONS.entrySet()) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("model", "gpt-4o-mini");
                body.put("messages", Collections.singletonList(message(question.getValue())));
                if (question.getKey().endsWith("-fails")) {
                    body.put("sandbox_fail", true);
                }
                writer.write(question.getKey(), body);
            }
        }

        FileService files = client.llm().files();
        FileObject uploaded = files.upload(input, FilePurpose.BATCH);
        BatchObject created = client.llm()
                .batches()
                .create(CreateBatchParams.builder()
                        .inputFileId(uploaded.getId())
                        .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                        .build());
        BatchObject done = client.llm()
                .batches()
                .waitForCompletion(
                        created.getId(),
                        WaitOptions.builder()
                                .pollInterval(Duration.ofMillis(50))
                                .maxPollInterval(Duration.ofMillis(200))
                                .timeout(Duration.ofMinutes(1))
                                .build());

        Path output = done.getOutputFileId() == null
                ? null
                : files.download(done.getOutputFileId(), dir.resolve("output.jsonl"));
        Path errors = done.getErrorFileId() == null
                ? null
                : files.download(done.getErrorFileId(), dir.resolve("errors.jsonl"));
        return new Outcome(input, uploaded, done, output, errors);
    }

    private static Map<String, String> message(String content) {
        Map<String, String> message = new LinkedHashMap<>();
        message.put("role", "user");
        message.put("content", content);
        return message;
    }
}
