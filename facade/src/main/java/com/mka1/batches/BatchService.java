package com.mka1.batches;

import com.mka1.batches.internal.BatchOperations;
import com.mka1.batches.internal.BatchRun;
import com.mka1.batches.internal.CallEngine;
import com.mka1.batches.internal.OptionsOverlay;
import com.mka1.batches.internal.Poller;
import com.mka1.batches.internal.WorkDir;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.ListBatchesResponse;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The batch operations: {@code client.llm().batches()}. Thread-safe; get it once and share it.
 *
 * <pre>{@code
 * BatchService batches = client.llm().batches();
 * BatchObject batch = batches.create(CreateBatchParams.builder()
 *         .inputFileId("file_abc123")
 *         .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
 *         .build());
 * batch = batches.get(batch.getId());
 * for (BatchObject each : batches.list().autoPager()) {
 *     System.out.println(each.getId() + " " + each.getStatus());
 * }
 * batches.cancel(batch.getId());
 * }</pre>
 *
 * <p><b>Per-call settings</b> go through one idiom: {@link #withOptions(RequestOptions)} gives a view
 * of the same operations that sends each request with those options (laid over the client's),
 * raw view included; the service itself is left as it was.
 *
 * <pre>{@code
 * BatchObject batch = batches.withOptions(RequestOptions.builder().timeout(Duration.ofSeconds(5)).build())
 *         .get(batchId);
 * RawResponse<BatchObject> raw = batches.withOptions(RequestOptions.builder().onBehalfOf("team-a").build())
 *         .withRawResponse().get(batchId);
 * }</pre>
 *
 * <p>Arguments are checked before any request: {@code null} throws {@link NullPointerException}, a
 * blank batch id {@link IllegalArgumentException}. Failures are unchecked
 * {@link com.mka1.batches.errors.Mka1Exception}s: an
 * {@link com.mka1.batches.errors.ApiException} subclass per HTTP error status,
 * {@link com.mka1.batches.errors.Mka1IoException} when the network fails,
 * {@link com.mka1.batches.errors.InvalidResponseException} for a malformed success body, or one
 * whose ids can't be used: the server's ids (a created batch's id, a batch's file ids, a page's
 * cursor) are checked as data from outside, never with the checks of the caller's arguments.
 */
public final class BatchService {
    private final CallEngine engine;
    private final RequestOptions options;
    private final WithRawResponse raw;

    BatchService(CallEngine engine) {
        this(engine, RequestOptions.none());
    }

    private BatchService(CallEngine engine, RequestOptions options) {
        this.engine = engine;
        this.options = options;
        this.raw = new WithRawResponse(engine, options);
    }

    /**
     * The same operations, each request sent with {@code options} laid over this view's (a value
     * set in {@code options} wins, headers merge by name): for {@code list}, the pages fetched
     * after the first too; for {@code results}, the batch's read and each file's; for
     * {@code waitForCompletion}, each poll. A {@code run} or {@code resumeRun} sends each of its steps with the client's settings
     * and keys of its own, not these. This service is left unchanged; the view is as thread-safe
     * and can be kept.
     *
     * @param options per-call settings: timeouts, retries, headers, {@code X-On-Behalf-Of}, an
     *     idempotency key
     * @return a view of the same operations with these options
     */
    public BatchService withOptions(RequestOptions options) {
        return new BatchService(engine, OptionsOverlay.view(options, this.options));
    }

    /**
     * @return the same operations, with this view's options, returning status code and headers
     *     with each value
     */
    public WithRawResponse withRawResponse() {
        return raw;
    }

    /**
     * Creates and starts a batch from an uploaded JSONL file. The request carries an
     * {@code Idempotency-Key} (random unless set in the options), identical on every retry.
     *
     * @param params what to run
     * @return the new batch, usually {@code validating}
     * @throws com.mka1.batches.errors.ApiException if the server refuses
     * @throws com.mka1.batches.errors.Mka1IoException if the network fails
     * @throws com.mka1.batches.errors.InvalidResponseException if the answer's {@code id} is not a usable
     *     batch id (blank, {@code .} or {@code ..}, holding {@code /}, {@code \} or a control
     *     character, or over 256 characters); the batch may exist: sending the create again with
     *     the same idempotency key answers with it
     */
    public BatchObject create(CreateBatchParams params) {
        return raw.create(params).value();
    }

    /**
     * @param batchId the batch's id, sent as one path segment whatever it contains
     * @return the batch
     * @throws com.mka1.batches.errors.NotFoundException if there is no such batch for this key
     */
    public BatchObject get(String batchId) {
        return raw.get(batchId).value();
    }

    /**
     * Cancels a batch: it becomes {@code cancelling}, then {@code cancelled}; requests not yet
     * processed are not run. Cancelling a batch that has already ended is a conflict the server
     * answers with 409, thrown at once as {@link com.mka1.batches.errors.ConflictException}.
     *
     * @param batchId the batch's id
     * @return the batch, now {@code cancelling}
     * @throws com.mka1.batches.errors.ApiException if the batch cannot be cancelled
     */
    public BatchObject cancel(String batchId) {
        return raw.cancel(batchId).value();
    }

    /**
     * A page of batches, newest first; {@link ListBatchesParams#none()} asks for the first, in
     * the server's default size (20).
     *
     * <pre>{@code
     * for (BatchObject batch : batches.list(ListBatchesParams.none()).autoPager()) { ... }
     * }</pre>
     *
     * @param params page size and starting point
     * @return the page; the pages after it are fetched with the same options.
     *     {@link Page#autoPager()} walks all batches lazily, and throws
     *     {@link com.mka1.batches.errors.InvalidResponseException} at a page that says more follows but
     *     gives no cursor that leads on (see {@link Page#nextPage()})
     */
    public Page<BatchObject, ListBatchesParams> list(ListBatchesParams params) {
        return Page.ofBatches(engine, options, params, raw.list(params));
    }

    /**
     * Polls the batch until it is terminal ({@code completed}, {@code failed}, {@code expired} or
     * {@code cancelled}). With {@link WaitOptions#defaults()}: 2 s between polls growing to 30 s,
     * giving up after 25 h. The client's {@link Sleeper} paces the polls. A poll that
     * fails with no answer, a timeout, 408, 429 or 5xx (after its own retries) is tried again for
     * up to 30 minutes after the last poll that succeeded (the
     * {@linkplain WaitOptions#outageBudget() outage budget}), so an outage of the server or the
     * network does not end the wait.
     *
     * <pre>{@code
     * BatchObject done = batches.waitForCompletion(batch.getId(), WaitOptions.defaults());
     * if (BatchStatuses.isSucceeded(done.getStatus())) {
     *     System.out.println("results in " + done.getOutputFileId());
     * }
     * }</pre>
     *
     * @param batchId the batch's id
     * @param options poll interval, backoff, timeout, progress callback and the outage budget;
     *     each poll goes with this view's {@link RequestOptions} ({@link #withOptions})
     * @return the batch in its terminal status; the caller checks which one
     * @throws com.mka1.batches.errors.WaitTimeoutException if the timeout ran out first
     * @throws com.mka1.batches.errors.Mka1IoException if the thread is interrupted while waiting
     *     (the interrupt flag is kept set)
     * @throws com.mka1.batches.errors.Mka1Exception if a poll fails (after its retries) for a reason
     *     that does not pass (another 4xx, an invalid response), or still fails when the outage
     *     budget is spent (the outage's earlier failures suppressed)
     * @throws com.mka1.batches.errors.InvalidResponseException if a poll answers with another batch than
     *     {@code batchId} (the message names both)
     */
    public BatchObject waitForCompletion(String batchId, WaitOptions options) {
        return Poller.await(engine, batchId, options, this.options);
    }

    /**
     * Reads a finished batch, then streams its results: its output file, then its error file, one
     * {@link com.mka1.batches.jsonl.BatchResult} per line. See {@link BatchResults}.
     *
     * <pre>{@code
     * try (BatchResults results = batches.results(batchId)) {
     *     results.forEach(r -> System.out.println(r.customId() + " " + (r.isSuccess() ? "ok" : r.errorMessage())));
     * }
     * }</pre>
     *
     * @param batchId the batch's id
     * @return the results, fetched as they are iterated; close them
     * @throws IllegalStateException if the batch is not finished yet (the message names its status)
     * @throws com.mka1.batches.errors.InvalidResponseException if the batch's {@code output_file_id} or
     *     {@code error_file_id} is not a usable file id (the message names which); nothing is
     *     fetched with it
     */
    public BatchResults results(String batchId) {
        return new BatchResults(engine, raw.get(batchId), options);
    }

    /**
     * Runs many requests as one job, to one outcome per request: validates every request locally,
     * splits them into as many batches as the limits need, uploads and creates each, waits for
     * all, downloads their output and error files, and joins them to the requests in
     * {@code results.jsonl}. Blocks the calling thread until then (hours, for a large run).
     *
     * <pre>{@code
     * BatchRunResult run = client.llm().batches().run(BatchRunParams.builder()
     *         .endpoint(BatchEndpoint.EMBEDDINGS)
     *         .inputFile(Paths.get("requests.jsonl"))
     *         .workDir(Paths.get("runs/2024-06-01"))
     *         .onProgress(p -> System.out.println(p))
     *         .build());
     * try (Stream<BatchRunResult.Outcome> outcomes = run.outcomes()) {
     *     outcomes.filter(o -> o.kind() != BatchRunResult.Outcome.Kind.SUCCEEDED)
     *             .forEach(o -> System.out.println(o.customId() + ": " + o));
     * }
     * }</pre>
     *
     * <p><b>Nothing is sent before every request has been checked</b> (a {@code custom_id} on each,
     * unique in the run; method {@code POST}; {@code url} the endpoint; an object {@code body};
     * each line within {@code maxBytesPerBatch}): any problem throws
     * {@link com.mka1.batches.errors.InvalidBatchInputException} listing them all with their line
     * numbers. Memory does not grow with the requests' size: requests and results are streamed
     * through the work directory; what is held is a 64-bit hash and a number per request while
     * validating (32 MB for a million requests) and per result line of one part while joining.
     *
     * <p><b>Rounds.</b> Once every batch of a round has ended and been joined, the requests without a
     * final outcome go into the next round's batches, each request at most {@link BatchRunParams#maxAttempts()}
     * times in all. Sent again: a request its batch left without a result line when the batch
     * <em>expired</em> or <em>completed</em>; a result line with a transient {@code status_code}
     * (408, 429, 500 to 599); an {@code error} with a transient code ({@code rate_limit_exceeded},
     * {@code server_error}, {@code internal_error}, {@code service_unavailable}, {@code overloaded},
     * {@code timeout}); a success your {@link ResultCheck} asks to retry. Never sent again: any other
     * failure — other 4xx statuses, validation errors, other codes, including
     * {@code processing_error}, the API's one documented code, which says nothing of whether the
     * request can succeed (resubmitting a request that fails for what it asks pays for it again) —
     * and the requests of a batch that failed or was cancelled. Once a request's attempts are used
     * up, its last attempt is final, with a reason saying so.
     *
     * <p><b>Resumable.</b> Every step is recorded in the work directory's {@code manifest.json}
     * (written atomically; never holding the API key) before the next one starts, and the
     * {@code Idempotency-Key} of each upload and create is recorded before it is sent: after a
     * crash, {@link #resumeRun(Path)} finishes the run without uploading a part or creating a batch
     * twice, even if the process died between a request and its answer. One run at a time per work
     * directory, however it is named (a symlink, a relative path): a second run, of this JVM or of
     * another process, is refused while the first holds it, and the refusal leaves the first run's
     * lock in place.
     *
     * <p><b>Local files.</b> A file of the work directory or the input file that can't be created,
     * read, written, moved or locked (the disk full, a permission missing) throws
     * {@link com.mka1.batches.errors.LocalFileException}, naming the file and the operation; once
     * the progress callback has been called the run is resumable after the cause is mended.
     *
     * <p><b>Outages.</b> Every request of the run — uploads, creates, polls, downloads — that fails
     * with no answer, a timeout, 408, 429 or 5xx after its own retries is tried again (an upload or
     * create with the same {@code Idempotency-Key}, so never a second file or batch) for up to
     * the {@linkplain WaitOptions#outageBudget() outage budget} of the
     * {@linkplain BatchRunParams.Builder#waitOptions run's WaitOptions} (30 minutes by default)
     * after the last request that succeeded; each failure waited out is reported to the progress
     * callback ({@link BatchRunParams.Progress#outage()}).
     *
     * <p><b>Interrupts.</b> Interrupting the thread stops the run at its next request or wait with
     * {@link com.mka1.batches.errors.Mka1IoException} (interrupt flag kept); its batches go on unless
     * {@link BatchRunParams.Builder#cancelOnAbort(boolean) cancelOnAbort} is set, and
     * {@link #resumeRun(Path)} collects them later. Other failures (a request failing after its
     * retries and the outage budget, {@link com.mka1.batches.errors.WaitTimeoutException}) are
     * thrown as they are and leave the run resumable too; so is the
     * {@link com.mka1.batches.errors.InvalidResponseException} of an answer whose ids can't be used
     * (an upload's or create's {@code id}, a polled batch that is another one, a finished batch's
     * file ids): nothing of that answer is recorded, and the resume redoes the step, an upload or
     * create with the idempotency key it recorded, which the server answers with what the first
     * try made.
     *
     * @param params the requests and the run's settings
     * @return the batches, counts and outcomes
     * @throws IllegalArgumentException if the work directory is a file or already holds a run, or
     *     the input file does not exist
     * @throws IllegalStateException if another run, of this JVM or another process, holds the work directory
     * @throws com.mka1.batches.errors.InvalidBatchInputException if a request breaks the input rules
     * @throws com.mka1.batches.errors.LocalFileException if a local file can't be created, read,
     *     written, moved or locked
     */
    public BatchRunResult run(BatchRunParams params) {
        return new BatchRunResult(BatchRun.start(engine, params, WorkDir.forNewRun(params), params.resultCheck()));
    }

    /**
     * Continues a run that stopped (a crash, an interrupt, a failed request, a wait that timed
     * out) from its work directory, with {@link WaitOptions#defaults()} and no progress callback;
     * on a finished run it returns the result again, sending nothing.
     *
     * <pre>{@code
     * BatchRunResult run = client.llm().batches().resumeRun(Paths.get("runs/2024-06-01"));
     * }</pre>
     *
     * <p>Use a client with the same API key (and {@code X-On-Behalf-Of}) as the run's: its files
     * and batches belong to that key. The manifest's {@code cancelOnAbort} and {@code maxAttempts}
     * still apply; a {@link ResultCheck} is not kept there, so results joined after a resume are
     * accepted unchecked.
     *
     * <p>A manifest in which an older version of this library recorded an id the server answered
     * that is not a usable one (a create's {@code "id":""}, a batch's {@code output_file_id ".."})
     * is resumed by redoing that step: the id and what followed from it are forgotten, the upload
     * or create is sent again with its recorded key, a batch's end is polled again.
     *
     * @param workDir the run's work directory
     * @return the batches, counts and outcomes
     * @throws IllegalArgumentException if {@code workDir} holds no run manifest, or one of another
     *     format version
     * @throws IllegalStateException if another run, of this JVM or another process, holds the work directory
     * @throws com.mka1.batches.errors.LocalFileException if a file of the work directory can't be
     *     read, written, moved or locked
     * @see #run(BatchRunParams)
     */
    public BatchRunResult resumeRun(Path workDir) {
        return resumeRun(workDir, WaitOptions.defaults(), progress -> {});
    }

    /**
     * @param workDir the run's work directory
     * @param waitOptions how to wait for the run's batches
     * @param onProgress the progress summed over the run's batches, as {@link BatchRunParams.Builder#onProgress}
     * @return the batches, counts and outcomes
     * @see #resumeRun(Path)
     */
    public BatchRunResult resumeRun(
            Path workDir, WaitOptions waitOptions, Consumer<BatchRunParams.Progress> onProgress) {
        Objects.requireNonNull(waitOptions, "waitOptions == null");
        Objects.requireNonNull(onProgress, "onProgress == null");
        return new BatchRunResult(BatchRun.resume(engine, workDir, waitOptions, onProgress));
    }

    /**
     * The batch operations returning the HTTP status and headers along with the parsed value;
     * same arguments, checks and exceptions as {@link BatchService}.
     *
     * <pre>{@code
     * RawResponse<BatchObject> raw = client.llm().batches().withRawResponse().get(batchId);
     * String requestId = raw.requestId();
     * }</pre>
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
         * @see BatchService#create(CreateBatchParams)
         */
        public RawResponse<BatchObject> create(CreateBatchParams params) {
            return engine.execute(BatchOperations.create(params), options);
        }

        /**
         * @param batchId the batch's id
         * @return the batch with its response
         * @see BatchService#get(String)
         */
        public RawResponse<BatchObject> get(String batchId) {
            return engine.execute(BatchOperations.get(batchId), options);
        }

        /**
         * @param batchId the batch's id
         * @return the batch, now {@code cancelling}, with its response
         * @see BatchService#cancel(String)
         */
        public RawResponse<BatchObject> cancel(String batchId) {
            return engine.execute(BatchOperations.cancel(batchId), options);
        }

        /**
         * One page of batches as the server sent it (no paging).
         *
         * @param params which page
         * @return the page with its response
         */
        public RawResponse<ListBatchesResponse> list(ListBatchesParams params) {
            return engine.execute(BatchOperations.list(params), options);
        }
    }
}
