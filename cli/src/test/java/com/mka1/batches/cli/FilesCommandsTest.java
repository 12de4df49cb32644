package com.mka1.batches.cli;

import static com.mka1.batches.cli.BatchCommandsTest.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.Mka1Client;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import com.mka1.batches.models.ListFilesResponse;
import com.mka1.batches.sandbox.SandboxOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code files upload|list|get|delete} against the embedded sandbox ({@code download}: FileDownloadCommandTest). */
class FilesCommandsTest {
    @RegisterExtension
    static final CliHarness cli = new CliHarness();

    @Test
    void uploadPrintsTheIdOfAFileUploadedForBatches() throws IOException {
        String jsonl = String.format(CliHarness.CHAT_LINE, "r1", "");
        Files.write(cli.dir().resolve("requests.jsonl"), jsonl.getBytes(StandardCharsets.UTF_8));

        CliHarness.Result result = cli.run("files", "upload", "requests.jsonl");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(result.out).matches("file_[0-9a-f]{24}\\R");
        assertThat(result.err).isEmpty();
        try (Mka1Client client = cli.client()) {
            FileObject stored = client.llm().files().get(result.out.trim());
            assertThat(stored.getFilename()).isEqualTo("requests.jsonl");
            assertThat(stored.getPurpose()).isEqualTo(FilePurpose.BATCH);
            assertThat(stored.getBytes()).isEqualTo(jsonl.getBytes(StandardCharsets.UTF_8).length);
        }
        assertThat(cli.sandbox.requests(SandboxOperation.UPLOAD_FILE).get(0).body())
                .contains("name=\"purpose\"")
                .contains(jsonl.trim());
    }

    @Test
    void uploadTakesAPurposeAndPrintsTheFileObjectAsJson() throws IOException {
        Path image = Files.write(cli.dir().resolve("notes.txt"), "notes".getBytes(StandardCharsets.UTF_8));

        CliHarness.Result result = cli.run("files", "upload", image.toString(), "--purpose", "user_data", "-o", "json");

        assertThat(result.exitCode).as(result.toString()).isZero();
        FileObject printed = BatchPrinter.GSON.fromJson(result.out, FileObject.class);
        assertThat(printed.getId()).matches("file_[0-9a-f]{24}");
        assertThat(printed.getPurpose()).isEqualTo(FilePurpose.USER_DATA);
        assertThat(printed.getFilename()).isEqualTo("notes.txt");
        assertThat(printed.getBytes()).isEqualTo(5);
    }

    /** A name is the server's text: its escapes and bidi overrides are shown, never sent to the terminal. */
    @Test
    void listShowsControlAndBidiCharactersInANameEscaped() {
        FileObject file = cli.upload(bytes("a"), "\u001b]0;owned\u0007\u202egnp.jsonl", FilePurpose.BATCH);

        CliHarness.Result listed = cli.run("files", "list");

        assertThat(listed.exitCode).as(listed.toString()).isZero();
        assertThat(lines(listed.out).get(1))
                .startsWith(file.getId())
                .endsWith(" \\u001b]0;owned\\u0007\\u202egnp.jsonl");
        assertThat(listed.out).doesNotContain("\u001b", "\u0007", "\u202e");
    }

