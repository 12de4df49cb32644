package com.mka1.batches.sandbox;

/**
 * How a sandbox departs from a well-behaved server, as {@link Mka1Sandbox.Builder} set it: batches
 * that expire part-way, a queue capacity per API key, {@code Idempotency-Key} ignored. Immutable.
 */
final class SandboxRules {
    /** No limit: the default of {@link #expireAfterLines}, {@link #expiringBatches} and {@link #queueCapacity}. */
    static final int UNLIMITED = -1;

    static final SandboxRules DEFAULT = new SandboxRules(UNLIMITED, UNLIMITED, UNLIMITED, false, false);

    /** A batch with more lines than this expires once it has processed this many; UNLIMITED: never. */
    final int expireAfterLines;
    /** How many batches expire part-way (since start or reset); UNLIMITED: every one that qualifies. */
    final int expiringBatches;
    /** The requests one API key may have in active batches; UNLIMITED: no limit. */
    final int queueCapacity;
    /** Whether a create finding its API key's queue already full is answered 429 (else it fails later). */
    final boolean refuseWhenQueueFull;

    final boolean ignoreIdempotencyKeys;

    SandboxRules(
            int expireAfterLines,
            int expiringBatches,
            int queueCapacity,
            boolean refuseWhenQueueFull,
            boolean ignoreIdempotencyKeys) {
        this.expireAfterLines = expireAfterLines;
        this.expiringBatches = expiringBatches;
        this.queueCapacity = queueCapacity;
        this.refuseWhenQueueFull = refuseWhenQueueFull;
        this.ignoreIdempotencyKeys = ignoreIdempotencyKeys;
    }
}
