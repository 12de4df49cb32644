package com.mka1.batches;

import com.mka1.batches.internal.Checks;
import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * How failed attempts are retried: exponential backoff with jitter, bounded by a number of retries
 * and by the time spent in all.
 *
 * <pre>{@code
 * RetryPolicy patient = RetryPolicy.builder()
 *         .maxRetries(5)
 *         .initialBackoff(Duration.ofSeconds(1))
 *         .maxElapsedTime(Duration.ofMinutes(2))
 *         .build();
 * Mka1Client client = Mka1Client.builder().apiKey(key)
 *         .requestOptions(RequestOptions.builder().retryPolicy(patient).build())
 *         .build();
 * }</pre>
 *
 * <p>Retried: connection failures (refused, reset, empty or malformed response), timeouts, a
 * runtime exception thrown inside the HTTP client (by an interceptor of your own
 * {@code OkHttpClient}, say: it ends as a {@code Mka1IoException} caused by it, in both modes), and
 * the {@link #retryableStatuses()}: by default HTTP 408, 429, 500, 502, 503 and 504. Not 409: MKA1
 * answers 409 for state conflicts, such as cancelling a finished batch, that no retry clears (add
 * it with {@link Builder#retryableStatuses} if your gateway says otherwise). A {@code Retry-After} or
 * {@code Retry-After-Ms} header sets the wait instead of the backoff; a wait that would end past
 * {@link #maxElapsedTime()} fails at once with the typed exception. Every {@code create} carries
 * an {@code Idempotency-Key}, identical on each retry, so a retried create never starts a second
 * batch.
 *
 * <p>The wait before retry {@code n} (1 for the first) is {@code initialBackoff} times
 * {@code multiplier}<sup>n-1</sup>, capped at {@code maxBackoff}, then shortened by a random
 * fraction of itself of up to {@code jitter}.
 *
 * <p>Defaults: 2 retries, initial backoff 500 ms, multiplier 2, max backoff 8 s, jitter 0.25
 * (each wait is randomly shortened by up to 25%), max elapsed time 60 s. Immutable.
 */
public final class RetryPolicy {
    private static final RetryPolicy DEFAULTS = builder().build();

    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double multiplier;
    private final double jitter;
    private final Duration maxElapsedTime;
    private final Set<Integer> retryableStatuses;

    private RetryPolicy(Builder b) {
        this.maxRetries = b.maxRetries;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.multiplier = b.multiplier;
        this.jitter = b.jitter;
        this.maxElapsedTime = b.maxElapsedTime;
        this.retryableStatuses = Collections.unmodifiableSet(new TreeSet<>(b.retryableStatuses));
    }

    /** @return the default policy (2 retries, 500 ms doubling to at most 8 s, 60 s in all) */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this policy's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxRetries = maxRetries;
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        b.multiplier = multiplier;
        b.jitter = jitter;
        b.maxElapsedTime = maxElapsedTime;
        b.retryableStatuses = retryableStatuses;
        return b;
    }

    /** @return how many times a failed attempt is retried (so at most this + 1 requests) */
    public int maxRetries() {
        return maxRetries;
    }

    /** @return the wait before the first retry, before jitter */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** @return the longest wait between two attempts, before jitter */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** @return the factor each wait grows by */
    public double multiplier() {
        return multiplier;
    }

    /** @return the fraction (0..1) by which a wait is randomly shortened */
    public double jitter() {
        return jitter;
    }

    /** @return the longest time a call may spend in attempts and waits before no more retries start */
    public Duration maxElapsedTime() {
        return maxElapsedTime;
    }

    /** @return the HTTP statuses after which an attempt is retried, in ascending order, unmodifiable */
    public Set<Integer> retryableStatuses() {
        return retryableStatuses;
    }

    /** The range of {@code maxRetries}, shared with {@link RequestOptions.Builder#maxRetries(int)}. */
    static int checkMaxRetries(int maxRetries) {
        if (maxRetries < 0 || maxRetries > 100) {
            throw new IllegalArgumentException("maxRetries must be between 0 and 100, was " + maxRetries);
        }
        return maxRetries;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RetryPolicy)) {
            return false;
        }
        RetryPolicy that = (RetryPolicy) o;
        return maxRetries == that.maxRetries
                && Double.compare(multiplier, that.multiplier) == 0
                && Double.compare(jitter, that.jitter) == 0
                && initialBackoff.equals(that.initialBackoff)
                && maxBackoff.equals(that.maxBackoff)
                && maxElapsedTime.equals(that.maxElapsedTime)
                && retryableStatuses.equals(that.retryableStatuses);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                maxRetries, initialBackoff, maxBackoff, multiplier, jitter, maxElapsedTime, retryableStatuses);
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxRetries=" + maxRetries + ", initialBackoff=" + initialBackoff
                + ", maxBackoff=" + maxBackoff + ", multiplier=" + multiplier + ", jitter=" + jitter
                + ", maxElapsedTime=" + maxElapsedTime + ", retryableStatuses=" + retryableStatuses + '}';
    }

    /** Builds a {@link RetryPolicy}; starts from the defaults. */
    public static final class Builder {
        private int maxRetries = 2;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(8);
        private double multiplier = 2.0;
        private double jitter = 0.25;
        private Duration maxElapsedTime = Duration.ofSeconds(60);
        private Set<Integer> retryableStatuses = Set.of(408, 429, 500, 502, 503, 504);

        private Builder() {}

        /**
         * @param maxRetries retries after the first attempt, 0..100
         * @return this builder
         */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = checkMaxRetries(maxRetries);
            return this;
        }

        /**
         * @param initialBackoff the wait before the first retry, zero or positive
         * @return this builder
         */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = Checks.notNegative(initialBackoff, "initialBackoff");
            return this;
        }

        /**
         * @param maxBackoff the longest wait between attempts, zero or positive
         * @return this builder
         */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = Checks.notNegative(maxBackoff, "maxBackoff");
            return this;
        }

        /**
         * @param multiplier how much each wait grows, at least 1
         * @return this builder
         */
        public Builder multiplier(double multiplier) {
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("multiplier must be a finite number >= 1, was " + multiplier);
            }
            this.multiplier = multiplier;
            return this;
        }

        /**
         * @param jitter the fraction 0..1 by which each wait is randomly shortened
         * @return this builder
         */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0.0 && jitter <= 1.0)) {
                throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /**
         * @param maxElapsedTime the budget for all attempts and waits of one call, positive
         * @return this builder
         */
        public Builder maxElapsedTime(Duration maxElapsedTime) {
            this.maxElapsedTime = Checks.positive(maxElapsedTime, "maxElapsedTime");
            return this;
        }

        /**
         * @param statuses the HTTP statuses after which an attempt is retried (default 408, 429,
         *     500, 502, 503, 504); each 400..599; empty retries only failures without a response
         * @return this builder
         */
        public Builder retryableStatuses(Set<Integer> statuses) {
            Objects.requireNonNull(statuses, "statuses == null");
            for (Integer status : statuses) {
                Objects.requireNonNull(status, "statuses contains null");
                if (status < 400 || status > 599) {
                    throw new IllegalArgumentException(
                            "retryableStatuses must be HTTP error statuses (400..599), had " + status);
                }
            }
            this.retryableStatuses = Set.copyOf(statuses);
            return this;
        }

        /**
         * @return the policy
         * @throws IllegalStateException if {@code maxBackoff} is shorter than {@code initialBackoff}
         */
        public RetryPolicy build() {
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalStateException("maxBackoff (" + maxBackoff
                        + ") must not be shorter than initialBackoff (" + initialBackoff + ")");
            }
            return new RetryPolicy(this);
        }
    }
}
