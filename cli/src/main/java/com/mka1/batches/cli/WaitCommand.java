package com.mka1.batches.cli;

import com.mka1.batches.BatchStatuses;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.models.BatchObject;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wait}: polls a batch until it ends, showing its progress; exit 5 unless it completed. */
@Command(
        name = "wait",
        mixinStandardHelpOptions = true,
        description = {
            "Wait for a batch to end, showing progress on stderr, then print it. Progress is a bar on a terminal,"
                    + " else one line per change of status or counts.",
            "Exits 0 if it completed, 5 if it failed, expired or was cancelled, 6 if --timeout ran out.",
        })
final class WaitCommand extends BatchCommand {
    private static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(30);

    @Parameters(paramLabel = "BATCH_ID", description = "The batch id (batch_...).")
    String batchId;

    @Override
    void validate() {
        ArgumentChecks.batchId(batchId, "BATCH_ID");
    }

    @Option(
            names = "--poll-interval",
            paramLabel = "DURATION",
            defaultValue = "2s",
            converter = DurationConverter.class,
            description = "First wait between polls, growing to 30s (default: ${DEFAULT-VALUE}). E.g. 500ms, 2s, 1m.")
    Duration pollInterval;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "25h",
            converter = DurationConverter.class,
            description = "Give up after this long (default: ${DEFAULT-VALUE}, past the 24h completion window).")
    Duration timeout;

    @Override
    int run(Session session) {
        BatchObject batch = waitWithProgress(session, batchId, pollInterval, timeout, progress());
        printer().print(batch);
        if (!BatchStatuses.isSucceeded(batch.getStatus())) {
            err().println("Batch " + batchId + " ended " + batch.getStatus().getValue() + ".");
            return ExitCodes.BATCH_UNSUCCESSFUL;
        }
        return ExitCodes.OK;
    }

    /** Polls until the batch ends, showing it on {@code display} (which it closes); returns the ended batch. */
    static BatchObject waitWithProgress(
            Session session, String batchId, Duration pollInterval, Duration timeout, ProgressDisplay display) {
        try (ProgressDisplay progress = display) {
            return session.batches()
                    .waitForCompletion(
                            batchId,
                            waitOptions(pollInterval, timeout)
                                    .onProgress(progress::update)
                                    .build());
        }
    }

    /** Polls first after {@code pollInterval}, backing off up to 30 s (or the interval, if longer), for at most {@code timeout}. */
    static WaitOptions.Builder waitOptions(Duration pollInterval, Duration timeout) {
        Duration maxPollInterval = pollInterval.compareTo(MAX_POLL_INTERVAL) > 0 ? pollInterval : MAX_POLL_INTERVAL;
        return WaitOptions.builder()
                .pollInterval(pollInterval)
                .maxPollInterval(maxPollInterval)
                .timeout(timeout);
    }
}
