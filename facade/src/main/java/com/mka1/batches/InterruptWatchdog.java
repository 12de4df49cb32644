package com.mka1.batches;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;

/**
 * Makes blocking calls interruptible without moving them off the caller's thread. A thread
 * blocked in OkHttp's {@code execute()} ignores {@link Thread#interrupt()}; this watchdog looks at
 * the threads of the calls in flight every {@value #TICK_MILLIS} ms and cancels the call of an
 * interrupted one, which ends its blocking read at once. One daemon thread per client, started by
 * the first blocking call, stopped by {@link #close()}.
 */
final class InterruptWatchdog {
    static final long TICK_MILLIS = 25;

    private final Map<Call, Thread> watched = new ConcurrentHashMap<>();
    private ScheduledThreadPoolExecutor timer;
    private boolean closed;
    /** Set once the timer runs (or can no longer start): every call after that skips the lock. */
    private volatile boolean settled;

    /** Watches {@code call}, made by the current thread, until {@link #unwatch}. */
    void watch(Call call) {
        watched.put(call, Thread.currentThread());
        if (!settled) {
            ensureStarted();
        }
    }

    void unwatch(Call call) {
        watched.remove(call);
    }

    private synchronized void ensureStarted() {
        if (timer != null || closed) {
            return;
        }
        settled = true;
        timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "mka1-batches-interrupt-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::cancelInterrupted, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void cancelInterrupted() {
        watched.forEach((call, thread) -> {
            if (thread.isInterrupted()) {
                call.cancel();
            }
        });
    }

    synchronized void close() {
        closed = true;
        settled = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
