package com.mka1.batches.internal;

import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.Mka1Exception;
import com.mka1.batches.observability.CallOutcome;
import com.mka1.batches.observability.Outage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Waits out outages for a long wait or a batch run: a call that failed for a reason that passes —
 * no answer, a timeout, HTTP 408, 429 or 5xx — after its own retries is tried again, after waits
 * of 1 s doubling to at most 1 min (longer if the server's {@code Retry-After} says so), as long
 * as the last success is no older than the budget. The budget runs from the last call that
 * succeeded (or the start), so a long wait survives any number of separate outages. Any other
 * failure (another 4xx, an invalid response, a local file failure, an interrupt) ends at once.
 *
 * <p>When it gives up, the failure is thrown with the outage's first earlier failures suppressed.
 * Each failure waited out is reported to the client's listeners, then to the given callback.
 * Waits use the engine's sleeper and clock. Not thread-safe: one per wait or run, used by one
 * thread (or one chain of asynchronous steps) at a time.
 */
public final class OutageBudget {
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration LONGEST_WAIT = Duration.ofMinutes(1);
    /** The earlier failures of an outage kept (as suppressed exceptions of the one thrown): enough to see a pattern. */
    static final int KEPT_FAILURES = 10;

    private final CallEngine engine;
    private final long budgetMillis;
    private final String waitingFor;
    private final Consumer<Outage> report;
    private final List<Mka1Exception> kept = new ArrayList<>();
    private long lastSuccess;
    private int failures;
    private Duration nextWait = FIRST_WAIT;

    /**
     * @param budget how long after the last success failures are still waited out; zero waits none out
     * @param waitingFor what waits, for an interrupt's message: {@code "batch b to complete"}
     * @param report told of each failure waited out, after the listeners; an exception it throws ends the wait
     */
    public OutageBudget(CallEngine engine, Duration budget, String waitingFor, Consumer<Outage> report) {
        this.engine = engine;
        this.budgetMillis = millis(Objects.requireNonNull(budget, "budget == null"));
        this.waitingFor = waitingFor;
        this.report = Objects.requireNonNull(report, "report == null");
        this.lastSuccess = engine.clock().millis();
    }

    /** Runs {@code step} on this thread until it succeeds, waiting out outages; no deadline but the budget. */
    public <T> T call(Supplier<T> step) {
        return call(step, Long.MAX_VALUE);
    }

    /**
     * Runs {@code step} on this thread until it succeeds, waiting out outages.
     *
     * @param deadline the clock's millis after which no failure is waited out
     */
    public <T> T call(Supplier<T> step, long deadline) {
        while (true) {
            T value;
            try {
                value = step.get();
            } catch (RuntimeException e) {
                Duration wait = failed(e, deadline);
                try {
                    engine.sleeper().sleep(wait);
                } catch (InterruptedException interrupt) {
                    Thread.currentThread().interrupt();
                    throw interrupted(interrupt, e);
                }
                continue;
            }
            succeeded();
            return value;
        }
    }

    /** A call succeeded: the outage, if any, is over, and the budget starts again. */
    public void succeeded() {
        lastSuccess = engine.clock().millis();
        failures = 0;
        kept.clear();
        nextWait = FIRST_WAIT;
    }

    /**
     * A call failed: decides whether to try again, and reports it if so.
     *
     * @param deadline the clock's millis after which no failure is waited out
     * @return the wait before the next try, never past the budget or the deadline
     * @throws RuntimeException {@code failure} itself (earlier failures of the outage suppressed)
     *     when it does not pass, or the budget or deadline is spent
     */
    public Duration failed(RuntimeException failure, long deadline) {
        long now = engine.clock().millis();
        long end = Math.min(saturatedAdd(lastSuccess, budgetMillis), deadline);
        if (!passes(failure) || now >= end) {
            throw giveUp(failure);
        }
        Mka1Exception passing = (Mka1Exception) failure;
        Duration wait = nextWait;
        Duration asked = retryAfter(passing);
        if (asked.compareTo(wait) > 0) {
            wait = asked;
        }
        if (wait.toMillis() > end - now) {
            wait = Duration.ofMillis(end - now); // one more try just as the budget runs out
        }
        nextWait = nextWait.multipliedBy(2).compareTo(LONGEST_WAIT) >= 0 ? LONGEST_WAIT : nextWait.multipliedBy(2);
        failures++;
        if (kept.size() < KEPT_FAILURES) {
            kept.add(passing);
        }
        Outage outage = new Outage(passing, failures, Duration.ofMillis(now - lastSuccess), wait);
        engine.outageRetryScheduled(outage);
        report.accept(outage);
        return wait;
    }

    /** @return the exception an interrupt of an outage's wait raises, {@code last} failure suppressed */
    public RuntimeException interrupted(Throwable interrupt, RuntimeException last) {
        RuntimeException e =
                CallEngine.interrupted("Interrupted while waiting out an outage, waiting for " + waitingFor, interrupt);
        e.addSuppressed(last);
        return e;
    }

    private RuntimeException giveUp(RuntimeException failure) {
        for (Mka1Exception earlier : kept) {
            if (earlier != failure) {
                failure.addSuppressed(earlier);
            }
        }
        kept.clear();
        return failure;
    }

    /** No answer, a timeout, 408, 429 or 5xx; never an interrupt. */
    static boolean passes(RuntimeException failure) {
        if (!(failure instanceof Mka1Exception) || Thread.currentThread().isInterrupted()) {
            return false;
        }
        CallOutcome outcome = Listeners.outcomeOf(failure);
        if (outcome == CallOutcome.CLIENT_ERROR) {
            int status = ((ApiException) failure).statusCode();
            return status == 408 || status == 429;
        }
        return outcome == CallOutcome.SERVER_ERROR || outcome == CallOutcome.TIMEOUT || outcome == CallOutcome.IO_ERROR;
    }

    private Duration retryAfter(Mka1Exception failure) {
        if (!(failure instanceof ApiException)) {
            return Duration.ZERO;
        }
        ApiException answer = (ApiException) failure;
        return RetryAfter.parse(
                        name -> answer.header(name).orElse(null), engine.clock().instant())
                .orElse(Duration.ZERO);
    }

    private static long millis(Duration budget) {
        try {
            return budget.toMillis();
        } catch (ArithmeticException beyondLongMillis) {
            return Long.MAX_VALUE;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
