package com.mka1.batches.internal;

import com.mka1.batches.Mka1Client;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** {@link Mka1Client.Sleeper#system()}: real waits; asynchronous ones on a timer, blocking no thread. */
public final class SystemSleeper implements Mka1Client.Sleeper {
    /** The one instance. */
    public static final SystemSleeper INSTANCE = new SystemSleeper();

    private SystemSleeper() {
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    }

    @Override
    public CompletableFuture<Void> sleepAsync(Duration duration) {
        Executor timer = CompletableFuture.delayedExecutor(duration.toNanos(), TimeUnit.NANOSECONDS, Runnable::run);
        return CompletableFuture.runAsync(() -> { }, timer);
    }

    @Override
    public String toString() {
        return "Mka1Client.Sleeper.system()";
    }
}
