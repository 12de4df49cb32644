package com.mka1.batches;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Paces a client's waits: between the retries of a call ({@code Retry-After} or backoff), and
 * between the polls of {@code waitForCompletion}, in both modes. The default really waits; a test
 * injects one that returns at once, so no test ever sleeps.
 *
 * <pre>{@code
 * List<Duration> waits = new ArrayList<>();
 * Mka1Client client = Mka1Client.builder().apiKey(key).sleeper(waits::add).build();
 * }</pre>
 *
 * <p>A sleeper that returns at once does not move time by itself: against the embedded sandbox
 * (artifact {@code mka1-batches-sandbox}) on a fixed clock, which stands still until advanced,
 * {@code waitForCompletion} would poll a batch that never finishes. The sandbox's JUnit 5 extension,
 * {@code com.mka1.batches.sandbox.junit.Mka1SandboxExtension}, injects a client whose sleeper
 * advances the sandbox clock by each wait and whose {@link Mka1Client.Builder#clock clock} is that
 * clock, so waits and retries take no real time while batches go through their lifecycle.
 *
 * <p>Synchronous calls use {@link #sleep(Duration)} on the calling thread. Asynchronous calls use
 * {@link #sleepAsync(Duration)}, which must not block: {@link #system()} completes it from a
 * timer. The default {@code sleepAsync} calls {@code sleep} and is only right for a sleeper that
 * returns at once, like the recording one above; a custom sleeper that really waits should
 * override it too.
 */
@FunctionalInterface
public interface Sleeper {
    /**
     * Blocks for {@code duration}.
     *
     * @param duration how long to wait, never negative
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Waits for {@code duration} without blocking the calling thread.
     *
     * @param duration how long to wait, never negative
     * @return a future completed when the wait is over; failed if the wait was interrupted
     */
    default CompletableFuture<@Nullable Void> sleepAsync(Duration duration) {
        CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
        try {
            sleep(duration);
            done.complete(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(e);
        }
        return done;
    }

    /**
     * @return the default sleeper: {@link Thread#sleep(long)} for synchronous calls, a timer
     *     ({@link CompletableFuture#delayedExecutor}) that blocks no thread for asynchronous ones
     */
    static Sleeper system() {
        // Written here rather than in an internal class implementing this interface: that class and
        // this one would depend on each other (a cycle that FacadeDependencyCycleTest refuses).
        return new Sleeper() {
            @Override
            public void sleep(Duration duration) throws InterruptedException {
                Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
            }

            @Override
            public CompletableFuture<@Nullable Void> sleepAsync(Duration duration) {
                Executor timer =
                        CompletableFuture.delayedExecutor(duration.toNanos(), TimeUnit.NANOSECONDS, Runnable::run);
                return CompletableFuture.runAsync(() -> {}, timer);
            }

            @Override
            public String toString() {
                return "Sleeper.system()";
            }
        };
    }
}
