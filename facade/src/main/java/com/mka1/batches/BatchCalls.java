package com.mka1.batches;

import com.mka1.batches.internal.api.BatchesApi;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.ListBatchesResponse;
import java.util.Objects;

/**
 * The four batch operations as {@link Spec}s: argument checks and the generated Retrofit method
 * of each, written once for the synchronous and the asynchronous services.
 */
final class BatchCalls {
    private BatchCalls() {
    }

    /** Builds the Retrofit call of one operation; Retrofit turns it into the request on the wire. */
    @FunctionalInterface
    interface CallFactory<T> {
        retrofit2.Call<T> create(BatchesApi api, String onBehalfOf);
    }

    /** One operation with its checked arguments, ready to be executed any number of times. */
    static final class Spec<T> {
        final Operation operation;
        final Class<T> type;
        final CallFactory<T> factory;

        Spec(Operation operation, Class<T> type, CallFactory<T> factory) {
            this.operation = operation;
            this.type = type;
            this.factory = factory;
        }
    }

    static Spec<BatchObject> create(CreateBatchParams params) {
        Objects.requireNonNull(params, "params == null");
        return new Spec<>(Operation.CREATE, BatchObject.class,
                (api, onBehalfOf) -> api.createBatch(Json.createRequest(params), onBehalfOf));
    }

    static Spec<BatchObject> get(String batchId) {
        String id = Checks.batchId(batchId);
        return new Spec<>(Operation.GET, BatchObject.class, (api, onBehalfOf) -> api.getBatch(id, onBehalfOf));
    }

    static Spec<BatchObject> cancel(String batchId) {
        String id = Checks.batchId(batchId);
        return new Spec<>(Operation.CANCEL, BatchObject.class, (api, onBehalfOf) -> api.cancelBatch(id, onBehalfOf));
    }

    static Spec<ListBatchesResponse> list(ListBatchesParams params) {
        Objects.requireNonNull(params, "params == null");
        return new Spec<>(Operation.LIST, ListBatchesResponse.class,
                (api, onBehalfOf) -> api.listBatches(onBehalfOf, params.after(), params.limit()));
    }
}
