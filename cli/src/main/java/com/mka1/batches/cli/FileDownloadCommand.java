package com.mka1.batches.cli;

import com.google.gson.JsonObject;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.models.FileObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import okhttp3.OkHttpClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code files download}: writes a file's content to disk through the client's resumable
 * download, with progress on stderr.
 *
 * <p>The progress comes from {@link ContentByteCounter}, an interceptor on this command's HTTP
 * client that counts the content's bytes as they arrive, so the download stays the library's own
 * {@code download}: through a temporary file moved into place when complete, resumed after a
 * broken connection. (Reading through {@code content} instead would count as easily but lose the
 * resume; watching the temporary file grow would tie the tool to the library's internal naming of
 * that file and need a polling thread.)
 */
@Command(
        name = "download",
        mixinStandardHelpOptions = true,
        description = {
            "Download a file's content, showing progress on stderr (a bar on a terminal, else a line per tenth of"
                    + " the file), and print the path written. A broken connection is resumed where it stopped;"
                    + " the file appears only once complete.",
            "An existing file is not replaced unless --force.",
        })
final class FileDownloadCommand extends BatchCommand {
    @Parameters(paramLabel = "FILE_ID", description = "The file id (file_...), e.g. a batch's output_file_id.")
    String fileId;

    @Option(
            names = "--out",
            paramLabel = "PATH",
            description = "Where to write it: a file, or a directory to write it in under its own name"
                    + " (default: its own name in the current directory). Its own name is the last path segment of"
                    + " the filename the API gives; a name starting with '.', a Windows device name (CON, NUL.jsonl...),"
                    + " or a name holding ':', a control or a bidi formatting character, is refused: then choose one"
                    + " with --out.")
    Path out;

    @Option(names = "--force", description = "Replace an existing file.")
    boolean force;

    private final ContentByteCounter counter = new ContentByteCounter();
    private OkHttpClient http;

    @Override
    void validate() {
        ArgumentChecks.fileId(fileId, "FILE_ID");
        if (out != null && !Files.isDirectory(resolve(out))) {
            LocalFiles.writable(out.toString(), resolve(out), force, "--out");
        }
    }

    @Override
    void configureClient(Mka1Client.Builder builder) {
        // A client of our own only to carry the counter. The library's defaults (10 s connect, 60 s
        // read and write) are set again here, as a caller's client brings its own timeouts.
        http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                .writeTimeout(Duration.ofSeconds(60))
                .addNetworkInterceptor(counter)
                .build();
        builder.httpClient(http);
    }

    @Override
    int run(Session session) {
        try {
            FileObject file = session.files().get(fileId);
            Path target = target(file);
            long size = file.getBytes() == null ? 0 : file.getBytes();
            err().println("Downloading " + fileId + " (" + size + " bytes) to " + target);
            err().flush();
            try (DownloadProgress progress = new DownloadProgress(err(), cli.context().terminal, fileId, size)) {
                counter.listen(progress);
                session.files().download(fileId, target);
            }
            if (cli.output == OutputFormat.JSON) {
                JsonObject written = new JsonObject();
                written.addProperty("id", file.getId());
                written.addProperty("filename", file.getFilename());
                written.addProperty("bytes", file.getBytes());
                written.addProperty("path", target.toString());
                filePrinter().printJson(written);
            } else {
                out().println(target);
                out().flush();
            }
            return ExitCodes.OK;
        } finally {
            // The client leaves a caller's OkHttpClient running: close its idle connections.
            http.connectionPool().evictAll();
        }
    }

    /** --out, the file's name in --out's directory, or the file's name in the working directory. */
    private Path target(FileObject file) {
        if (out != null && !Files.isDirectory(resolve(out))) {
            return resolve(out);
        }
        Path dir = out != null ? resolve(out) : cli.context().workingDirectory;
        String name = LocalFiles.localName(file.getFilename());
        if (name == null) {
            String shown = TerminalText.printable(String.valueOf(file.getFilename()));
            throw new CliUsageException("file " + fileId + " is named '" + shown
                    + "', which cannot be a local file name: choose one with --out");
        }
        Path target = dir.resolve(name);
        return LocalFiles.writable(target.toString(), target, force, "--out");
    }
}
