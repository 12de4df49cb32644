package com.mka1.batches.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code files get}: prints one file's metadata. */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = "Print one file's metadata (its content: 'files download').")
final class FileGetCommand extends BatchCommand {
    @Parameters(paramLabel = "FILE_ID", description = "The file id (file_...).")
    String fileId;

    @Override
    void validate() {
        ArgumentChecks.fileId(fileId, "FILE_ID");
    }

    @Override
    int run(Session session) {
        filePrinter().print(session.files().get(fileId));
        return ExitCodes.OK;
    }
}
