package com.mka1.batches;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Waits between retries. The default really waits; tests inject one that records the waits and
 * returns at once, so no test ever sleeps.
 *
 * <pre>{@code
 * List<Duration> waits = new ArrayList<>();
 * Mka1Client client = Mka1Client.builder().apiKey(key).sleeper(waits::add).build();
 * }</pre>
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
    default CompletableFuture<Void> sleepAsync(Duration duration) {
        CompletableFuture<Void> done = new CompletableFuture<>();
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
        return com.mka1.batches.internal.SystemSleeper.INSTANCE;
    }
}
