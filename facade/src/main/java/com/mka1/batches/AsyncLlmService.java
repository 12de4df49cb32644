package com.mka1.batches;

/**
 * The asynchronous LLM operations: {@code client.async().llm()}.
 *
 * <pre>{@code
 * AsyncBatchService batches = client.async().llm().batches();
 * }</pre>
 */
public final class AsyncLlmService {
    private final AsyncBatchService batches;

    AsyncLlmService(AsyncBatchService batches) {
        this.batches = batches;
    }

    /** @return the asynchronous batch operations */
    public AsyncBatchService batches() {
        return batches;
    }
}
