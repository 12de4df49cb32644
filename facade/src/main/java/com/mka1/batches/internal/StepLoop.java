package com.mka1.batches.internal;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The one asynchronous loop of the library: start a step (an attempt's request, a poll, a page
 * fetch), and when it ends decide what follows: the result, or a pause (a wait on the client's
 * sleeper, or none) and then the next step. The engine's attempts, the poller's polls and the page
 * walk each say only what a step is and what follows it; the following, the is-done checks and
 * the chaining live here once.
 *
 * <p>Invariants: one step or pause at a time, each followed through {@link Steps}, so cancelling
 * {@link #result()} cancels the step or pause in progress; once the result is done nothing more
 * starts, and a step's value arriving after that goes to {@link #abandoned}. A step or decision
 * that throws a {@link RuntimeException} fails the result with it. The next step starts on the
 * thread that ended the pause (the caller's, for a pause already over).
 *
 * @param <S> the value of one step
 * @param <R> the value of the whole loop
 */
public abstract class StepLoop<S, R> {
    private final CompletableFuture<R> result = new CompletableFuture<>();
    private final Steps steps = new Steps(result);

    /** @return the next step, started; it should cancel its work when cancelled */
    protected abstract CompletableFuture<? extends S> step();

    /**
     * Decides after a step: either ends the loop ({@link #succeed} or {@link #fail}) and returns
     * {@code null}, or returns the pause before the next step.
     *
     * @param value the step's value, {@code null} if it failed
     * @param error the step's failure (perhaps wrapped: see {@link Steps#unwrap}), or {@code null}
     * @return the pause, or {@code null} once the loop has ended
     */
    protected abstract @Nullable CompletableFuture<?> after(@Nullable S value, @Nullable Throwable error);

    /** @return what the loop fails with when a pause fails (a wait interrupted): by default the pause's failure */
    protected Throwable pauseFailed(Throwable error) {
        return Steps.unwrap(error);
    }

    /** Releases the value of a step that ended after the loop did; nothing by default. */
    protected void abandoned(S value) {}

    /** Ends the loop with its value. */
    protected void succeed(R value) {
        result.complete(value);
    }

    /** Ends the loop with a failure. */
    protected void fail(Throwable failure) {
        result.completeExceptionally(failure);
    }

    /** @return the loop's result: its value or failure; cancelling it stops the loop */
    public final CompletableFuture<R> result() {
        return result;
    }

    /**
     * Starts the first step.
     *
     * @return {@link #result()}
     */
    public final CompletableFuture<R> start() {
        next();
        return result;
    }

    // whenComplete registers a listener; the stage it returns is dropped on purpose: nothing
    // waits on the listener, which has no result to give (the loop's result is completed by it).
    @SuppressWarnings("FutureReturnValueIgnored")
    private void next() {
        CompletableFuture<? extends S> step;
        try {
            step = step();
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        steps.follow(step).whenComplete((value, error) -> {
            if (result.isDone()) {
                if (value != null) {
                    abandoned(value);
                }
                return; // cancelled: this is the cancelled step's end
            }
            CompletableFuture<?> pause;
            try {
                pause = after(value, error);
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            if (pause == null) {
                return;
            }
            steps.follow(pause).whenComplete((ignored, pauseError) -> {
                if (result.isDone()) {
                    return;
                }
                if (pauseError != null) {
                    fail(pauseFailed(pauseError));
                } else {
                    next();
                }
            });
        });
    }
}
