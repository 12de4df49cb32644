package com.mka1.batches;

/**
 * The LLM part of the MKA1 API: {@code client.llm()}. Mirrors the vendor SDKs'
 * {@code sdk.llm.*} namespace.
 *
 * <pre>{@code
 * BatchService batches = client.llm().batches();
 * }</pre>
 */
public final class LlmService {
    private final BatchService batches;

    LlmService(BatchService batches) {
        this.batches = batches;
    }

    /** @return the batch operations */
    public BatchService batches() {
        return batches;
    }
}
