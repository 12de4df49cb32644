package com.mka1.batches;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** {@link Sleeper#system()}: really waits, and never blocks a thread for an asynchronous wait. */
final class SystemSleeper implements Sleeper {
    static final SystemSleeper INSTANCE = new SystemSleeper();

    private SystemSleeper() {
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    }

    /**
     * Completes on the JDK's shared delay-scheduler thread; what runs next (enqueueing the next
     * attempt) is cheap, so it runs there directly instead of hopping to another pool.
     */
    @Override
    public CompletableFuture<Void> sleepAsync(Duration duration) {
        Executor timer = CompletableFuture.delayedExecutor(duration.toNanos(), TimeUnit.NANOSECONDS, Runnable::run);
        return CompletableFuture.runAsync(() -> { }, timer);
    }

    @Override
    public String toString() {
        return "Sleeper.system()";
    }
}
