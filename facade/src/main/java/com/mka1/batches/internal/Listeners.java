package com.mka1.batches.internal;

import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.errors.Mka1TimeoutException;
import com.mka1.batches.observability.AttemptResult;
import com.mka1.batches.observability.CallContext;
import com.mka1.batches.observability.CallListener;
import com.mka1.batches.observability.CallOutcome;
import com.mka1.batches.observability.CallResult;
import com.mka1.batches.observability.Outage;
import com.mka1.batches.observability.RetryScheduled;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one client: the DEBUG line per attempt ({@link #ATTEMPT_LOG}) first, then the
 * user's, each guarded so that one that throws is logged and skipped, never breaking the call.
 */
final class Listeners implements CallListener {
    static final Logger LOG = LoggerFactory.getLogger("com.mka1.batches");

    /**
     * The client's one DEBUG line per attempt: {@code GET /api/v1/llm/batches/batch_1 -> 200 (attempt 1, 35 ms)}.
     * Stateless; looks at the level on each attempt, so turning DEBUG on or off takes effect at once.
     */
    static final CallListener ATTEMPT_LOG = new CallListener() {
        @Override
        public void attemptEnded(CallContext call, AttemptResult attempt) {
            if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "{} {} -> {} (attempt {}, {} ms)",
                        call.method(),
                        call.path(),
                        answer(attempt),
                        attempt.attempt(),
                        attempt.duration().toMillis());
            }
        }

        private String answer(AttemptResult attempt) {
            switch (attempt.outcome()) {
                case IO_ERROR:
                case TIMEOUT:
                    return "I/O failure";
                case CANCELLED:
                    return "cancelled";
                default:
                    return attempt.statusCode() == 0 ? attempt.outcome().name() : String.valueOf(attempt.statusCode());
            }
        }

        @Override
        public String toString() {
            return "the client's DEBUG log";
        }
    };

    private final CallListener[] listeners;

    private Listeners(CallListener[] listeners) {
        this.listeners = listeners;
    }

    /**
     * @param user the user's listeners, in order
     * @return the attempt log followed by the user's listeners, guarded; or {@code null} if there
     *     are none (the engine then uses {@link #ATTEMPT_LOG} alone, and only while DEBUG is on)
     */
    static CallListener of(List<CallListener> user) {
        if (user.isEmpty()) {
            return null;
        }
        List<CallListener> all = new ArrayList<>(user.size() + 1);
        all.add(ATTEMPT_LOG);
        for (CallListener listener : user) {
            all.add(new Guarded(listener));
        }
        return new Listeners(all.toArray(new CallListener[0]));
    }

    @Override
    public void callStarted(CallContext call) {
        for (CallListener listener : listeners) {
            listener.callStarted(call);
        }
    }

    @Override
    public void attemptStarted(CallContext call, int attempt) {
        for (CallListener listener : listeners) {
            listener.attemptStarted(call, attempt);
        }
    }

    @Override
    public void attemptEnded(CallContext call, AttemptResult attempt) {
        for (CallListener listener : listeners) {
            listener.attemptEnded(call, attempt);
        }
    }

    @Override
    public void retryScheduled(CallContext call, RetryScheduled retry) {
        for (CallListener listener : listeners) {
            listener.retryScheduled(call, retry);
        }
    }

    @Override
    public void callEnded(CallContext call, CallResult result) {
        for (CallListener listener : listeners) {
            listener.callEnded(call, result);
        }
    }

    @Override
    public void outageRetryScheduled(Outage outage) {
        for (CallListener listener : listeners) {
            listener.outageRetryScheduled(outage);
        }
    }

    /**
     * One user listener, whose exceptions never reach the call: the first is logged at WARN with
     * its stack trace, later ones at DEBUG, so a broken listener cannot flood the log.
     */
    private static final class Guarded implements CallListener {
        private final CallListener listener;
        private final AtomicBoolean warned = new AtomicBoolean();

        Guarded(CallListener listener) {
            this.listener = listener;
        }

        @Override
        public void callStarted(CallContext call) {
            try {
                listener.callStarted(call);
            } catch (Throwable e) {
                failed("callStarted", call.operation(), e);
            }
        }

        @Override
        public void attemptStarted(CallContext call, int attempt) {
            try {
                listener.attemptStarted(call, attempt);
            } catch (Throwable e) {
                failed("attemptStarted", call.operation(), e);
            }
        }

        @Override
        public void attemptEnded(CallContext call, AttemptResult attempt) {
            try {
                listener.attemptEnded(call, attempt);
            } catch (Throwable e) {
                failed("attemptEnded", call.operation(), e);
            }
        }

        @Override
        public void retryScheduled(CallContext call, RetryScheduled retry) {
            try {
                listener.retryScheduled(call, retry);
            } catch (Throwable e) {
                failed("retryScheduled", call.operation(), e);
            }
        }

        @Override
        public void callEnded(CallContext call, CallResult result) {
            try {
                listener.callEnded(call, result);
            } catch (Throwable e) {
                failed("callEnded", call.operation(), e);
            }
        }

        @Override
        public void outageRetryScheduled(Outage outage) {
            try {
                listener.outageRetryScheduled(outage);
            } catch (Throwable e) {
                failed("outageRetryScheduled", "a wait", e);
            }
        }

        private void failed(String event, String of, Throwable e) {
            if (e instanceof VirtualMachineError) {
                throw (VirtualMachineError) e; // out of memory or stack: nothing sensible goes on
            }
            if (warned.compareAndSet(false, true)) {
                LOG.warn(
                        "CallListener {} threw in {} of {}; the call goes on (later failures of this listener"
                                + " are logged at DEBUG)",
                        listener.getClass().getName(),
                        event,
                        of,
                        e);
            } else {
                LOG.debug(
                        "CallListener {} threw in {} of {}", listener.getClass().getName(), event, of, e);
            }
        }
    }

    /** @return how a call or attempt that ended with {@code failure} (null for success) ended */
    static CallOutcome outcomeOf(Throwable failure) {
        if (failure == null) {
            return CallOutcome.SUCCESS;
        }
        if (failure instanceof ApiException) {
            return ((ApiException) failure).statusCode() >= 500 ? CallOutcome.SERVER_ERROR : CallOutcome.CLIENT_ERROR;
        }
        if (failure instanceof Mka1TimeoutException) {
            return CallOutcome.TIMEOUT;
        }
        if (failure instanceof InvalidResponseException) {
            return CallOutcome.INVALID_RESPONSE;
        }
        if (failure instanceof CancellationException) {
            return CallOutcome.CANCELLED;
        }
        if (failure instanceof Mka1IoException) {
            // An interrupt is the one Mka1IoException caused by an InterruptedIOException that is
            // not a timeout (see CallEngine.interrupted).
            return failure.getCause() instanceof InterruptedIOException ? CallOutcome.CANCELLED : CallOutcome.IO_ERROR;
        }
        return CallOutcome.ERROR;
    }
}
