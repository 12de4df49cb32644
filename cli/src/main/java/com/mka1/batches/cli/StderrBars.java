package com.mka1.batches.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bars of the tool: one line on the command's stderr writer (never the terminal
 * directly, so tests read it and {@code 2>/dev/null} hides it), redrawn with {@code \r} only when
 * the display asks, never by the library's timer.
 */
final class StderrBars {
    /** The bar's width in characters. */
    static final int WIDTH = 100;

    private StderrBars() {}

    /** @return a builder for a bar on {@code err}, ASCII, without an ETA; the caller adds what it shows */
    static ProgressBarBuilder on(PrintWriter err) {
        return new ProgressBarBuilder()
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(Integer.MAX_VALUE)
                .hideEta()
                .setConsumer(new DelegatingProgressBarConsumer(
                        line -> {
                            err.print('\r');
                            err.print(line);
                            err.flush();
                        },
                        WIDTH));
    }

    /** Closes {@code bar} (if there is one) and ends its line. */
    static void close(ProgressBar bar, PrintWriter err) {
        if (bar != null) {
            bar.close();
            err.println();
            err.flush();
        }
    }
}
