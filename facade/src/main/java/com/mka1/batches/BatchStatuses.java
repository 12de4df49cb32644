package com.mka1.batches;

import com.mka1.batches.models.BatchStatus;
import java.util.Objects;

/**
 * Questions about a batch's lifecycle, answered for its {@link BatchStatus}
 * ({@code batch.getStatus()}).
 *
 * <pre>{@code
 * BatchObject batch = batches.get(batchId);
 * if (BatchStatuses.isSucceeded(batch.getStatus())) {
 *     download(batch.getOutputFileId());
 * } else if (BatchStatuses.isTerminal(batch.getStatus())) {
 *     log.warn("batch {} ended {}", batch.getId(), batch.getStatus());
 * }
 * }</pre>
 *
 * <p>Terminal: {@code completed}, {@code failed}, {@code expired}, {@code cancelled}; a terminal
 * batch never changes again. Active: {@code validating}, {@code in_progress}, {@code finalizing},
 * {@code cancelling}. A status newer than this library (say {@code paused}: {@link BatchStatus#isKnown()}
 * false, its text in {@link BatchStatus#asString()}) is neither: the client cannot tell whether it
 * is final, so {@link BatchService#waitForCompletion(String, WaitOptions)} keeps polling through it.
 */
public final class BatchStatuses {
    private BatchStatuses() {}

    /**
     * @param status a batch status
     * @return whether the batch is done and will not change again
     */
    public static boolean isTerminal(BatchStatus status) {
        switch (Objects.requireNonNull(status, "status == null").value()) {
            case COMPLETED:
            case FAILED:
            case EXPIRED:
            case CANCELLED:
                return true;
            default:
                return false;
        }
    }

    /**
     * @param status a batch status
     * @return whether it is {@code completed}: the batch ran (single requests in it may still
     *     have failed; see {@code request_counts.failed} and the error file)
     */
    public static boolean isSucceeded(BatchStatus status) {
        return BatchStatus.COMPLETED.equals(Objects.requireNonNull(status, "status == null"));
    }

    /**
     * @param status a batch status
     * @return whether it is a known status the batch will move on from: {@code validating},
     *     {@code in_progress}, {@code finalizing} or {@code cancelling}
     */
    public static boolean isActive(BatchStatus status) {
        switch (Objects.requireNonNull(status, "status == null").value()) {
            case VALIDATING:
            case IN_PROGRESS:
            case FINALIZING:
            case CANCELLING:
                return true;
            default:
                return false;
        }
    }
}
