package com.mka1.batches.cli;

import com.mka1.batches.models.DeleteFileResponse;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code files delete}: deletes a file and prints the API's confirmation. */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Delete a file and print the confirmation. A batch that used it keeps its file ids.")
final class FileDeleteCommand extends BatchCommand {
    @Parameters(paramLabel = "FILE_ID", description = "The file id (file_...).")
    String fileId;

    @Override
    void validate() {
        ArgumentChecks.fileId(fileId, "FILE_ID");
    }

    @Override
    int run(Session session) {
        DeleteFileResponse deleted = session.files().delete(fileId);
        if (cli.output == OutputFormat.JSON) {
            filePrinter().printJson(deleted);
        } else {
            TextTable.print(out(), Arrays.asList(new String[] {"ID", "DELETED"}, new String[] {
                deleted.getId(), String.valueOf(deleted.getDeleted())
            }));
            out().flush();
        }
        return ExitCodes.OK;
    }
}
