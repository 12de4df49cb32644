package com.mka1.batches;

import com.mka1.batches.internal.Checks;
import com.mka1.batches.models.BatchObject;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How {@link BatchService#waitForCompletion(String, WaitOptions)} polls: the interval between
 * polls and its growth, the overall timeout, a progress callback, and the options of each poll.
 *
 * <pre>{@code
 * WaitOptions options = WaitOptions.builder()
 *         .pollInterval(Duration.ofSeconds(5))
 *         .maxPollInterval(Duration.ofMinutes(1))
 *         .timeout(Duration.ofHours(2))
 *         .onProgress(b -> System.out.printf("%s %d/%d%n", b.getStatus(),
 *                 b.getRequestCounts().getCompleted(), b.getRequestCounts().getTotal()))
 *         .build();
 * BatchObject done = client.llm().batches().waitForCompletion(batchId, options);
 * }</pre>
 *
 * <p>Defaults ({@link #defaults()}): first wait 2 s, each next wait 1.5 times the previous one, at
 * most 30 s; timeout 25 h (a batch's completion window is 24 h, after which it becomes
 * {@code expired}; the extra hour covers finalizing and clock skew); no progress callback;
 * {@link RequestOptions#none()} for the polls. Immutable.
 */
public final class WaitOptions {
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    static final Duration DEFAULT_MAX_POLL_INTERVAL = Duration.ofSeconds(30);
    static final double DEFAULT_BACKOFF_MULTIPLIER = 1.5;
    static final Duration DEFAULT_TIMEOUT = Duration.ofHours(25);
    private static final Consumer<BatchObject> NO_PROGRESS = batch -> { };
    private static final WaitOptions DEFAULTS = builder().build();

    private final Duration pollInterval;
    private final Duration maxPollInterval;
    private final double backoffMultiplier;
    private final Duration timeout;
    private final Consumer<BatchObject> onProgress;
    private final RequestOptions requestOptions;

    private WaitOptions(Builder b) {
        this.pollInterval = b.pollInterval;
        this.maxPollInterval = b.maxPollInterval;
        this.backoffMultiplier = b.backoffMultiplier;
        this.timeout = b.timeout;
        this.onProgress = b.onProgress;
        this.requestOptions = b.requestOptions;
    }

    /** @return the defaults: 2 s growing by 1.5 to at most 30 s, 25 h timeout, no callback */
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
        b.requestOptions = requestOptions;
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

    /** @return the options of each poll ({@code get}) */
    public RequestOptions requestOptions() {
        return requestOptions;
    }

    @Override
    public String toString() {
        return "WaitOptions{pollInterval=" + pollInterval + ", maxPollInterval=" + maxPollInterval
                + ", backoffMultiplier=" + backoffMultiplier + ", timeout=" + timeout
                + ", onProgress=" + (onProgress == NO_PROGRESS ? "none" : "set")
                + ", requestOptions=" + requestOptions + '}';
    }

    /** Builds {@link WaitOptions}; starts from the defaults. */
    public static final class Builder {
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration maxPollInterval = DEFAULT_MAX_POLL_INTERVAL;
        private double backoffMultiplier = DEFAULT_BACKOFF_MULTIPLIER;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Consumer<BatchObject> onProgress = NO_PROGRESS;
        private RequestOptions requestOptions = RequestOptions.none();

        private Builder() {
        }

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
                throw new IllegalArgumentException("backoffMultiplier must be a finite number >= 1, was "
                        + backoffMultiplier);
            }
            this.backoffMultiplier = backoffMultiplier;
            return this;
        }

        /**
         * @param timeout how long to wait (default 25 h): the last poll is made when it runs out,
         *     then {@link com.mka1.batches.errors.WaitTimeoutException} is thrown. That poll, like
         *     every poll, may itself take as long as its {@link #requestOptions} allow (retries
         *     included); give them a {@code timeout} to bound it
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
         * @param requestOptions the options of each poll (default none: the client's)
         * @return this builder
         */
        public Builder requestOptions(RequestOptions requestOptions) {
            this.requestOptions = Objects.requireNonNull(requestOptions, "requestOptions == null");
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
