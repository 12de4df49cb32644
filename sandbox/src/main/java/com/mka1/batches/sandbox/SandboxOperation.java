package com.mka1.batches.sandbox;

/**
 * The four operations of the MKA1 Batch API the sandbox serves, used to count requests and to
 * aim injected faults at one operation.
 *
 * <pre>{@code
 * sandbox.injectFault(FaultSpec.status(503).on(SandboxOperation.GET));
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
    CANCEL
}
