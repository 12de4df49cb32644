package com.mka1.batches.micrometer;

import com.mka1.batches.observability.CallContext;
import com.mka1.batches.observability.CallOutcome;
import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.Objects;

/**
 * What an {@link Mka1CallObservationConvention} reads to name and tag an observation of the
 * client: which of the three observations it is ({@link #kind()}), the call ({@link #call()}:
 * operation, method, path, host) and, as they become known, the status, outcome, failure and
 * request id.
 *
 * <p>The listener fills it; a convention only reads it. An observation of a call or an attempt
 * has no {@link #outcome()} until it ends; a retry's is the retried attempt's from the start.
 */
public class Mka1CallObservationContext extends Observation.Context {
    /** The three observations {@link ObservationCallListener} makes. */
    public enum ObservationKind {
        /** A whole call, named {@value ObservationCallListener#CALLS}. */
        CALL(ObservationCallListener.CALLS),
        /** One attempt (one HTTP exchange), named {@value ObservationCallListener#ATTEMPTS}. */
        ATTEMPT(ObservationCallListener.ATTEMPTS),
        /** The wait before a retry, named {@value ObservationCallListener#RETRIES}. */
        RETRY(ObservationCallListener.RETRIES);

        private final String observationName;

        ObservationKind(String observationName) {
            this.observationName = observationName;
        }

        /** @return the observation's (and the timer's) name */
        public String observationName() {
            return observationName;
        }
    }

    private final ObservationKind kind;
    private final CallContext call;
    private final int attempt;
    private volatile int statusCode;
    private volatile CallOutcome outcome;
    private volatile String requestId;
    private volatile Throwable failure;
    private volatile int attempts;
    private volatile Duration retryDelay;

    /**
     * @param kind which observation
     * @param call the call observed
     * @param attempt the attempt's number from 1 (for a retry: the attempt retried; 0 for a call)
     * @throws NullPointerException if {@code kind} or {@code call} is null
     */
    // JDK 21+ lint: setName is Observation.Context's own setter, called last; a subclass that
    // overrides it sees this context's fields set already.
    @SuppressWarnings("this-escape")
    public Mka1CallObservationContext(ObservationKind kind, CallContext call, int attempt) {
        this.kind = Objects.requireNonNull(kind, "kind == null");
        this.call = Objects.requireNonNull(call, "call == null");
        this.attempt = attempt;
        setName(kind.observationName());
    }

    /** @return which of the three observations this is */
    public ObservationKind kind() {
        return kind;
    }

    /** @return the call observed: its operation, method, path (ids included) and host */
    public CallContext call() {
        return call;
    }

    /** @return the attempt's number from 1 (a retry: the attempt it retries; a call: 0) */
    public int attempt() {
        return attempt;
    }

    /** @return the HTTP status received, or 0 if none (yet, or ever) */
    public int statusCode() {
        return statusCode;
    }

    /** @return how it ended, or {@code null} while a call or attempt is in progress */
    public CallOutcome outcome() {
        return outcome;
    }

    /** @return the response's {@code X-Request-ID}, or {@code null} */
    public String requestId() {
        return requestId;
    }

    /**
     * @return the call's or attempt's failure (also its {@link #getError()}); for a retry, the
     *     retried attempt's; {@code null} if none
     */
    public Throwable failure() {
        return failure;
    }

    /** @return for a call that ended, the attempts it made; otherwise 0 */
    public int attempts() {
        return attempts;
    }

    /** @return for a retry, the wait before it; otherwise {@code null} */
    public Duration retryDelay() {
        return retryDelay;
    }

    /** How it ended; called by the listener before the observation stops (or a retry starts). */
    void ended(int statusCode, CallOutcome outcome, String requestId, Throwable failure) {
        this.statusCode = statusCode;
        this.outcome = outcome;
        this.requestId = requestId;
        this.failure = failure;
    }

    void attempts(int attempts) {
        this.attempts = attempts;
    }

    void retryDelay(Duration retryDelay) {
        this.retryDelay = retryDelay;
    }
}
