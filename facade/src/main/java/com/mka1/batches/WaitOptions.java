package com.mka1.batches;

import com.mka1.batches.internal.Checks;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.observability.Outage;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How {@link BatchService#waitForCompletion(String, WaitOptions)} polls: the interval between
 * polls and its growth, the overall timeout, a progress callback, and the outage budget (each
 * poll goes with the options of the service view it is called on). A batch run ({@link BatchRunParams.Builder#waitOptions}) waits with them too.
 *
 * <pre>{@code
 * WaitOptions options = WaitOptions.builder()
 *         .pollInterval(Duration.ofSeconds(5))
 *         .maxPollInterval(Duration.ofMinutes(1))
 *         .timeout(Duration.ofHours(2))
 *         .onProgress(b -> System.out.printf("%s %d/%d%n", b.getStatus(),
 *                 b.getRequestCounts().getCompleted(), b.getRequestCounts().getTotal()))
 *         .outageBudget(Duration.ofHours(2))
 *         .onOutage(o -> log.warn("server unreachable for {}, retrying in {}", o.downFor(), o.retryIn(), o.failure()))
 *         .build();
 * BatchObject done = client.llm().batches().waitForCompletion(batchId, options);
 * }</pre>
 *
 * <p><b>Outages.</b> A poll that fails after its own retries (see {@link RetryPolicy}) for a reason
 * that passes — no answer, a timeout, HTTP 408, 429 or 5xx — does not end the wait: it is tried
 * again after 1 s, then 2 s, 4 s, ... at most 1 min (longer if the server's {@code Retry-After}
 * asks), for as long as the last call that succeeded is no older than the
 * {@linkplain #outageBudget() outage budget}, <b>30 minutes</b> by default, and the
 * {@linkplain #timeout() timeout} has not run out. Each success starts the budget again, so a wait
 * rides out any number of separate outages. Past the budget the last failure is thrown, with the
 * outage's first earlier failures {@linkplain Throwable#getSuppressed() suppressed}. Other
 * failures (another 4xx, an {@code InvalidResponseException}, an interrupt) end the wait at once.
 * A batch run ({@link BatchService#run}) waits out outages the same way in every stage: uploads,
 * creates (with the same {@code Idempotency-Key}, so never a second file or batch), polls and
 * downloads. Each failure waited out goes to {@link Builder#onOutage}, to the run's progress
 * callback ({@link BatchRunParams.Progress#outage()}) and to the client's listeners
 * ({@link com.mka1.batches.observability.CallListener#outageRetryScheduled}).
 *
 * <p>Defaults ({@link #defaults()}): first wait 2 s, each next wait 1.5 times the previous one, at
 * most 30 s; timeout 25 h (a batch's completion window is 24 h, after which it becomes
 * {@code expired}; the extra hour covers finalizing and clock skew); outage budget 30 min; no
 * progress or outage callback. Each poll is sent with the options of the service view it is
 * called on ({@code batches.withOptions(options).waitForCompletion(id, wait)}). Immutable.
 */
public final class WaitOptions {
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    static final Duration DEFAULT_MAX_POLL_INTERVAL = Duration.ofSeconds(30);
    static final double DEFAULT_BACKOFF_MULTIPLIER = 1.5;
    static final Duration DEFAULT_TIMEOUT = Duration.ofHours(25);
    /** The default {@link #outageBudget()}: 30 minutes. */
    public static final Duration DEFAULT_OUTAGE_BUDGET = Duration.ofMinutes(30);
    // Constants, not methods: toString tells the defaults apart from the caller's by identity.
    @SuppressWarnings("UnnecessaryLambda")
    private static final Consumer<BatchObject> NO_PROGRESS = batch -> {};

    @SuppressWarnings("UnnecessaryLambda")
    private static final Consumer<Outage> NO_OUTAGE_REPORT = outage -> {};

    private static final WaitOptions DEFAULTS = builder().build();

    private final Duration pollInterval;
    private final Duration maxPollInterval;
    private final double backoffMultiplier;
    private final Duration timeout;
    private final Consumer<BatchObject> onProgress;
    private final Duration outageBudget;
    private final Consumer<Outage> onOutage;

    private WaitOptions(Builder b) {
        this.pollInterval = b.pollInterval;
        this.maxPollInterval = b.maxPollInterval;
        this.backoffMultiplier = b.backoffMultiplier;
        this.timeout = b.timeout;
        this.onProgress = b.onProgress;
        this.outageBudget = b.outageBudget;
        this.onOutage = b.onOutage;
    }

    /** @return the defaults: 2 s growing by 1.5 to at most 30 s, 25 h timeout, 30 min outage budget, no callbacks */
    public static WaitOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.pollInterval = pollInterval;
        b.maxPollInterval = maxPollInterval;
        b.backoffMultiplier = backoffMultiplier;
        b.timeout = timeout;
        b.onProgress = onProgress;
        b.outageBudget = outageBudget;
        b.onOutage = onOutage;
        return b;
    }

    /** @return the wait after the first poll */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** @return the longest wait between two polls */
    public Duration maxPollInterval() {
        return maxPollInterval;
    }

    /** @return the factor each wait grows by, at least 1 (1 = a fixed interval) */
    public double backoffMultiplier() {
        return backoffMultiplier;
    }

    /** @return how long to wait in all before giving up with a {@code WaitTimeoutException} */
    public Duration timeout() {
        return timeout;
    }

    /** @return the callback fed each poll whose status or request counts changed; never null */
    public Consumer<BatchObject> onProgress() {
        return onProgress;
    }

    /**
     * @return how long after the last call that succeeded a failing poll (or step of a run) is
     *     still tried again; see the class comment
     */
    public Duration outageBudget() {
        return outageBudget;
    }

    /** @return the callback fed each failure waited out; never null */
    public Consumer<Outage> onOutage() {
        return onOutage;
    }

    @Override
    public String toString() {
        return "WaitOptions{pollInterval=" + pollInterval + ", maxPollInterval=" + maxPollInterval
                + ", backoffMultiplier=" + backoffMultiplier + ", timeout=" + timeout
                + ", onProgress=" + (onProgress == NO_PROGRESS ? "none" : "set")
                + ", outageBudget=" + outageBudget
                + ", onOutage=" + (onOutage == NO_OUTAGE_REPORT ? "none" : "set") + '}';
    }

    /** Builds {@link WaitOptions}; starts from the defaults. */
    public static final class Builder {
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration maxPollInterval = DEFAULT_MAX_POLL_INTERVAL;
        private double backoffMultiplier = DEFAULT_BACKOFF_MULTIPLIER;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Consumer<BatchObject> onProgress = NO_PROGRESS;
        private Duration outageBudget = DEFAULT_OUTAGE_BUDGET;
        private Consumer<Outage> onOutage = NO_OUTAGE_REPORT;

        private Builder() {}

        /**
         * @param pollInterval the wait after the first poll (default 2 s)
         * @return this builder
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Checks.positive(pollInterval, "pollInterval");
            return this;
        }

        /**
         * @param maxPollInterval the cap of the growing wait (default 30 s); not below
         *     {@link #pollInterval(Duration)}
         * @return this builder
         */
        public Builder maxPollInterval(Duration maxPollInterval) {
            this.maxPollInterval = Checks.positive(maxPollInterval, "maxPollInterval");
            return this;
        }

        /**
         * @param backoffMultiplier the factor each wait grows by (default 1.5); 1 polls at a fixed
         *     interval
         * @return this builder
         */
        public Builder backoffMultiplier(double backoffMultiplier) {
            if (!(backoffMultiplier >= 1.0) || Double.isInfinite(backoffMultiplier)) {
                throw new IllegalArgumentException(
                        "backoffMultiplier must be a finite number >= 1, was " + backoffMultiplier);
            }
            this.backoffMultiplier = backoffMultiplier;
            return this;
        }

        /**
         * @param timeout how long to wait (default 25 h): the last poll is made when it runs out,
         *     then {@link com.mka1.batches.errors.WaitTimeoutException} is thrown. That poll, like
         *     every poll, may itself take as long as the view's {@link RequestOptions} allow
         *     (retries included); give them a {@code timeout} to bound it
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive(timeout, "timeout");
            return this;
        }

        /**
         * @param onProgress called on the waiting thread with the batch of the first poll and of
         *     every later poll whose status or request counts changed (the terminal one included);
         *     an exception it throws ends the wait
         * @return this builder
         */
        public Builder onProgress(Consumer<BatchObject> onProgress) {
            this.onProgress = Objects.requireNonNull(onProgress, "onProgress == null");
            return this;
        }

        /**
         * @param outageBudget how long after the last call that succeeded a call failing for a
         *     reason that passes (no answer, a timeout, 408, 429, 5xx) is still tried again
         *     (default 30 min); {@link Duration#ZERO} waits no outage out: the first such failure
         *     (after the call's own retries) ends the wait
         * @return this builder
         */
        public Builder outageBudget(Duration outageBudget) {
            this.outageBudget = Checks.notNegative(outageBudget, "outageBudget");
            return this;
        }

        /**
         * @param onOutage called on the waiting thread with each failure waited out, before the
         *     wait that follows it; an exception it throws ends the wait
         * @return this builder
         */
        public Builder onOutage(Consumer<Outage> onOutage) {
            this.onOutage = Objects.requireNonNull(onOutage, "onOutage == null");
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException if maxPollInterval is shorter than pollInterval
         */
        public WaitOptions build() {
            if (maxPollInterval.compareTo(pollInterval) < 0) {
                throw new IllegalArgumentException("maxPollInterval (" + maxPollInterval
                        + ") must not be shorter than pollInterval (" + pollInterval + ")");
            }
            return new WaitOptions(this);
        }
    }
}
