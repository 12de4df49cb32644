package com.mka1.batches.internal;

import com.mka1.batches.CreateBatchParams;
import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.internal.api.BatchesApi;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.CreateBatchRequest;
import com.mka1.batches.models.ListBatchesResponse;
import java.util.Objects;

/**
 * The batch operations as {@link ApiCall}s: argument checks and the generated Retrofit method of
 * each, written once for the blocking and the asynchronous services.
 */
public final class BatchOperations {
    private BatchOperations() {}

    public static ApiCall<BatchObject> create(CreateBatchParams params) {
        Objects.requireNonNull(params, "params == null");
        return ApiCall.creating(
                        "batches.create",
                        BatchesApi.class,
                        BatchObject.class,
                        // Idempotency-Key: null here, set by the engine on each attempt (the same on every retry).
                        (api, onBehalfOf) -> api.createBatch(createRequest(params), onBehalfOf, null))
                .checking((batch, status) -> ServerIds.batchId(batch.getId(), "the created batch's id", status));
    }

    public static ApiCall<BatchObject> get(String batchId) {
        String id = Checks.batchId(batchId);
        return ApiCall.of(
                "batches.get", BatchesApi.class, BatchObject.class, (api, onBehalfOf) -> api.getBatch(id, onBehalfOf));
    }

    /** A {@link #get} whose answer must be the batch asked for: a poll goes on with what it reads. */
    public static ApiCall<BatchObject> poll(String batchId) {
        String id = Checks.batchId(batchId);
        return get(id).checking((batch, status) -> ServerIds.sameBatch(id, batch, status));
    }

    public static ApiCall<BatchObject> cancel(String batchId) {
        String id = Checks.batchId(batchId);
        return ApiCall.of(
                "batches.cancel",
                BatchesApi.class,
                BatchObject.class,
                (api, onBehalfOf) -> api.cancelBatch(id, onBehalfOf));
    }

    public static ApiCall<ListBatchesResponse> list(ListBatchesParams params) {
        Objects.requireNonNull(params, "params == null");
        return ApiCall.of(
                "batches.list",
                BatchesApi.class,
                ListBatchesResponse.class,
                (api, onBehalfOf) -> api.listBatches(onBehalfOf, params.after(), params.limit()));
    }

    /** Builds the generated request model for {@code params}; an endpoint newer than the library goes as given. */
    static CreateBatchRequest createRequest(CreateBatchParams params) {
        return new CreateBatchRequest()
                .endpoint(BatchEndpoint.of(params.endpoint()))
                .inputFileId(params.inputFileId())
                .completionWindow(params.completionWindow())
                .metadata(params.metadata());
    }
}
