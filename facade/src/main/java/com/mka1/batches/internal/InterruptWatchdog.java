package com.mka1.batches.internal;

import com.mka1.batches.errors.Mka1IoException;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;

/**
 * Interrupt handling: makes blocking calls interruptible without moving them off the caller's
 * thread, and makes the one exception an interrupt raises ({@link #interrupted}). A thread
 * blocked in OkHttp's {@code execute()} ignores {@link Thread#interrupt()}; while calls are in
 * flight, this watchdog looks at their threads every {@value #TICK_MILLIS} ms and cancels the call
 * of an interrupted one, which ends its blocking read at once.
 *
 * <p>It ticks only while a blocking call is in flight: the first call to be watched starts the
 * tick, and a tick that finds nothing to watch stops it. Its one daemon thread
 * ({@code mka1-batches-interrupt-watchdog}) ends after a second without work, and
 * {@link #close()} stops it for good.
 */
final class InterruptWatchdog {
    static final long TICK_MILLIS = 25;

    private final Map<Call, Thread> watched = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    /** The running tick, or null while none runs; written under {@code this}. */
    private volatile ScheduledFuture<?> tick;

    private boolean closed;

    InterruptWatchdog() {
        timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "mka1-batches-interrupt-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        timer.setKeepAliveTime(1, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * The one exception an interrupt raises, wherever it lands (a request, a retry wait, a poll):
     * a {@link Mka1IoException} caused by an {@link InterruptedIOException}.
     */
    static Mka1IoException interrupted(String message, Throwable cause) {
        InterruptedIOException e = new InterruptedIOException("interrupted");
        e.initCause(cause);
        return new Mka1IoException(message, e);
    }

    /** Watches {@code call}, made by the current thread, until {@link #unwatch}. */
    void watch(Call call) {
        watched.put(call, Thread.currentThread());
        if (tick == null) {
            startTicking();
        }
    }

    void unwatch(Call call) {
        watched.remove(call);
    }

    private synchronized void startTicking() {
        if (tick == null && !closed) {
            tick = timer.scheduleWithFixedDelay(this::onTick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void onTick() {
        watched.forEach((call, thread) -> {
            if (thread.isInterrupted()) {
                call.cancel();
            }
        });
        if (watched.isEmpty()) {
            synchronized (this) {
                if (tick != null) {
                    tick.cancel(false);
                    tick = null;
                }
                // watch() adds, then reads the tick; this clears the tick, then reads the calls:
                // one of the two sees the other's write, so a call is never left unwatched.
                if (!watched.isEmpty()) {
                    startTicking();
                }
            }
        }
    }

    synchronized void close() {
        closed = true;
        timer.shutdownNow();
    }
}
