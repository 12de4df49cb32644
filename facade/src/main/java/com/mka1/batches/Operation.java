package com.mka1.batches;

/** The four API operations, as the executor needs to tell them apart. */
enum Operation {
    CREATE(true),
    LIST(false),
    GET(false),
    CANCEL(false);

    /** Whether the operation creates something, so needs an {@code Idempotency-Key} to be retried safely. */
    final boolean needsIdempotencyKey;

    Operation(boolean needsIdempotencyKey) {
        this.needsIdempotencyKey = needsIdempotencyKey;
    }
}
