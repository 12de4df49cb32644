package com.mka1.batches.micrometer;

import com.mka1.batches.observability.AttemptResult;
import com.mka1.batches.observability.CallContext;
import com.mka1.batches.observability.CallListener;
import com.mka1.batches.observability.CallOutcome;
import com.mka1.batches.observability.CallResult;
import com.mka1.batches.observability.RetryScheduled;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;

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
 * <p>Tags (low-cardinality key values), each of few values and never an id, listed in
 * {@link Mka1ClientObservationDocumentation.LowCardinalityKeyNames}: {@code operation}
 * ({@code batches.get}, {@code files.upload}, ...; see {@code CallContext.operation()}),
 * {@code http.request.method}, {@code url.template} ({@code /api/v1/llm/batches/{batch_id}}),
 * {@code server.address}, {@code http.response.status_code} ({@code 200}, {@code 404}, ..., or
 * {@code none} when no response arrived), {@code outcome} ({@link CallOutcome}: {@code SUCCESS},
 * {@code CLIENT_ERROR}, {@code SERVER_ERROR}, {@code IO_ERROR}, {@code TIMEOUT}, ...) and
 * {@code error.type} (the exception's class name, or {@code none}); the meter handler adds
 * {@code error} (the exception's simple class name, or {@code none}). A retry is tagged with the
 * status, outcome and error type of the attempt it retries. Each timer's {@code .active} long
 * task timer has the tags known at the start (a call's or attempt's: the first four).
 *
 * <p>Span attributes (high-cardinality key values), never tags, listed in
 * {@link Mka1ClientObservationDocumentation.HighCardinalityKeyNames}: {@code mka1.request.id}
 * (the response's {@code X-Request-ID}), {@code url.path} (ids included), {@code mka1.attempt}
 * (on attempts and retries), {@code mka1.attempts} (on calls) and {@code mka1.retry.delay.ms} (on
 * retries). Span names: {@code mka1 batches.get}, {@code mka1 batches.get attempt},
 * {@code mka1 batches.get retry}. A call's observation has the
 * observation current on the thread that started the call as its parent, so its span nests
 * under, say, the server request being handled; attempts and retries are its children whatever
 * thread they run on. The listener leaves no scope open and changes no request: trace headers are not
 * sent to the API.
 *
 * <p>The names and tags come from an {@link Mka1CallObservationConvention}: the
 * {@link DefaultMka1CallObservationConvention} unless one is given to the constructor (or one
 * supporting {@link Mka1CallObservationContext} is registered on the
 * {@code ObservationRegistry}'s configuration).
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

    private static final Mka1CallObservationConvention DEFAULT = new DefaultMka1CallObservationConvention();

    private final ObservationRegistry registry;
    private final Mka1CallObservationConvention convention;

    /**
     * Observations named and tagged by the {@link DefaultMka1CallObservationConvention} (or the
     * registry's own convention for {@link Mka1CallObservationContext}, if it has one).
     *
     * @param registry where the observations go; its handlers make meters and spans of them
     * @throws NullPointerException if {@code registry} is null
     */
    public ObservationCallListener(ObservationRegistry registry) {
        this(registry, null);
    }

    /**
     * @param registry where the observations go; its handlers make meters and spans of them
     * @param convention names and tags them; {@code null} for the default
     * @throws NullPointerException if {@code registry} is null
     */
    public ObservationCallListener(ObservationRegistry registry, Mka1CallObservationConvention convention) {
        this.registry = Objects.requireNonNull(registry, "registry == null");
        this.convention = convention;
    }

    /** A not yet started observation of {@code context}, named and tagged by the convention. */
    private Observation observation(Mka1CallObservationContext context) {
        return Observation.createNotStarted(convention, DEFAULT, () -> context, registry);
    }

    @Override
    public void callStarted(CallContext call) {
        Mka1CallObservationContext context =
                new Mka1CallObservationContext(Mka1CallObservationContext.ObservationKind.CALL, call, 0);
        call.put(this, new Observed(observation(context).start(), context));
    }

    @Override
    public void attemptStarted(CallContext call, int attempt) {
        Observed observed = call.get(this, Observed.class);
        if (observed == null) {
            return;
        }
        observed.attemptContext =
                new Mka1CallObservationContext(Mka1CallObservationContext.ObservationKind.ATTEMPT, call, attempt);
        observed.attempt = startChild(observed, observed.attemptContext);
    }

    @Override
    public void attemptEnded(CallContext call, AttemptResult attempt) {
        Observed observed = call.get(this, Observed.class);
        if (observed == null || observed.attempt == null) {
            return;
        }
        stop(
                observed.attempt,
                observed.attemptContext,
                attempt.statusCode(),
                attempt.outcome(),
                attempt.requestId(),
                attempt.failure());
        observed.attempt = null;
    }

    @Override
    public void retryScheduled(CallContext call, RetryScheduled retry) {
        Observed observed = call.get(this, Observed.class);
        if (observed == null) {
            return;
        }
        Mka1CallObservationContext context =
                new Mka1CallObservationContext(Mka1CallObservationContext.ObservationKind.RETRY, call, retry.attempt());
        context.ended(retry.statusCode(), retry.reason(), null, retry.failure());
        context.retryDelay(retry.delay());
        observed.retry = startChild(observed, context);
    }

    /**
     * Ends the retry wait in progress, if any, and starts the observation of {@code context} under
     * the call's, within the call's scope (so that a tracer makes it a child span).
     */
    private Observation startChild(Observed observed, Mka1CallObservationContext context) {
        observed.endRetry();
        Observation.Scope scope = observed.call.openScope();
        try {
            return observation(context).parentObservation(observed.call).start();
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
            stop(observed.attempt, observed.attemptContext, 0, result.outcome(), null, result.failure());
        }
        observed.callContext.attempts(result.attempts());
        stop(
                observed.call,
                observed.callContext,
                result.statusCode(),
                result.outcome(),
                result.requestId(),
                result.failure());
    }

    private static void stop(
            Observation observation,
            Mka1CallObservationContext context,
            int statusCode,
            CallOutcome outcome,
            String requestId,
            Throwable failure) {
        context.ended(statusCode, outcome, requestId, failure);
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
        final Mka1CallObservationContext callContext;
        Observation attempt;
        Mka1CallObservationContext attemptContext;
        Observation retry;

        Observed(Observation call, Mka1CallObservationContext callContext) {
            this.call = call;
            this.callContext = callContext;
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
