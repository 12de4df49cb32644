package com.mka1.batches;

import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.ListBatchesResponse;
import java.util.Objects;

/**
 * The batch operations returning the HTTP status and headers along with the parsed value.
 * Obtained from {@link BatchService#withRawResponse()}; same arguments, checks and exceptions as
 * {@link BatchService}.
 *
 * <pre>{@code
 * RawResponse<BatchObject> raw = client.llm().batches().withRawResponse().get(batchId);
 * String requestId = raw.requestId();
 * }</pre>
 */
public final class RawBatchService {
    private final CallExecutor executor;

    RawBatchService(CallExecutor executor) {
        this.executor = executor;
    }

    /**
     * @param params what to run
     * @return the created batch with its response
     * @see BatchService#create(CreateBatchParams)
     */
    public RawResponse<BatchObject> create(CreateBatchParams params) {
        return create(params, RequestOptions.none());
    }

    /**
     * @param params what to run
     * @param options per-call settings
     * @return the created batch with its response
     * @see BatchService#create(CreateBatchParams, RequestOptions)
     */
    public RawResponse<BatchObject> create(CreateBatchParams params, RequestOptions options) {
        BatchCalls.Spec<BatchObject> spec = BatchCalls.create(params);
        return executor.execute(spec, Objects.requireNonNull(options, "options == null"));
    }

    /**
     * @param batchId the batch's id
     * @return the batch with its response
     * @see BatchService#get(String)
     */
    public RawResponse<BatchObject> get(String batchId) {
        return get(batchId, RequestOptions.none());
    }

    /**
     * @param batchId the batch's id
     * @param options per-call settings
     * @return the batch with its response
     */
    public RawResponse<BatchObject> get(String batchId, RequestOptions options) {
        BatchCalls.Spec<BatchObject> spec = BatchCalls.get(batchId);
        return executor.execute(spec, Objects.requireNonNull(options, "options == null"));
    }

    /**
     * @param batchId the batch's id
     * @return the batch, now {@code cancelling}, with its response
     * @see BatchService#cancel(String)
     */
    public RawResponse<BatchObject> cancel(String batchId) {
        return cancel(batchId, RequestOptions.none());
    }

    /**
     * @param batchId the batch's id
     * @param options per-call settings
     * @return the batch, now {@code cancelling}, with its response
     */
    public RawResponse<BatchObject> cancel(String batchId, RequestOptions options) {
        BatchCalls.Spec<BatchObject> spec = BatchCalls.cancel(batchId);
        return executor.execute(spec, Objects.requireNonNull(options, "options == null"));
    }

    /**
     * One page of batches, as the server sent it (no auto-pagination).
     *
     * @param params which page
     * @return the page with its response
     */
    public RawResponse<ListBatchesResponse> list(ListBatchesParams params) {
        return list(params, RequestOptions.none());
    }

    /**
     * @param params which page
     * @param options per-call settings
     * @return the page with its response
     */
    public RawResponse<ListBatchesResponse> list(ListBatchesParams params, RequestOptions options) {
        BatchCalls.Spec<ListBatchesResponse> spec = BatchCalls.list(params);
        return executor.execute(spec, Objects.requireNonNull(options, "options == null"));
    }
}
