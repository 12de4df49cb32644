package com.mka1.batches;

/**
 * The asynchronous LLM operations: {@code client.async().llm()}.
 *
 * <pre>{@code
 * AsyncBatchService batches = client.async().llm().batches();
 * AsyncFileService files = client.async().llm().files();
 * }</pre>
 */
public final class AsyncLlmService {
    private final AsyncBatchService batches;
    private final AsyncFileService files;

    AsyncLlmService(AsyncBatchService batches, AsyncFileService files) {
        this.batches = batches;
        this.files = files;
    }

    /** @return the asynchronous batch operations */
    public AsyncBatchService batches() {
        return batches;
    }

    /** @return the asynchronous file operations */
    public AsyncFileService files() {
        return files;
    }
}
