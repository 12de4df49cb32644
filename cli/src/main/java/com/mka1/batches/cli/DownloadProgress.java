package com.mka1.batches.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;

/**
 * The progress of one download on stderr, fed by {@link ContentByteCounter} as the bytes arrive.
 *
 * <p>On a terminal it is a one-line bar in bytes, KiB or MiB by the file's size, redrawn with
 * {@code \r} when the percentage moves (at most a hundred redraws, however many reads). Anywhere
 * else it prints a plain line each time another tenth of the file has arrived, e.g.
 * {@code file_abc: 400/1000 bytes (40%)}, and a line when a broken connection is resumed. The
 * position shown never goes back: a server that ignores {@code Range} resends the bytes already
 * on disk, and the display waits until they are passed.
 */
final class DownloadProgress implements ContentByteCounter.Listener, AutoCloseable {
    private static final long KIB = 1024;
    private static final long MIB = 1024 * 1024;

    private final PrintWriter err;
    private final String label;
    private final long size;
    /** The bar on a terminal; null when printing lines. */
    private final ProgressBar bar;

    private long shown;
    /** The last percentage drawn (bar) or the last tenth printed (lines). */
    private long lastStep;

    /**
     * @param label what the lines start with, the file id
     * @param size the file's size in bytes, as the API gave it
     */
    DownloadProgress(PrintWriter err, boolean terminal, String label, long size) {
        this.err = err;
        this.label = label;
        this.size = Math.max(0, size);
        long unit = size >= 10 * MIB ? MIB : size >= 10 * KIB ? KIB : 1;
        this.bar = !terminal
                ? null
                : StderrBars.on(err)
                        .setTaskName("download")
                        .setInitialMax(this.size)
                        .setUnit(unit == MIB ? " MiB" : unit == KIB ? " KiB" : " bytes", unit)
                        .build();
    }

    @Override
    public void resumingFrom(long offset) {
        if (bar == null) {
            err.println(label + ": the connection broke; resuming from byte " + offset);
            err.flush();
        } else {
            bar.setExtraMessage("resumed at byte " + offset);
            bar.refresh();
        }
    }

    @Override
    public void reached(long position) {
        if (position <= shown) {
            return;
        }
        shown = position;
        if (size == 0) {
            return;
        }
        if (bar == null) {
            long tenth = Math.min(10, shown * 10 / size);
            if (tenth > lastStep) {
                lastStep = tenth;
                err.println(label + ": " + shown + "/" + size + " bytes (" + Math.min(100, shown * 100 / size) + "%)");
                err.flush();
            }
            return;
        }
        long percent = Math.min(100, shown * 100 / size);
        if (percent > lastStep) {
            lastStep = percent;
            bar.stepTo(Math.min(shown, size));
            bar.refresh();
        }
    }

    @Override
    public void close() {
        StderrBars.close(bar, err);
    }
}
