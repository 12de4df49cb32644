package com.mka1.batches;

/**
 * The LLM part of the MKA1 API: {@code client.llm()}. Mirrors the vendor SDKs'
 * {@code sdk.llm.*} namespace.
 *
 * <pre>{@code
 * BatchService batches = client.llm().batches();
 * FileService files = client.llm().files();
 * }</pre>
 */
public final class LlmService {
    private final BatchService batches;
    private final FileService files;

    LlmService(BatchService batches, FileService files) {
        this.batches = batches;
        this.files = files;
    }

    /** @return the batch operations */
    public BatchService batches() {
        return batches;
    }

    /** @return the file operations: batch inputs up, results down */
    public FileService files() {
        return files;
    }
}
