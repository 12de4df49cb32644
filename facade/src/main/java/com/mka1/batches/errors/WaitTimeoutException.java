package com.mka1.batches.errors;

import com.mka1.batches.models.BatchObject;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code waitForCompletion} gave up: the batch was still not terminal when the wait's timeout ran
 * out. The batch itself goes on; {@link #lastBatch()} is what the last poll saw.
 *
 * <pre>{@code
 * try {
 *     batches.waitForCompletion(batchId, WaitOptions.builder().timeout(Duration.ofHours(1)).build());
 * } catch (WaitTimeoutException e) {
 *     log.info("still {} after {}", e.lastBatch().getStatus(), e.timeout());
 * }
 * }</pre>
 */
public class WaitTimeoutException extends Mka1Exception {
    private static final long serialVersionUID = 1L;

    private final transient BatchObject lastBatch;
    private final Duration timeout;

    /**
     * @param lastBatch the batch as the last poll saw it
     * @param timeout the wait's timeout
     */
    public WaitTimeoutException(BatchObject lastBatch, Duration timeout) {
        super(message(lastBatch, timeout));
        this.lastBatch = lastBatch;
        this.timeout = timeout;
    }

    /** @return the batch as the last poll saw it (not serialized with the exception) */
    public BatchObject lastBatch() {
        return lastBatch;
    }

    /** @return the timeout that ran out */
    public Duration timeout() {
        return timeout;
    }

    private static String message(BatchObject batch, Duration timeout) {
        Objects.requireNonNull(batch, "lastBatch == null");
        Objects.requireNonNull(timeout, "timeout == null");
        String counts = batch.getRequestCounts() == null
                ? ""
                : " (" + batch.getRequestCounts().getCompleted() + " completed, "
                        + batch.getRequestCounts().getFailed() + " failed of "
                        + batch.getRequestCounts().getTotal() + ")";
        return "Batch " + batch.getId() + " is still " + batch.getStatus() + counts + " after waiting " + timeout;
    }
}
