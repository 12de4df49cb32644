package com.mka1.batches;

import com.mka1.batches.internal.BatchOperations;
import com.mka1.batches.internal.BatchRun;
import com.mka1.batches.internal.CallEngine;
import com.mka1.batches.internal.OptionsOverlay;
import com.mka1.batches.internal.Poller;
import com.mka1.batches.internal.Steps;
import com.mka1.batches.internal.WorkDir;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.ListBatchesResponse;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

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
 * // status and headers with the value
 * batches.withRawResponse().get(batchId).thenAccept(raw -> System.out.println(raw.requestId()));
 * // per-call settings, as for BatchService
 * batches.withOptions(RequestOptions.builder().maxRetries(0).build()).get(batchId);
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
    private final CallEngine engine;
    private final RequestOptions options;
    private final WithRawResponse raw;

    AsyncBatchService(CallEngine engine) {
        this(engine, RequestOptions.none());
    }

    private AsyncBatchService(CallEngine engine, RequestOptions options) {
        this.engine = engine;
        this.options = options;
        this.raw = new WithRawResponse(engine, options);
    }

    /**
     * The same operations, each request sent with {@code options} laid over this view's, as
     * {@link BatchService#withOptions(RequestOptions)} does; this service is left unchanged.
     *
     * @param options per-call settings
     * @return a view of the same operations with these options
     */
    public AsyncBatchService withOptions(RequestOptions options) {
        return new AsyncBatchService(engine, OptionsOverlay.view(options, this.options));
    }

    /**
     * @return the same operations, with this view's options, completing with status code and
     *     headers along with each value
     */
    public WithRawResponse withRawResponse() {
        return raw;
    }

    /**
     * @param params what to run
     * @return the new batch
     * @see BatchService#create(CreateBatchParams)
     */
    public CompletableFuture<BatchObject> create(CreateBatchParams params) {
        return Steps.map(raw.create(params), RawResponse::value);
    }

    /**
     * @param batchId the batch's id
     * @return the batch
     * @see BatchService#get(String)
     */
    public CompletableFuture<BatchObject> get(String batchId) {
        return Steps.map(raw.get(batchId), RawResponse::value);
    }

    /**
     * @param batchId the batch's id
     * @return the batch, now {@code cancelling}
     * @see BatchService#cancel(String)
     */
    public CompletableFuture<BatchObject> cancel(String batchId) {
        return Steps.map(raw.cancel(batchId), RawResponse::value);
    }

    /**
     * @param params page size and starting point
     * @return the page; {@link Page#forEachAsync} walks all batches without blocking, the pages
     *     after it fetched with the same options
     */
    public CompletableFuture<Page<BatchObject, ListBatchesParams>> list(ListBatchesParams params) {
        return Steps.map(raw.list(params), r -> Page.ofBatches(engine, options, params, r));
    }

    /**
     * Polls the batch until it is terminal, without blocking a thread; the client's {@link Sleeper#sleepAsync} paces the polls.
     * Outages are waited out as by {@link BatchService#waitForCompletion(String, WaitOptions)}, within the
     * {@linkplain WaitOptions#outageBudget() outage budget} (30 minutes by default).
     *
     * <pre>{@code
     * batches.waitForCompletion(batchId, WaitOptions.defaults())
     *        .thenAccept(done -> System.out.println(done.getId() + " ended " + done.getStatus()));
     * }</pre>
     *
     * @param batchId the batch's id
     * @param options poll interval, backoff, timeout, progress callback and the outage budget;
     *     each poll goes with this view's {@link RequestOptions}
     * @return the batch in its terminal status; completes exceptionally with
     *     {@link com.mka1.batches.errors.WaitTimeoutException} if the timeout runs out first, or
     *     with the poll's exception (one that does not pass, or the last of an outage longer than the
     *     budget). Cancelling it stops the polling.
     * @see BatchService#waitForCompletion(String, WaitOptions)
     */
    public CompletableFuture<BatchObject> waitForCompletion(String batchId, WaitOptions options) {
        return Poller.awaitAsync(engine, batchId, options, this.options);
    }

    /**
     * Reads the batch without blocking; the results then stream as they are iterated, which
     * blocks the iterating thread (as reading any stream does).
     *
     * @param batchId the batch's id
     * @return the results; the future fails with {@link IllegalStateException} if the batch is not finished
     * @see BatchService#results(String)
     */
    public CompletableFuture<BatchResults> results(String batchId) {
        return Steps.map(raw.get(batchId), r -> new BatchResults(engine, r, options));
    }

    /**
     * Runs many requests as one job, as {@link BatchService#run(BatchRunParams)} does, on a daemon
     * thread of its own ({@code mka1-batches-run-N}): a run is hours of mostly waiting and a
     * stream of local file work, so it blocks that one thread rather than the client's.
     *
     * <pre>{@code
     * CompletableFuture<BatchRunResult> run = client.async().llm().batches().run(params);
     * run.thenAccept(r -> System.out.println(r.succeeded() + " of " + r.total() + " succeeded"));
     * // later, to stop waiting (the batches go on unless cancelOnAbort is set):
     * run.cancel(true);
     * }</pre>
     *
     * <p>Cancelling the future interrupts the run's thread, which stops at its next request or
     * wait; with {@link BatchRunParams.Builder#cancelOnAbort(boolean) cancelOnAbort} it then
     * cancels the run's batches that have not ended. Either way the work directory stays
     * resumable. The work directory is checked at once (a bad one throws here, one that can't be
     * created throws {@link com.mka1.batches.errors.LocalFileException}); everything else, the
     * input's validation, another run holding the directory ({@link IllegalStateException}) and
     * local file failures ({@link com.mka1.batches.errors.LocalFileException}) included, completes
     * the future exceptionally.
     *
     * @param params the requests and the run's settings
     * @return the run's result
     * @see BatchService#run(BatchRunParams)
     */
    public CompletableFuture<BatchRunResult> run(BatchRunParams params) {
        Path dir = WorkDir.forNewRun(params);
        return BatchRun.onOwnThread(
                () -> new BatchRunResult(BatchRun.start(engine, params, dir, params.resultCheck())));
    }

    /**
     * Continues a run from its work directory on a thread of its own, as
     * {@link BatchService#resumeRun(Path)} does.
     *
     * @param workDir the run's work directory, checked at once
     * @return the run's result; cancelling it stops the run as for {@link #run(BatchRunParams)};
     *     another run holding the directory ({@link IllegalStateException}) and local file failures
     *     ({@link com.mka1.batches.errors.LocalFileException}) complete it exceptionally
     */
    public CompletableFuture<BatchRunResult> resumeRun(Path workDir) {
        return resumeRun(workDir, WaitOptions.defaults(), progress -> {});
    }

    /**
     * @param workDir the run's work directory, checked at once
     * @param waitOptions how to wait for the run's batches
     * @param onProgress the progress summed over the run's batches
     * @return the run's result
     * @see BatchService#resumeRun(Path, WaitOptions, Consumer)
     */
    public CompletableFuture<BatchRunResult> resumeRun(
            Path workDir, WaitOptions waitOptions, Consumer<BatchRunParams.Progress> onProgress) {
        Objects.requireNonNull(waitOptions, "waitOptions == null");
        Objects.requireNonNull(onProgress, "onProgress == null");
        BatchRun.checkResumable(workDir);
        return BatchRun.onOwnThread(
                () -> new BatchRunResult(BatchRun.resume(engine, workDir, waitOptions, onProgress)));
    }

    /**
     * The batch operations completing with the HTTP status and headers along with the parsed
     * value; same arguments, checks and failures as {@link AsyncBatchService}.
     */
    public static final class WithRawResponse {
        private final CallEngine engine;
        private final RequestOptions options;

        WithRawResponse(CallEngine engine, RequestOptions options) {
            this.engine = engine;
            this.options = options;
        }

        /**
         * @param params what to run
         * @return the created batch with its response
         */
        public CompletableFuture<RawResponse<BatchObject>> create(CreateBatchParams params) {
            return engine.executeAsync(BatchOperations.create(params), options);
        }

        /**
         * @param batchId the batch's id
         * @return the batch with its response
         */
        public CompletableFuture<RawResponse<BatchObject>> get(String batchId) {
            return engine.executeAsync(BatchOperations.get(batchId), options);
        }

        /**
         * @param batchId the batch's id
         * @return the batch, now {@code cancelling}, with its response
         */
        public CompletableFuture<RawResponse<BatchObject>> cancel(String batchId) {
            return engine.executeAsync(BatchOperations.cancel(batchId), options);
        }

        /**
         * @param params which page
         * @return the page as the server sent it, with its response
         */
        public CompletableFuture<RawResponse<ListBatchesResponse>> list(ListBatchesParams params) {
            return engine.executeAsync(BatchOperations.list(params), options);
        }
    }
}
