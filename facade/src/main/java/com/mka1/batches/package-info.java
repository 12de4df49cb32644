/**
 * The MKA1 Batches client: what users touch. {@link com.mka1.batches.Mka1Client} is the entry
 * point; {@code client.llm().batches()} is the {@link com.mka1.batches.BatchService} (blocking)
 * and {@code client.async().llm().batches()} the {@link com.mka1.batches.AsyncBatchService}
 * ({@code CompletableFuture}s). Beside them: the params of each operation, per-call
 * {@link com.mka1.batches.RequestOptions}, the {@link com.mka1.batches.RetryPolicy}, pages
 * ({@link com.mka1.batches.Page}), {@link com.mka1.batches.WaitOptions} and
 * {@link com.mka1.batches.BatchStatuses}. Models are generated from the OpenAPI spec into
 * {@code com.mka1.batches.models}; failures are in {@code com.mka1.batches.errors}.
 */
package com.mka1.batches;
