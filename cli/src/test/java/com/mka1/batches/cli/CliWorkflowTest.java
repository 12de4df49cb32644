package com.mka1.batches.cli;

import static com.mka1.batches.cli.BatchCommandsTest.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import com.mka1.batches.models.ListFilesResponse;
import com.mka1.batches.sandbox.SandboxOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole way through the tool, as a user against MKA1 would go (here the embedded sandbox, over
 * HTTP, with credentials from the environment): upload, create from a local file, wait, download
 * the output and error files, read the results.
 */
class CliWorkflowTest {
    @RegisterExtension
    static final CliHarness cli = new CliHarness();

    @Test
    void uploadCreateWaitDownloadAndReadTheResults() throws IOException {
        String jsonl = String.format(CliHarness.CHAT_LINE, "ok-1", "")
                + String.format(CliHarness.CHAT_LINE, "ok-2", "")
                + String.format(CliHarness.CHAT_LINE, "bad-1", ",\"sandbox_fail\":true");
        Files.write(cli.dir().resolve("requests.jsonl"), jsonl.getBytes(StandardCharsets.UTF_8));

        // files upload: the id on stdout
        CliHarness.Result upload = cli.run("files", "upload", "requests.jsonl");
        assertThat(upload.exitCode).as(upload.toString()).isZero();
        String uploadedId = upload.out.trim();

        // create --input-file: uploads the file again and creates the batch from that upload
        CliHarness.Result create = cli.run("create", "--input-file", "requests.jsonl", "-o", "json");
        assertThat(create.exitCode).as(create.toString()).isZero();
        BatchObject created = BatchPrinter.GSON.fromJson(create.out, BatchObject.class);
        assertThat(create.err)
                .contains(
                        "Uploaded requests.jsonl (" + jsonl.length() + " bytes) as " + created.getInputFileId() + ".");
        assertThat(created.getInputFileId()).isNotEqualTo(uploadedId);
        assertThat(cli.sandbox.requestCount(SandboxOperation.UPLOAD_FILE)).isEqualTo(2);

        ListFilesResponse inputs = BatchPrinter.GSON.fromJson(
                cli.run("files", "list", "--purpose", "batch", "-o", "json").out, ListFilesResponse.class);
        assertThat(inputs.getData())
                .extracting(FileObject::getId)
                .containsExactly(created.getInputFileId(), uploadedId);

        // wait: the batch completed (exit 0, though one request failed) and names both its files
        CliHarness.Result waited = cli.run("wait", created.getId(), "--poll-interval", "1s");
        assertThat(waited.exitCode).as(waited.toString()).isZero();
        String outputId = lines(waited.out).get(2).substring("output_file_id: ".length());
        String errorId = lines(waited.out).get(3).substring("error_file_id:  ".length());

        // files download: the output file under its own name, the error file where we say
        CliHarness.Result output = cli.run("files", "download", outputId);
        CliHarness.Result errors = cli.run("files", "download", errorId, "--out", "errors.jsonl");
        assertThat(output.exitCode).as(output.toString()).isZero();
        assertThat(errors.exitCode).as(errors.toString()).isZero();
        Path outputFile = cli.dir().resolve(created.getId() + "_output.jsonl");
        assertThat(output.out.trim()).isEqualTo(outputFile.toString());
        assertThat(Files.readAllLines(outputFile)).hasSize(2).allMatch(line -> line.contains("\"status_code\":200"));
        assertThat(Files.readAllLines(cli.dir().resolve("errors.jsonl")))
                .singleElement()
                .asString()
                .contains("\"custom_id\":\"bad-1\"")
                .contains("processing_error");

        // results: one line per request, exit 5 for the failed one
        CliHarness.Result results = cli.run("results", created.getId(), "--out", "results.jsonl");
        assertThat(results.exitCode).as(results.toString()).isEqualTo(5);
        Map<String, JsonObject> byId = ResultsCommandTest.byCustomId(
                new String(Files.readAllBytes(cli.dir().resolve("results.jsonl")), StandardCharsets.UTF_8));
        assertThat(byId.entrySet().stream()
                        .collect(Collectors.toMap(
                                Map.Entry::getKey,
                                e -> e.getValue().get("outcome").getAsString())))
                .containsOnly(
                        Map.entry("ok-1", "succeeded"), Map.entry("ok-2", "succeeded"), Map.entry("bad-1", "failed"));

        // the batch's own files are batch-purpose files of the caller too
        FileObject outputObject =
                BatchPrinter.GSON.fromJson(cli.run("files", "get", outputId, "-o", "json").out, FileObject.class);
        assertThat(outputObject.getPurpose()).isEqualTo(FilePurpose.BATCH);
        assertThat(outputObject.getBytes()).isEqualTo(Files.size(outputFile));
    }
}
