package com.mka1.batches.cli;

import com.mka1.batches.BatchRunParams;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.RequestCounts;
import com.mka1.batches.observability.Outage;
import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;

/**
 * Progress on stderr fed from a batch's {@code request_counts}, or from a run's counts summed over
 * its batches: requests done (completed or failed) out of the total, with the status beside it.
 *
 * <p>On a terminal it is a one-line bar, redrawn with {@code \r} on each update rather than by the
 * library's timer, so what it shows is exactly what the last poll saw. Anywhere else (a log file,
 * a pipe, CI) {@code \r} frames would pile up on one line, so it prints a plain line each time the
 * status or the counts change, e.g. {@code in_progress: 2/4 requests done, 1 failed}. Either way
 * it writes through the command's stderr writer, never to the terminal directly, so tests can read
 * it and {@code 2>/dev/null} hides it.
 */
final class ProgressDisplay implements AutoCloseable {

    private final PrintWriter err;
    /** The bar on a terminal; null when printing lines. */
    private final ProgressBar bar;

    private String lastLine;

    ProgressDisplay(PrintWriter err, String taskName, boolean terminal) {
        this.err = err;
        this.bar = !terminal
                ? null
                : StderrBars.on(err)
                        .setTaskName(taskName)
                        .setInitialMax(0)
                        .continuousUpdate()
                        .build();
    }

    /** Shows what a poll saw (continuousUpdate: a new status redraws the bar even when the counts did not move). */
    void update(BatchObject batch) {
        RequestCounts counts = batch.getRequestCounts();
        long total = counts == null || counts.getTotal() == null ? 0 : counts.getTotal();
        long completed = counts == null || counts.getCompleted() == null ? 0 : counts.getCompleted();
        long failed = counts == null || counts.getFailed() == null ? 0 : counts.getFailed();
        show(batch.getStatus() == null ? "?" : batch.getStatus().getValue(), completed + failed, total, failed);
    }

    /**
     * Shows a run's progress summed over its batches, out of the run's own request count (the
     * batches' totals grow as the server counts them), e.g. {@code 1/3 batches finished: 250/300
     * requests done, 2 failed}; while the run waits out an outage, with {@code (waiting out an
     * outage: 3 failures in 7s, next try in 4s)}.
     */
    void update(BatchRunParams.Progress progress) {
        Outage outage = progress.outage();
        show(
                progress.batchesFinished() + "/" + progress.batches() + " batches finished"
                        + (outage == null
                                ? ""
                                : " (waiting out an outage: " + outage.failures()
                                        + (outage.failures() == 1 ? " failure in " : " failures in ")
                                        + DurationConverter.format(outage.downFor()) + ", next try in "
                                        + DurationConverter.format(outage.retryIn()) + ")"),
                progress.completed() + progress.failed(),
                progress.requests(),
                progress.failed());
    }

    /**
     * Prints a line of its own while the display is open: on a terminal over the bar (which its
     * library may have drawn already), blanking the rest of it, and the bar drawn again below.
     */
    void note(String line) {
        if (bar == null) {
            err.println(line);
            err.flush();
            return;
        }
        StringBuilder over = new StringBuilder("\r").append(line);
        while (over.length() <= StderrBars.WIDTH) {
            over.append(' ');
        }
        err.println(over);
        bar.refresh();
    }

    private void show(String state, long done, long total, long failed) {
        if (bar == null) {
            String line = state
                    + (total > 0 ? ": " + done + "/" + total + " requests done" : "")
                    + (failed > 0 ? ", " + failed + " failed" : "");
            if (!line.equals(lastLine)) {
                lastLine = line;
                err.println(line);
                err.flush();
            }
            return;
        }
        if (total > 0) {
            bar.maxHint(total);
            bar.stepTo(done);
        }
        bar.setExtraMessage(failed == 0 ? state : state + ", " + failed + " failed");
        bar.refresh();
    }

    @Override
    public void close() {
        StderrBars.close(bar, err);
    }
}
