package com.mka1.batches.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code get}: prints one batch. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Print one batch.")
final class GetCommand extends BatchCommand {
    @Parameters(paramLabel = "BATCH_ID", description = "The batch id (batch_...).")
    String batchId;

    @Override
    void validate() {
        ArgumentChecks.batchId(batchId, "BATCH_ID");
    }

    @Override
    int run(Session session) {
        printer().print(session.batches().get(batchId));
        return ExitCodes.OK;
    }
}
