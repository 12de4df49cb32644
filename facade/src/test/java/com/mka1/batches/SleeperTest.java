package com.mka1.batches;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Sleeper}: the system sleeper's waits and the default asynchronous wait of a
 * sleeper of one's own, without waiting for real (zero or nanosecond waits, interrupted threads).
 */
class SleeperTest {
    @AfterEach
    void clearTheInterrupt() {
        Thread.interrupted();
    }

    @Test
    void theSystemSleeperIsNamedAsTheApiNamesIt() {
        assertThat(Sleeper.system()).hasToString("Sleeper.system()");
    }

    @Test
    void theSystemSleeperThrowsAtOnceOnAnInterruptedThreadWhateverTheNanoseconds() {
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> Sleeper.system().sleep(Duration.ofNanos(1))).isInstanceOf(InterruptedException.class);
    }

    @Test
    void theSystemSleepersAsynchronousWaitCompletes() throws Exception {
        CompletableFuture<Void> wait = Sleeper.system().sleepAsync(Duration.ZERO);

        assertThat(wait.get(5, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void theDefaultAsynchronousWaitOfAnInterruptedSleeperFailsAndKeepsTheInterrupt() {
        Sleeper interrupted = duration -> {
            throw new InterruptedException();
        };

        CompletableFuture<Void> wait = interrupted.sleepAsync(Duration.ofSeconds(1));

        assertThat(wait).isCompletedExceptionally();
        assertThat(Thread.currentThread().isInterrupted())
                .as("the interrupt flag is kept")
                .isTrue();
    }
}
