package com.mka1.batches;

/**
 * The asynchronous view of a {@link Mka1Client}: {@code client.async()}. Same operations,
 * configuration, connection pool and lifecycle as the client it comes from; each operation
 * returns a {@link java.util.concurrent.CompletableFuture}.
 *
 * <pre>{@code
 * AsyncBatchService batches = client.async().llm().batches();
 * batches.get(batchId)
 *         .thenAccept(batch -> System.out.println(batch.getStatus()))
 *         .exceptionally(e -> { log.warn("get failed", e); return null; });
 * }</pre>
 */
public final class AsyncMka1Client {
    private final AsyncLlmService llm;

    AsyncMka1Client(AsyncLlmService llm) {
        this.llm = llm;
    }

    /** @return the asynchronous LLM operations; {@code llm().batches()} holds the batch operations */
    public AsyncLlmService llm() {
        return llm;
    }
}
