package com.mka1.batches;

import com.mka1.batches.observability.Outage;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A run's progress while it waits, summed over its batches: how many batches have finished,
 * and the sum of their {@code request_counts}.
 *
 * <pre>{@code
 * .onProgress(p -> bar.update(p.completed() + p.failed(), p.total()))
 * }</pre>
 *
 * <p>{@link #total()} counts the requests of the batches the server has counted so far (a
 * batch still validating reports 0), so it can grow while the run waits; {@link #requests()}
 * is the run's own count. A run also reports each failure it waits out (see
 * {@link WaitOptions#outageBudget()}), in any stage, with {@link #outage()} set; the next
 * report after the outage has it {@code null} again. Immutable.
 */
public final class BatchRunProgress {
    private final int batches;
    private final int batchesFinished;
    private final long requests;
    private final long total;
    private final long completed;
    private final long failed;
    private final @Nullable Outage outage;

    /**
     * Made by the run for each report; public so that code fed a run's progress (a display, a
     * log) can be tested without a run.
     *
     * @param batches how many batches the run has
     * @param batchesFinished how many of them have ended
     * @param requests how many requests the run has
     * @param total the sum of the batches' {@code request_counts.total}
     * @param completed the sum of their {@code request_counts.completed}
     * @param failed the sum of their {@code request_counts.failed}
     * @param outage the failure being waited out, or {@code null}
     */
    public BatchRunProgress(int batches, int batchesFinished, long requests, long total, long completed, long failed,
                            @Nullable Outage outage) {
        this.batches = batches;
        this.batchesFinished = batchesFinished;
        this.requests = requests;
        this.total = total;
        this.completed = completed;
        this.failed = failed;
        this.outage = outage;
    }

    /** @return how many batches the run has */
    public int batches() {
        return batches;
    }

    /** @return how many of them have ended (completed, failed, expired or cancelled) */
    public int batchesFinished() {
        return batchesFinished;
    }

    /** @return how many requests the run has, in all its batches */
    public long requests() {
        return requests;
    }

    /** @return the sum of the batches' {@code request_counts.total} */
    public long total() {
        return total;
    }

    /** @return the sum of the batches' {@code request_counts.completed} */
    public long completed() {
        return completed;
    }

    /** @return the sum of the batches' {@code request_counts.failed} */
    public long failed() {
        return failed;
    }

    /**
     * @return the failure the run is waiting out (it will try again after
     *     {@link Outage#retryIn()}), or {@code null} when no call has failed since the last success
     */
    public @Nullable Outage outage() {
        return outage;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (!(o instanceof BatchRunProgress)) {
            return false;
        }
        BatchRunProgress that = (BatchRunProgress) o;
        return batches == that.batches && batchesFinished == that.batchesFinished && requests == that.requests
                && total == that.total && completed == that.completed && failed == that.failed
                && Objects.equals(outage, that.outage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(batches, batchesFinished, requests, total, completed, failed, outage);
    }

    @Override
    public String toString() {
        return batchesFinished + "/" + batches + " batches finished, " + (completed + failed) + "/" + requests
                + " requests done (" + failed + " failed)" + (outage == null ? ""
                : ", waiting out an outage: " + outage.failures() + " failed calls in " + outage.downFor().getSeconds()
                + " s, next try in " + outage.retryIn().getSeconds() + " s");
    }
}
