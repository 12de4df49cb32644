/**
 * The MKA1 Batches client: what users touch. {@link com.mka1.batches.Mka1Client} is the entry
 * point; {@code client.llm().batches()} is the {@link com.mka1.batches.BatchService} and
 * {@code client.llm().files()} the {@link com.mka1.batches.FileService} (blocking);
 * {@code client.async().llm()} has the same as {@link com.mka1.batches.AsyncBatchService} and
 * {@link com.mka1.batches.AsyncFileService} ({@code CompletableFuture}s). Beside them: the params
 * of each operation, per-call {@link com.mka1.batches.RequestOptions}, the
 * {@link com.mka1.batches.RetryPolicy}, pages ({@link com.mka1.batches.Page}), streamed file
 * content ({@link com.mka1.batches.FileContent}), {@link com.mka1.batches.WaitOptions},
 * {@link com.mka1.batches.BatchStatuses}, and the batch run: many requests as one resumable job,
 * {@link com.mka1.batches.BatchRunParams} in, {@link com.mka1.batches.BatchRunResult} out. Models are generated from the OpenAPI spec into
 * {@code com.mka1.batches.models}; failures are in {@code com.mka1.batches.errors}; the hook for
 * metrics, traces and logs of every call ({@code Mka1Client.builder().addListener(..)}) is in
 * {@code com.mka1.batches.observability}.
 *
 * <p>Null-marked (JSpecify): no parameter or return value here is null unless its type says
 * {@code @Nullable}.
 */
@NullMarked
package com.mka1.batches;

import org.jspecify.annotations.NullMarked;
