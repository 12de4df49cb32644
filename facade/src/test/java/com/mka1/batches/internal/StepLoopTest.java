package com.mka1.batches.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * {@link StepLoop}'s own contract, beyond what the engine, poller and page walk tests show through
 * it: a failed pause ends the loop, a cancel reaches the pause in progress, and a step that ends
 * after the loop did is handed back for release.
 */
class StepLoopTest {
    /** Each step is the next of {@code steps}; after each, the loop pauses on {@code pause}. */
    private static final class Loop extends StepLoop<String, String> {
        final List<CompletableFuture<String>> steps = new ArrayList<>();
        final CompletableFuture<Void> pause;
        final List<String> abandoned = new ArrayList<>();
        int started;

        Loop(CompletableFuture<Void> pause, CompletableFuture<String> step) {
            this.pause = pause;
            steps.add(step);
        }

        @Override
        protected CompletableFuture<String> step() {
            return steps.get(started++);
        }

        @Override
        protected CompletableFuture<?> after(String value, Throwable error) {
            return pause;
        }

        @Override
        protected void abandoned(String value) {
            abandoned.add(value);
        }
    }

    @Test
    void aFailedPauseEndsTheLoopWithThePausesFailureAndStartsNoOtherStep() {
        IOException interrupted = new IOException("interrupted");
        Loop loop = new Loop(CompletableFuture.failedFuture(interrupted), CompletableFuture.completedFuture("first"));

        CompletableFuture<String> result = loop.start();

        assertThat(result)
                .failsWithin(java.time.Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isSameAs(interrupted);
        assertThat(loop.started).isEqualTo(1);
    }

    @Test
    void cancellingTheResultCancelsThePauseInProgressAndStartsNoOtherStep() {
        Loop loop = new Loop(new CompletableFuture<>(), CompletableFuture.completedFuture("first"));
        CompletableFuture<String> result = loop.start();

        result.cancel(false);

        assertThat(loop.pause).isCancelled();
        assertThat(loop.started).isEqualTo(1);
    }

    @Test
    void aStepThatEndsAfterTheLoopEndedIsHandedBackForRelease() {
        CompletableFuture<String> step = new CompletableFuture<>();
        Loop loop = new Loop(new CompletableFuture<>(), step);
        CompletableFuture<String> result = loop.start();

        result.complete("ended by its holder");
        step.complete("a response nobody reads");

        assertThat(loop.abandoned).containsExactly("a response nobody reads");
        assertThat(loop.pause).isNotDone();
    }
}
