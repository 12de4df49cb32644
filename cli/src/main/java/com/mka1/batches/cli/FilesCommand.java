package com.mka1.batches.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code files}: the group of file commands; alone, it says which ones there are. */
@Command(
        name = "files",
        mixinStandardHelpOptions = true,
        synopsisSubcommandLabel = "COMMAND",
        description = {
            "Upload, list, inspect, download and delete files: batch inputs (purpose batch), and the output and"
                    + " error files batches write.",
        },
        subcommands = {
            FileUploadCommand.class,
            FileListCommand.class,
            FileGetCommand.class,
            FileDownloadCommand.class,
            FileDeleteCommand.class,
        })
final class FilesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(), "files needs a command: upload, list, get, download or delete");
    }
}
