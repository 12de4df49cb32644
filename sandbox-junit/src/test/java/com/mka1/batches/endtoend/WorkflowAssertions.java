package com.mka1.batches.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.jsonl.BatchResult;
import com.mka1.batches.jsonl.BatchResultsReader;
import com.mka1.batches.models.BatchStatus;
import com.mka1.batches.models.FilePurpose;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What every run of {@link UploadCreateDownload} must have done, whichever sandbox it ran against. */
final class WorkflowAssertions {
    private WorkflowAssertions() {}

    static void assertWorkflowRan(UploadCreateDownload.Outcome outcome, Path dir) throws IOException {
        assertThat(outcome.uploaded.getId()).startsWith("file");
        assertThat(outcome.uploaded.getFilename()).isEqualTo("requests.jsonl");
        assertThat(outcome.uploaded.getPurpose()).isEqualTo(FilePurpose.BATCH);
        assertThat(outcome.uploaded.getBytes()).isEqualTo(Files.size(outcome.input));

        assertThat(outcome.batch.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(outcome.batch.getInputFileId())
                .as("the batch ran the uploaded file")
                .isEqualTo(outcome.uploaded.getId());
        assertThat(outcome.batch.getRequestCounts().getTotal()).isEqualTo(3);
        assertThat(outcome.batch.getRequestCounts().getCompleted()).isEqualTo(2);
        assertThat(outcome.batch.getRequestCounts().getFailed()).isEqualTo(1);

        assertThat(outcome.output).isEqualTo(dir.resolve("output.jsonl"));
        List<BatchResult> answered = read(outcome.output);
        assertThat(answered).extracting(BatchResult::customId).containsExactlyInAnyOrder("q1", "q2");
        for (BatchResult result : answered) {
            assertThat(result.isSuccess()).isTrue();
            assertThat(result.statusCode()).isEqualTo(200);
            String reply = result.body()
                    .getAsJsonArray("choices")
                    .get(0)
                    .getAsJsonObject()
                    .getAsJsonObject("message")
                    .get("content")
                    .getAsString();
            assertThat(reply).isEqualTo("Sandbox reply to: " + UploadCreateDownload.QUESTIONS.get(result.customId()));
        }

        assertThat(outcome.errors).isEqualTo(dir.resolve("errors.jsonl"));
        List<BatchResult> failed = read(outcome.errors);
        assertThat(failed).singleElement().satisfies(result -> {
            assertThat(result.customId()).isEqualTo("q3-fails");
            assertThat(result.isSuccess()).isFalse();
            assertThat(result.errorCode()).isEqualTo("processing_error");
        });

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString()).collect(Collectors.toList()))
                    .as("the downloads left no temporary file behind")
                    .containsExactlyInAnyOrder("requests.jsonl", "output.jsonl", "errors.jsonl");
        }
    }

    private static List<BatchResult> read(Path file) {
        List<BatchResult> results = new ArrayList<>();
        try (BatchResultsReader reader = BatchResultsReader.open(file)) {
            reader.forEach(results::add);
        }
        return results;
    }
}
