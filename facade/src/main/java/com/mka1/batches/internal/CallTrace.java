package com.mka1.batches.internal;

import com.mka1.batches.observability.AttemptResult;
import com.mka1.batches.observability.CallContext;
import com.mka1.batches.observability.CallListener;
import com.mka1.batches.observability.CallResult;
import com.mka1.batches.observability.RetryScheduled;
import java.time.Clock;
import java.time.Duration;

/**
 * What the listeners hear of one call, made only when a client has listeners (or DEBUG is on):
 * the engine's decision points report here, and this turns them into events in the order
 * {@link CallListener} promises. Reports may come from several threads (an asynchronous call's
 * response on OkHttp's thread racing its cancellation on the caller's), so each is synchronized,
 * and once the call has ended every later report is dropped: each event is told exactly once,
 * never overlapping another of the same call.
 */
final class CallTrace {
    private final CallListener listener;
    private final CallContext context;
    private final Clock clock;
    private final long start;
    private int attempt;
    private long attemptStart;
    private boolean attemptOpen;
    private boolean ended;
    /** The current (or last) attempt's response status, 0 while none arrived; and its request id. */
    private int status;

    private String requestId;

    CallTrace(CallListener listener, CallContext context, Clock clock) {
        this.listener = listener;
        this.context = context;
        this.clock = clock;
        this.start = clock.millis();
        listener.callStarted(context);
    }

    synchronized void attemptStarted(int number) {
        if (ended) {
            return;
        }
        attempt = number;
        attemptStart = clock.millis();
        attemptOpen = true;
        status = 0;
        requestId = null;
        listener.attemptStarted(context, number);
    }

    /** A response's head arrived: its status and request id belong to the attempt, however it ends. */
    synchronized void responseArrived(int code, String id) {
        if (attemptOpen) {
            status = code;
            requestId = id;
        }
    }

    /** @param failure what failed the attempt, or {@code null} if its response became the value */
    synchronized void attemptEnded(Throwable failure) {
        if (ended || !attemptOpen) {
            return;
        }
        attemptOpen = false;
        listener.attemptEnded(
                context,
                new AttemptResult(
                        attempt, Listeners.outcomeOf(failure), status, since(attemptStart), requestId, failure));
    }

    synchronized void retryScheduled(Throwable failure, Duration wait, boolean serverRequested) {
        if (ended) {
            return;
        }
        listener.retryScheduled(
                context,
                new RetryScheduled(attempt, Listeners.outcomeOf(failure), status, wait, serverRequested, failure));
    }

    /**
     * Ends the call, and first the attempt still open, if any, with the same failure (the body
     * the reader refused, the interrupt, the cancellation).
     *
     * @param failure what the call throws, or {@code null} if it returns its value
     */
    synchronized void callEnded(Throwable failure) {
        if (ended) {
            return;
        }
        attemptEnded(failure);
        ended = true;
        listener.callEnded(
                context,
                new CallResult(Listeners.outcomeOf(failure), status, since(start), attempt, requestId, failure));
    }

    private Duration since(long millis) {
        return Duration.ofMillis(Math.max(0, clock.millis() - millis));
    }
}
