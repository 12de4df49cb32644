package com.mka1.batches;

import com.mka1.batches.internal.BatchOperations;
import com.mka1.batches.internal.CallEngine;
import com.mka1.batches.internal.Steps;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.ListBatchesResponse;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/**
 * One page of batches, newest first, from {@code list} in either mode; see {@link Page} for
 * walking the pages after it.
 *
 * <pre>{@code
 * for (BatchObject batch : batches.list(ListBatchesParams.builder().limit(100).build()).autoPager()) {
 *     System.out.println(batch.getId() + " " + batch.getStatus());
 * }
 * }</pre>
 */
public final class BatchPage extends Page<BatchObject> {
    private final CallEngine engine;
    private final ListBatchesParams params;
    private final RequestOptions options;

    BatchPage(CallEngine engine, ListBatchesParams params, RequestOptions options, RawResponse<ListBatchesResponse> answer) {
        super(answer.value().getData(), answer.value().getHasMore(), answer.value().getFirstId(),
                answer.value().getLastId(), BatchObject::getId, params.after(), answer.statusCode(),
                answer.value().getAdditionalProperties());
        this.engine = engine;
        this.params = params;
        this.options = options;
    }

    /**
     * @return the parameters of the next page: these with {@code after} set to its cursor
     * @throws NoSuchElementException if {@link #hasNextPage()} is false
     * @throws com.mka1.batches.errors.InvalidResponseException if this page gives no cursor that
     *     leads on (see {@link #nextPage()})
     */
    public ListBatchesParams nextPageParams() {
        return params.toBuilder().after(nextCursor()).build();
    }

    @Override
    public BatchPage nextPage() {
        ListBatchesParams next = nextPageParams();
        return new BatchPage(engine, next, options, engine.execute(BatchOperations.list(next), options));
    }

    @Override
    public CompletableFuture<BatchPage> nextPageAsync() {
        ListBatchesParams next = nextPageParams();
        return Steps.map(engine.executeAsync(BatchOperations.list(next), options),
                raw -> new BatchPage(engine, next, options, raw));
    }
}
