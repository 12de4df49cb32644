package com.mka1.batches.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cancel}: asks the API to cancel a batch and prints it (usually {@code cancelling}). */
@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = "Cancel a batch and print it: it moves to cancelling, then cancelled.")
final class CancelCommand extends BatchCommand {
    @Parameters(paramLabel = "BATCH_ID", description = "The batch id (batch_...).")
    String batchId;

    @Override
    void validate() {
        ArgumentChecks.batchId(batchId, "BATCH_ID");
    }

    @Override
    int run(Session session) {
        printer().print(session.batches().cancel(batchId));
        return ExitCodes.OK;
    }
}