    @Test
    void listShowsFilesNewestFirstAndFiltersByPurpose() {
        FileObject first = cli.upload(bytes("a"), "first.jsonl", FilePurpose.BATCH);
        FileObject picture = cli.upload(bytes("bb"), "picture.png", FilePurpose.VISION);
        FileObject last = cli.upload(bytes("ccc"), "last.jsonl", FilePurpose.BATCH);

        CliHarness.Result all = cli.run("files", "list");
        CliHarness.Result vision = cli.run("files", "list", "--purpose", "vision");

        assertThat(all.exitCode).as(all.toString()).isZero();
        List<String> rows = lines(all.out);
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).matches("ID +PURPOSE +BYTES +CREATED +FILENAME");
        assertThat(rows.get(1)).matches(last.getId() + " +batch +3 +2024-01-01T\\d\\d:\\d\\d:\\d\\dZ +last\\.jsonl");
        assertThat(rows.get(2)).startsWith(picture.getId());
        assertThat(rows.get(3)).startsWith(first.getId());
        assertThat(all.err).isEmpty();
        assertThat(lines(vision.out)).hasSize(2);
        assertThat(lines(vision.out).get(1)).startsWith(picture.getId()).contains(" vision ");
        assertThat(cli.sandbox.requests(SandboxOperation.LIST_FILES).get(1).url())
                .contains("purpose=vision");
    }

    @Test
    void listShowsOnePageWithAHintOrFollowsEveryPage() {
        for (int i = 0; i < 5; i++) {
            cli.upload(bytes("x" + i), "f" + i + ".jsonl", FilePurpose.BATCH);
        }

        CliHarness.Result page = cli.run("files", "list", "--limit", "2", "-o", "json");
        ListFilesResponse json = BatchPrinter.GSON.fromJson(page.out, ListFilesResponse.class);
        CliHarness.Result next = cli.run("files", "list", "--limit", "2", "--after", json.getLastId());
        int listsBefore = cli.sandbox.requestCount(SandboxOperation.LIST_FILES);
        CliHarness.Result everything = cli.run("files", "list", "--all", "--limit", "2");

        assertThat(page.exitCode).as(page.toString()).isZero();
        assertThat(json.getData()).hasSize(2);
        assertThat(json.getHasMore()).isTrue();
        assertThat(lines(page.err))
                .containsExactly("More files follow: add --after " + json.getLastId() + ", or --all.");
        assertThat(lines(next.out)).hasSize(3);
        assertThat(lines(next.out).get(1))
                .doesNotStartWith(json.getData().get(0).getId())
                .doesNotStartWith(json.getData().get(1).getId());
        assertThat(lines(everything.out)).hasSize(6);
        assertThat(everything.err).isEmpty();
        assertThat(cli.sandbox.requestCount(SandboxOperation.LIST_FILES) - listsBefore)
                .isEqualTo(3);
    }

    @Test
    void listWithNoFilesSaysSo() {
        CliHarness.Result result = cli.run("files", "list");

        assertThat(result.exitCode).isZero();
        assertThat(result.out).contains("(no files)");
    }

    @Test
    void getPrintsOneFile() {
        FileObject file = cli.upload(bytes("{}\n"), "one.jsonl", FilePurpose.FINE_TUNE);

        CliHarness.Result table = cli.run("files", "get", file.getId());
        CliHarness.Result json = cli.run("files", "get", file.getId(), "-o", "json");

        assertThat(table.exitCode).as(table.toString()).isZero();
        assertThat(lines(table.out)).hasSize(2);
        assertThat(lines(table.out).get(1)).matches(file.getId() + " +fine-tune +3 +\\S+ +one\\.jsonl");
        assertThat(BatchPrinter.GSON.fromJson(json.out, FileObject.class)).isEqualTo(file);
    }

    @Test
    void deleteConfirmsAndTheFileIsGone() {
        FileObject file = cli.upload(bytes("x"), "gone.jsonl", FilePurpose.BATCH);

        CliHarness.Result deleted = cli.run("files", "delete", file.getId());
        CliHarness.Result after = cli.run("files", "get", file.getId());

        assertThat(deleted.exitCode).as(deleted.toString()).isZero();
        assertThat(lines(deleted.out)).hasSize(2);
        assertThat(lines(deleted.out).get(0)).matches("ID +DELETED");
        assertThat(lines(deleted.out).get(1)).matches(file.getId() + " +true");
        assertThat(after.exitCode).isEqualTo(1);
        assertThat(lines(after.err)).hasSize(1);
        assertThat(after.err).startsWith("mka1-batches: HTTP 404");
    }

    @Test
    void deleteWithJsonPrintsTheApiConfirmation() {
        FileObject file = cli.upload(bytes("x"), "gone.jsonl", FilePurpose.BATCH);

        CliHarness.Result deleted = cli.run("files", "delete", file.getId(), "-o", "json");

        assertThat(deleted.exitCode).as(deleted.toString()).isZero();
        assertThat(deleted.out.replaceAll("\\s+", ""))
                .isEqualTo("{\"id\":\"" + file.getId() + "\",\"object\":\"file\",\"deleted\":true}");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
