package com.mka1.batches.micrometer;

import com.mka1.batches.observability.AttemptResult;
import com.mka1.batches.observability.CallContext;
import com.mka1.batches.observability.CallListener;
import com.mka1.batches.observability.CallResult;
import com.mka1.batches.observability.Outcome;
import com.mka1.batches.observability.RetryScheduled;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Makes Micrometer observations of a client's calls: one per call, one per attempt (a child of
 * its call's) and one per retry's wait. With a meter handler on the registry (Spring Boot
 * registers one; by hand, micrometer-core's {@code DefaultMeterObservationHandler}) they become
 * timers; with micrometer-tracing's handlers, spans.
 *
 * <pre>{@code
 * ObservationRegistry observations = ObservationRegistry.create();
 * observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meterRegistry));
 * Mka1Client client = Mka1Client.builder()
 *         .apiKey(key)
 *         .addListener(new ObservationCallListener(observations))
 *         .build();
 * }</pre>
 *
 * <table>
 *   <caption>Observations, and the meters the default meter handler makes of them</caption>
 *   <tr><th>Observation (timer)</th><th>One per</th><th>Its time</th></tr>
 *   <tr><td>{@value #CALLS}</td><td>call</td><td>the whole call: attempts and waits between them</td></tr>
 *   <tr><td>{@value #ATTEMPTS}</td><td>attempt</td><td>one HTTP exchange</td></tr>
 *   <tr><td>{@value #RETRIES}</td><td>retry</td><td>the wait before it: the timer's count is
 *       the number of retries, its total the time spent waiting to retry</td></tr>
 * </table>
 *
 * <p>Tags (low-cardinality key values), each of few values: {@value #OPERATION}
 * ({@code batches.get}, {@code files.upload}, ...; see {@code CallContext.operation()}),
 * {@value #STATUS_CLASS} ({@code 2xx}, {@code 4xx}, {@code 5xx}, or {@code none} when no response
 * arrived) and {@value #OUTCOME} ({@link Outcome}: {@code SUCCESS}, {@code CLIENT_ERROR},
 * {@code SERVER_ERROR}, {@code IO_ERROR}, {@code TIMEOUT}, ...); the meter handler adds
 * {@code error} (the exception's simple class name, or {@code none}). A retry is tagged with the
 * status class and outcome of the attempt it retries. Each timer's {@code .active} long task
 * timer (made at the start) has the {@value #OPERATION} tag alone, a retry's all three. No tag
 * ever holds an id.
 *
 * <p>Span attributes (high-cardinality key values), never tags: {@value #REQUEST_ID} (the
 * response's {@code X-Request-ID}), {@value #HTTP_METHOD}, {@value #URL_PATH} (ids included),
 * {@value #ATTEMPT} (on attempts), {@value #ATTEMPT_COUNT} (on calls) and {@value #RETRY_DELAY}
 * (on retries, in milliseconds). Span names: {@code mka1 batches.get},
 * {@code mka1 batches.get attempt}, {@code mka1 batches.get retry}. A call's observation has the
 * observation current on the thread that started the call as its parent, so its span nests
 * under, say, the server request being handled; attempts and retries are its children whatever
 * thread they run on. The listener leaves no scope open and changes no request: trace headers are not
 * sent to the API.
 *
 * <p>Thread-safe; one listener serves any number of clients.
 */
public final class ObservationCallListener implements CallListener {
    /** The observation (and timer) of each call. */
    public static final String CALLS = "mka1.client.calls";
    /** The observation (and timer) of each attempt. */
    public static final String ATTEMPTS = "mka1.client.attempts";
    /** The observation (and timer) of each retry's wait. */
    public static final String RETRIES = "mka1.client.retries";

    /** Tag: the operation, such as {@code batches.get}. */
    public static final String OPERATION = "operation";
    /** Tag: {@code 2xx}, {@code 4xx}, {@code 5xx} (or another class), or {@code none}. */
    public static final String STATUS_CLASS = "status.class";
    /** Tag: the {@link Outcome}'s name. */
    public static final String OUTCOME = "outcome";

    /** Span attribute: the response's {@code X-Request-ID}. */
    public static final String REQUEST_ID = "mka1.request.id";
    /** Span attribute: the HTTP method. */
    public static final String HTTP_METHOD = "http.request.method";
    /** Span attribute: the URL path, ids included. */
    public static final String URL_PATH = "url.path";
    /** Span attribute of an attempt: its number, from 1. */
    public static final String ATTEMPT = "mka1.attempt";
    /** Span attribute of a call: how many attempts it made. */
    public static final String ATTEMPT_COUNT = "mka1.attempts";
    /** Span attribute of a retry: the wait before it, in milliseconds. */
    public static final String RETRY_DELAY = "mka1.retry.delay.ms";

    private final ObservationRegistry registry;

    /**
     * @param registry where the observations go; its handlers make meters and spans of them
     * @throws NullPointerException if {@code registry} is null
     */
    public ObservationCallListener(ObservationRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry == null");
    }

    @Override
    public void callStarted(CallContext call) {
        Observation observation = Observation.createNotStarted(CALLS, Observation.Context::new, registry)
                .contextualName("mka1 " + call.operation())
                .lowCardinalityKeyValue(OPERATION, call.operation())
                .highCardinalityKeyValue(HTTP_METHOD, call.method())
                .highCardinalityKeyValue(URL_PATH, call.path())
                .start();
        call.put(this, new Observed(observation));
    }

    @Override
    public void attemptStarted(CallContext call, int attempt) {
        Observed observed = call.get(this, Observed.class);
        if (observed == null) {
            return;
        }
        observed.attempt = startChild(observed, call, ATTEMPTS, "attempt", child -> child
                .highCardinalityKeyValue(ATTEMPT, Integer.toString(attempt))
                .highCardinalityKeyValue(HTTP_METHOD, call.method())
                .highCardinalityKeyValue(URL_PATH, call.path()));
    }

    @Override
    public void attemptEnded(CallContext call, AttemptResult attempt) {
        Observed observed = call.get(this, Observed.class);
        if (observed == null || observed.attempt == null) {
            return;
        }
        stop(observed.attempt, attempt.statusClass(), attempt.outcome(), attempt.requestId(), attempt.failure());
        observed.attempt = null;
    }

    @Override
    public void retryScheduled(CallContext call, RetryScheduled retry) {
        Observed observed = call.get(this, Observed.class);
        if (observed == null) {
            return;
        }
        observed.retry = startChild(observed, call, RETRIES, "retry", child -> child
                .lowCardinalityKeyValue(STATUS_CLASS, retry.statusClass())
                .lowCardinalityKeyValue(OUTCOME, retry.reason().name())
                .highCardinalityKeyValue(RETRY_DELAY, Long.toString(retry.delay().toMillis())));
    }

    /**
     * Ends the retry wait in progress, if any, and starts an observation of {@code what} under the
     * call's, within the call's scope (so that a tracer makes it a child span), with the key values
     * every observation of the call has and those {@code keyValues} adds.
     */
    private Observation startChild(Observed observed, CallContext call, String name, String what,
            UnaryOperator<Observation> keyValues) {
        observed.endRetry();
        Observation.Scope scope = observed.call.openScope();
        try {
            return keyValues.apply(Observation.createNotStarted(name, Observation.Context::new, registry)
                            .parentObservation(observed.call)
                            .contextualName("mka1 " + call.operation() + " " + what)
                            .lowCardinalityKeyValue(OPERATION, call.operation()))
                    .start();
        } finally {
            scope.close();
        }
    }

    @Override
    public void callEnded(CallContext call, CallResult result) {
        Observed observed = call.get(this, Observed.class);
        if (observed == null) {
            return;
        }
        call.put(this, null);
        observed.endRetry();
        if (observed.attempt != null) { // the client ends every attempt first; a listener never assumes it
            stop(observed.attempt, "none", result.outcome(), null, result.failure());
        }
        observed.call.highCardinalityKeyValue(ATTEMPT_COUNT, Integer.toString(result.attempts()));
        stop(observed.call, result.statusClass(), result.outcome(), result.requestId(), result.failure());
    }

    private static void stop(Observation observation, String statusClass, Outcome outcome, String requestId,
                             Throwable failure) {
        observation.lowCardinalityKeyValue(STATUS_CLASS, statusClass)
                .lowCardinalityKeyValue(OUTCOME, outcome.name());
        if (requestId != null) {
            observation.highCardinalityKeyValue(REQUEST_ID, requestId);
        }
        if (failure != null) {
            observation.error(failure);
        }
        observation.stop();
    }

    @Override
    public String toString() {
        return "ObservationCallListener{" + registry + '}';
    }

    /**
     * This listener's observations of one call; the client tells the events of a call one at a
     * time. A child starts with its call's scope open for that instant: a tracing handler takes
     * the current span for the parent when it differs from the parent observation's, and on the
     * caller's thread the current span is the caller's own.
     */
    private static final class Observed {
        final Observation call;
        Observation attempt;
        Observation retry;

        Observed(Observation call) {
            this.call = call;
        }

        /** The wait is over: the next attempt starts, or the call ends (cancelled during the wait, say). */
        void endRetry() {
            if (retry != null) {
                retry.stop();
                retry = null;
            }
        }
    }
}
