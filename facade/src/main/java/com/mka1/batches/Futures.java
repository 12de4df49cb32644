package com.mka1.batches;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** What the asynchronous paths (calls, waits, page walks) share about futures. */
final class Futures {
    private Futures() {
    }

    /** @return the exception a stage failed with, without {@link CompletionException}'s wrapper */
    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /**
     * The steps (requests, timers) that one result future waits on, one after another: cancelling
     * the result cancels the step in progress.
     */
    static final class Steps {
        private final CompletableFuture<?> result;
        private volatile CompletableFuture<?> current;

        Steps(CompletableFuture<?> result) {
            this.result = result;
            result.whenComplete((value, error) -> {
                CompletableFuture<?> step = current;
                if (result.isCancelled() && step != null) {
                    step.cancel(false);
                }
            });
        }

        /**
         * Makes {@code next} the step in progress. Checked again after the write: a cancel that
         * came just before it found the previous step.
         *
         * @return {@code next}
         */
        <F extends CompletableFuture<?>> F follow(F next) {
            current = next;
            if (result.isCancelled()) {
                next.cancel(false);
            }
            return next;
        }
    }
}
