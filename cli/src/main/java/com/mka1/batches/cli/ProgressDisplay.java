package com.mka1.batches.cli;

import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.RequestCounts;
import java.io.PrintWriter;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A one-line progress bar on stderr fed from a batch's {@code request_counts}: requests done
 * (completed or failed) out of the total, with the status beside it.
 *
 * <p>The bar is redrawn on each update rather than by the library's timer, so what it shows is
 * exactly what the last poll saw. It writes through the command's stderr writer, never to the
 * terminal directly, so tests can read it and {@code 2>/dev/null} hides it.
 */
final class ProgressDisplay implements AutoCloseable {
    private static final int WIDTH = 100;

    private final PrintWriter err;
    private final ProgressBar bar;

    ProgressDisplay(PrintWriter err, String taskName) {
        this.err = err;
        this.bar = new ProgressBarBuilder()
                .setTaskName(taskName)
                .setInitialMax(0)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(Integer.MAX_VALUE)
                .hideEta()
                .continuousUpdate()
                .setConsumer(new DelegatingProgressBarConsumer(this::draw, WIDTH))
                .build();
    }

    /** Shows what a poll saw (continuousUpdate: a new status redraws the bar even when the counts did not move). */
    void update(BatchObject batch) {
        RequestCounts counts = batch.getRequestCounts();
        if (counts != null && counts.getTotal() != null && counts.getTotal() > 0) {
            bar.maxHint(counts.getTotal());
            bar.stepTo(counts.getCompleted() + counts.getFailed());
        }
        String status = batch.getStatus() == null ? "?" : batch.getStatus().getValue();
        long failed = counts == null || counts.getFailed() == null ? 0 : counts.getFailed();
        bar.setExtraMessage(failed == 0 ? status : status + ", " + failed + " failed");
        bar.refresh();
    }

    private void draw(String line) {
        err.print('\r');
        err.print(line);
        err.flush();
    }

    @Override
    public void close() {
        bar.close();
        err.println();
        err.flush();
    }
}
