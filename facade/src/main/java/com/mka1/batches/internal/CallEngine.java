package com.mka1.batches.internal;

import com.mka1.batches.RawResponse;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.Sleeper;
import com.mka1.batches.errors.Mka1Exception;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.observability.CallListener;
import com.mka1.batches.observability.Outage;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * Runs API calls: one per {@code Mka1Client}, thread-safe. It wires one decision core and two
 * drivers, each in a file of its own:
 * <ul>
 *   <li>{@link Attempts}, the mode-free core: every decision about the attempts of one call (the
 *       request and its headers, the timeouts, whether and when to retry, how a response maps to
 *       a value or a typed exception), on top of the client-wide {@link CallSetup};</li>
 *   <li>{@link BlockingDriver} ({@link #execute}) blocks on the caller's thread, watched by an
 *       {@link InterruptWatchdog} so that interrupting the thread cancels the request;</li>
 *   <li>{@link AsyncDriver} ({@link #executeAsync}) enqueues requests and waits on
 *       {@link Sleeper#sleepAsync} timers, as a {@link StepLoop}, so cancelling the returned
 *       future cancels the request or wait in progress.</li>
 * </ul>
 * Retrofit only builds requests from the generated interfaces ({@link RetrofitRequests}); OkHttp
 * sends them, with {@link PhaseTracker} among its network interceptors.
 *
 * <p>The core also reports to the client's {@link CallListener}s, through a {@link CallTrace} per
 * call: the call's start, each attempt's start and end, each retry, and the call's end, the
 * same in both modes. A client without listeners, logging below DEBUG, makes no trace: one
 * check per call, and nothing built.
 */
public final class CallEngine {
    private final CallSetup setup;
    private final Sleeper sleeper;
    private final BlockingDriver blocking;

    /**
     * @param http the client to send on; built with {@link #phaseTracker()} among its network interceptors
     * @param baseUrl the API's base URL, ending in {@code /}
     * @param apiKey the bearer token
     * @param userAgent the {@code User-Agent} of every request
     * @param defaults the client-wide options each call's options are laid over
     * @param sleeper waits between retries and polls
     * @param clock the time source for retry budgets, deadlines and {@code Retry-After} dates
     * @param listeners the user's listeners, in the order they are told; may be empty
     */
    public CallEngine(
            OkHttpClient http,
            HttpUrl baseUrl,
            String apiKey,
            String userAgent,
            RequestOptions defaults,
            Sleeper sleeper,
            Clock clock,
            List<CallListener> listeners) {
        this.setup = new CallSetup(http, baseUrl, apiKey, userAgent, defaults, clock, listeners);
        this.sleeper = sleeper;
        this.blocking = new BlockingDriver(sleeper);
    }

    /** @return the sleeper, for waits outside a call (polls) */
    public Sleeper sleeper() {
        return sleeper;
    }

    /** @return the clock, for waits outside a call (polls) */
    public Clock clock() {
        return setup.clock;
    }

    /** Tells the client's listeners that a wait or run is waiting out an outage (see {@link OutageBudget}). */
    void outageRetryScheduled(Outage outage) {
        if (setup.listeners != null) {
            setup.listeners.outageRetryScheduled(outage);
        }
    }

    /**
     * Marks the engine closed: later calls, and later attempts of calls in flight, throw
     * {@link IllegalStateException}; stops the interrupt watchdog.
     *
     * @return whether this call closed it (so the caller's own cleanup runs once)
     */
    public boolean close() {
        if (!setup.close()) {
            return false;
        }
        blocking.close();
        return true;
    }

    /**
     * Runs {@code call} on the caller's thread, retrying as its options allow.
     *
     * @throws Mka1Exception the typed failure; {@link Mka1IoException} with the interrupt flag kept
     *     if the thread is interrupted
     */
    public <T> RawResponse<T> execute(ApiCall<T> call, RequestOptions options) {
        return blocking.execute(new Attempts<>(setup, call, options));
    }

    /**
     * Like {@link #execute}, without blocking: the returned future completes with the value or the
     * same typed failure; cancelling it cancels the request or retry wait in progress. Bad
     * arguments and a closed engine throw at once.
     */
    public <T> CompletableFuture<RawResponse<T>> executeAsync(ApiCall<T> call, RequestOptions options) {
        return AsyncDriver.execute(new Attempts<>(setup, call, options), sleeper);
    }

    /**
     * The network interceptor every client of ours carries: it records, on each call's attempts,
     * that the attempt got a connection and when its body has gone out, so that a timeout can be
     * named by phase.
     *
     * @return the interceptor
     */
    public static Interceptor phaseTracker() {
        return PhaseTracker.INSTANCE;
    }

    /**
     * The one exception an interrupt raises, wherever it lands (a request, a retry wait, a poll):
     * a {@link Mka1IoException} caused by an {@link InterruptedIOException}.
     */
    public static Mka1IoException interrupted(String message, Throwable cause) {
        return InterruptWatchdog.interrupted(message, cause);
    }
}
