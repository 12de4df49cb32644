package com.mka1.batches.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The one cancellation primitive of the asynchronous paths: a result future that waits on a chain
 * of steps (HTTP requests, retry waits, polls, page fetches), one at a time. Cancelling the result
 * cancels the step in progress; a step that cancels its own work when cancelled (as every request
 * and timer here does) thereby stops the whole chain.
 *
 * <p>Invariant: after {@link #follow} returns, either the result is not cancelled or the step
 * has been cancelled — a cancel racing the hand-over from one step to the next is never lost.
 */
public final class Steps {
    private final CompletableFuture<?> result;
    private volatile CompletableFuture<?> current;

    /** @param result the future the caller holds; its cancellation cancels the current step */
    // whenComplete registers a listener; the stage it returns is dropped on purpose: nothing
    // waits on the listener, which has no result to give.
    @SuppressWarnings("FutureReturnValueIgnored")
    public Steps(CompletableFuture<?> result) {
        this.result = result;
        result.whenComplete((value, error) -> {
            CompletableFuture<?> step = current;
            if (result.isCancelled() && step != null) {
                step.cancel(false);
            }
        });
    }

    /**
     * Makes {@code next} the step in progress.
     *
     * @return {@code next}, cancelled already if the result was
     */
    public <F extends CompletableFuture<?>> F follow(F next) {
        current = next;
        if (result.isCancelled()) {
            next.cancel(false); // the cancel came before the write above, and found the previous step
        }
        return next;
    }

    /**
     * {@code source.thenApply(f)}, except that cancelling the returned future also cancels
     * {@code source} (and with it the request behind it), which {@code thenApply} alone would not.
     */
    public static <T, R> CompletableFuture<R> map(CompletableFuture<T> source, Function<? super T, ? extends R> f) {
        CompletableFuture<R> mapped = source.thenApply(f);
        CompletableFuture<T> unused = new Steps(mapped).follow(source); // returns source, held already
        return mapped;
    }

    /** @return the exception a stage failed with, without {@link CompletionException}'s wrapper */
    public static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
