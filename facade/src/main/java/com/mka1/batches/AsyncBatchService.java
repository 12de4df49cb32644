package com.mka1.batches;

import com.mka1.batches.models.BatchObject;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The batch operations without blocking: {@code client.async().llm().batches()}. Same arguments,
 * retries, timeouts and exceptions as {@link BatchService}; thread-safe.
 *
 * <pre>{@code
 * AsyncBatchService batches = client.async().llm().batches();
 * CompletableFuture<BatchObject> created = batches.create(CreateBatchParams.builder()
 *         .inputFileId("file_abc123")
 *         .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
 *         .build());
 * created.thenCompose(b -> batches.cancel(b.getId()))
 *        .thenAccept(b -> System.out.println(b.getStatus()));
 * // every batch, page by page, without blocking
 * batches.list().thenCompose(page -> page.forEachAsync(b -> System.out.println(b.getId())));
 * }</pre>
 *
 * <p>Bad arguments, and a call on a closed client, throw at once, as in {@link BatchService}.
 * Everything else completes the future exceptionally with the same
 * {@link com.mka1.batches.errors.Mka1Exception} the blocking call would throw ({@code join()}
 * wraps it in a {@link java.util.concurrent.CompletionException}). Waits between retries use
 * {@link Sleeper#sleepAsync}, so no thread is blocked while waiting. Cancelling a returned
 * future cancels the HTTP call in flight and any further retry. Dependent stages added without
 * an executor run on the client's dispatcher threads: keep them short, or use the
 * {@code ...Async} variants.
 */
public final class AsyncBatchService {
    private final CallExecutor executor;
    private final BatchPoller poller;

    AsyncBatchService(CallExecutor executor) {
        this.executor = executor;
        this.poller = new BatchPoller(executor.sleeper(), executor.clock());
    }

    /**
     * @param params what to run
     * @return the new batch
     * @see BatchService#create(CreateBatchParams)
     */
    public CompletableFuture<BatchObject> create(CreateBatchParams params) {
        return create(params, RequestOptions.none());
    }

    /**
     * @param params what to run
     * @param options per-call settings
     * @return the new batch
     * @see BatchService#create(CreateBatchParams, RequestOptions)
     */
    public CompletableFuture<BatchObject> create(CreateBatchParams params, RequestOptions options) {
        return value(executor.executeAsync(BatchCalls.create(params), checked(options)));
    }

    /**
     * @param batchId the batch's id
     * @return the batch
     * @see BatchService#get(String)
     */
    public CompletableFuture<BatchObject> get(String batchId) {
        return get(batchId, RequestOptions.none());
    }

    /**
     * @param batchId the batch's id
     * @param options per-call settings
     * @return the batch
     */
    public CompletableFuture<BatchObject> get(String batchId, RequestOptions options) {
        return value(executor.executeAsync(BatchCalls.get(batchId), checked(options)));
    }

    /**
     * @param batchId the batch's id
     * @return the batch, now {@code cancelling}
     * @see BatchService#cancel(String)
     */
    public CompletableFuture<BatchObject> cancel(String batchId) {
        return cancel(batchId, RequestOptions.none());
    }

    /**
     * @param batchId the batch's id
     * @param options per-call settings
     * @return the batch, now {@code cancelling}
     */
    public CompletableFuture<BatchObject> cancel(String batchId, RequestOptions options) {
        return value(executor.executeAsync(BatchCalls.cancel(batchId), checked(options)));
    }

    /** @return the first page of batches, newest first, in the server's default size */
    public CompletableFuture<AsyncBatchPage> list() {
        return list(ListBatchesParams.none(), RequestOptions.none());
    }

    /**
     * @param params page size and starting point
     * @return the page
     */
    public CompletableFuture<AsyncBatchPage> list(ListBatchesParams params) {
        return list(params, RequestOptions.none());
    }

    /**
     * @param params page size and starting point
     * @param options per-call settings, also used for the pages fetched after this one
     * @return the page; {@link AsyncBatchPage#forEachAsync} walks all batches
     */
    public CompletableFuture<AsyncBatchPage> list(ListBatchesParams params, RequestOptions options) {
        return map(executor.executeAsync(BatchCalls.list(params), checked(options)),
                raw -> new AsyncBatchPage(this, params, options, raw.value()));
    }

    /**
     * Polls the batch until it is terminal, without blocking a thread, with
     * {@link WaitOptions#defaults()}.
     *
     * <pre>{@code
     * batches.waitForCompletion(batchId)
     *        .thenAccept(done -> System.out.println(done.getId() + " ended " + done.getStatus()));
     * }</pre>
     *
     * @param batchId the batch's id
     * @return the batch in its terminal status; completes exceptionally with
     *     {@link com.mka1.batches.errors.WaitTimeoutException} if the timeout runs out first, or
     *     with the poll's exception. Cancelling it stops the polling.
     * @see BatchService#waitForCompletion(String)
     */
    public CompletableFuture<BatchObject> waitForCompletion(String batchId) {
        return waitForCompletion(batchId, WaitOptions.defaults());
    }

    /**
     * @param batchId the batch's id
     * @param options poll interval, backoff, timeout, progress callback and the options of each poll
     * @return the batch in its terminal status
     * @see #waitForCompletion(String)
     */
    public CompletableFuture<BatchObject> waitForCompletion(String batchId, WaitOptions options) {
        return poller.waitForCompletionAsync(this::get, batchId, options);
    }

    private static RequestOptions checked(RequestOptions options) {
        return Objects.requireNonNull(options, "options == null");
    }

    private static <T> CompletableFuture<T> value(CompletableFuture<RawResponse<T>> call) {
        return map(call, RawResponse::value);
    }

    /**
     * {@code call.thenApply(f)}, except that cancelling the returned future also cancels
     * {@code call} (and with it the HTTP request), which {@code thenApply} alone would not.
     */
    static <T, R> CompletableFuture<R> map(CompletableFuture<T> call, Function<T, R> f) {
        CompletableFuture<R> mapped = call.thenApply(f);
        mapped.whenComplete((value, error) -> {
            if (mapped.isCancelled()) {
                call.cancel(false);
            }
        });
        return mapped;
    }
}
