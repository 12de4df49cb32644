package com.mka1.batches.sandbox;

import java.time.Instant;
import java.util.Collection;

/**
 * How a sandbox departs from a well-behaved server, as {@link Mka1Sandbox.Builder} set it: batches
 * that expire part-way, a queue capacity per API key, {@code Idempotency-Key} ignored; and what they
 * decide when a batch is created. Immutable.
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

    /**
     * The input of a batch to create, or a refusal when it would take its API key's queue over
     * {@link #queueCapacity}.
     *
     * @param batches every batch, of every scope
     * @throws ApiError 429 when the queue is already full and {@link #refuseWhenQueueFull}
     */
    InputFile admit(String scope, InputFile input, Collection<BatchRecord> batches, Instant now) {
        if (queueCapacity == UNLIMITED || !input.isValid()) {
            return input;
        }
        // The queue is the API key's, whatever X-On-Behalf-Of user the batches belong to.
        String apiKey = apiKeyOf(scope);
        int queued = 0;
        for (BatchRecord each : batches) {
            if (apiKeyOf(each.scope).equals(apiKey) && !each.statusAt(now).isTerminal()) {
                queued += each.queuedRequests();
            }
        }
        if (refuseWhenQueueFull && queued >= queueCapacity) {
            throw ApiError.queueFull();
        }
        int requests = input.lines.size();
        return queued + requests > queueCapacity ? InputFile.overQueueCapacity(queued, requests, queueCapacity) : input;
    }

    /** Whether a batch of this input expires part-way, when {@code expiredSoFar} batches already have. */
    boolean expiresPartWay(InputFile input, int expiredSoFar) {
        return expireAfterLines != UNLIMITED
                && input.isValid()
                && input.lines.size() > expireAfterLines
                && (expiringBatches == UNLIMITED || expiredSoFar < expiringBatches);
    }

    /** The API key part of a scope (its SHA-256 digest; see {@link SandboxState#scope}). */
    private static String apiKeyOf(String scope) {
        return scope.substring(0, scope.indexOf('\n'));
    }
}
