package com.mka1.batches.cli;

import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code files upload}: uploads a local file and prints its id. */
@Command(
        name = "upload",
        mixinStandardHelpOptions = true,
        description = "Upload a local file and print its id (with -o json, the file object). The id of a batch"
                + " input is what 'create --input-file-id' takes; 'create --input-file' uploads and creates in one go.")
final class FileUploadCommand extends BatchCommand {
    @Parameters(paramLabel = "PATH", description = "The file to upload; its name becomes the file's filename.")
    Path path;

    @Option(
            names = "--purpose",
            paramLabel = "PURPOSE",
            defaultValue = "batch",
            converter = FilePurposes.Upload.class,
            description = "What the file is for: " + FilePurposes.UPLOAD_NAMES + " (default: ${DEFAULT-VALUE}).")
    FilePurpose purpose;

    private Path file;

    @Override
    void validate() {
        file = ArgumentChecks.readableFile(path, resolve(path), "PATH");
    }

    @Override
    int run(Session session) {
        FileObject uploaded = session.files().upload(file, purpose);
        if (cli.output == OutputFormat.JSON) {
            filePrinter().printJson(uploaded);
        } else {
            out().println(uploaded.getId());
            out().flush();
        }
        return ExitCodes.OK;
    }
}
