package com.mka1.batches.sandbox;

/**
 * The operations of the MKA1 API the sandbox serves (four for batches, five for files), used to
 * count requests and to aim injected faults at one operation.
 *
 * <pre>{@code
 * sandbox.injectFault(FaultSpec.status(503).on(SandboxOperation.GET));
 * sandbox.injectFault(FaultSpec.cutBodyAfter(1024).on(SandboxOperation.GET_FILE_CONTENT));
 * assertThat(sandbox.requestCount(SandboxOperation.CREATE)).isEqualTo(1);
 * }</pre>
 */
public enum SandboxOperation {
    /** {@code POST /api/v1/llm/batches}. */
    CREATE,
    /** {@code GET /api/v1/llm/batches}. */
    LIST,
    /** {@code GET /api/v1/llm/batches/{batch_id}}. */
    GET,
    /** {@code POST /api/v1/llm/batches/{batch_id}/cancel}. */
    CANCEL,
    /** {@code POST /api/v1/llm/files} (multipart upload). */
    UPLOAD_FILE,
    /** {@code GET /api/v1/llm/files}. */
    LIST_FILES,
    /** {@code GET /api/v1/llm/files/{file_id}}. */
    GET_FILE,
    /** {@code GET /api/v1/llm/files/{file_id}/content}. */
    GET_FILE_CONTENT,
    /** {@code DELETE /api/v1/llm/files/{file_id}}. */
    DELETE_FILE
}
