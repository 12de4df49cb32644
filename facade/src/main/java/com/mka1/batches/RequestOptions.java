package com.mka1.batches;

import com.mka1.batches.internal.Checks;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Per-call settings that override the client's: the end user to act for, extra headers,
 * timeouts, retries and the idempotency key of a create. Anything left unset falls back to the
 * client's value. A service's {@code withOptions} gives a view of its operations sending each
 * request with them (a view's {@code withOptions} lays the new options over its own).
 *
 * <pre>{@code
 * RequestOptions options = RequestOptions.builder()
 *         .onBehalfOf("user_1234")
 *         .header("X-Trace", traceId)
 *         .timeout(Duration.ofSeconds(5))
 *         .build();
 * BatchObject batch = client.llm().batches().withOptions(options).get(batchId);
 * }</pre>
 *
 * <p><b>How options combine.</b> The client keeps its own options
 * ({@link Mka1Client.Builder#requestOptions(RequestOptions)}) and lays each call's options over
 * them field by field: what the call sets wins, what it leaves unset comes from the client;
 * headers merge by name. A view's {@code withOptions} lays its options over the view's in the
 * same way. The retry settings follow the same rule:
 * <ul>
 *   <li>{@link Builder#maxRetries(int)} alone changes only the number of retries of the policy in
 *       force: the client's policy keeps its retryable statuses, backoff and time budget;</li>
 *   <li>{@link Builder#retryPolicy(RetryPolicy)} replaces the client's whole policy (its
 *       {@code maxRetries} included) for this call;</li>
 *   <li>both set: the given policy with that {@code maxRetries}.</li>
 * </ul>
 * The order of the builder's calls never matters: {@code maxRetries(5).retryPolicy(p)} and
 * {@code retryPolicy(p).maxRetries(5)} build equal options.
 *
 * <p>Immutable; {@link #none()} sets nothing.
 */
public final class RequestOptions {
    private static final RequestOptions NONE = builder().build();

    private final String onBehalfOf;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final Duration attemptTimeout;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration writeTimeout;
    /** The whole policy set, with {@link #maxRetries} already applied; null when none was set. */
    private final RetryPolicy retryPolicy;

    private final Integer maxRetries;
    private final String idempotencyKey;

    private RequestOptions(Builder b) {
        this.onBehalfOf = b.onBehalfOf;
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(b.headers);
        this.headers = Collections.unmodifiableMap(headers);
        this.timeout = b.timeout;
        this.attemptTimeout = b.attemptTimeout;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.writeTimeout = b.writeTimeout;
        this.maxRetries = b.maxRetries;
        this.retryPolicy = b.retryPolicy == null || b.maxRetries == null
                ? b.retryPolicy
                : b.retryPolicy.toBuilder().maxRetries(b.maxRetries).build();
        this.idempotencyKey = b.idempotencyKey;
    }

    /** @return options that set nothing */
    public static RequestOptions none() {
        return NONE;
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.onBehalfOf = onBehalfOf;
        b.headers.putAll(headers);
        b.timeout = timeout;
        b.attemptTimeout = attemptTimeout;
        b.connectTimeout = connectTimeout;
        b.readTimeout = readTimeout;
        b.writeTimeout = writeTimeout;
        b.retryPolicy = retryPolicy;
        b.maxRetries = maxRetries;
        b.idempotencyKey = idempotencyKey;
        return b;
    }

    /** @return the {@code X-On-Behalf-Of} value, or {@code null} to use the client's */
    public @Nullable String onBehalfOf() {
        return onBehalfOf;
    }

    /** @return extra headers sent with the call (case-insensitive names), never {@code null} */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return the overall timeout of the call including retries, or {@code null} */
    public @Nullable Duration timeout() {
        return timeout;
    }

    /** @return the timeout of each single attempt, or {@code null} */
    public @Nullable Duration attemptTimeout() {
        return attemptTimeout;
    }

    /** @return the connect timeout, or {@code null} */
    public @Nullable Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return the read timeout, or {@code null} */
    public @Nullable Duration readTimeout() {
        return readTimeout;
    }

    /** @return the write timeout, or {@code null} */
    public @Nullable Duration writeTimeout() {
        return writeTimeout;
    }

    /**
     * @return the whole retry policy set here, with {@link #maxRetries()} applied to it; {@code null}
     *     when no policy was set (a {@code maxRetries} alone then overlays the client's policy)
     */
    public @Nullable RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** @return the number of retries set here, or {@code null} to keep the policy's */
    public @Nullable Integer maxRetries() {
        return maxRetries;
    }

    /** @return the {@code Idempotency-Key} for a create, or {@code null} for a random one */
    public @Nullable String idempotencyKey() {
        return idempotencyKey;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RequestOptions)) {
            return false;
        }
        RequestOptions that = (RequestOptions) o;
        return Objects.equals(onBehalfOf, that.onBehalfOf)
                && headers.equals(that.headers)
                && Objects.equals(timeout, that.timeout)
                && Objects.equals(attemptTimeout, that.attemptTimeout)
                && Objects.equals(connectTimeout, that.connectTimeout)
                && Objects.equals(readTimeout, that.readTimeout)
                && Objects.equals(writeTimeout, that.writeTimeout)
                && Objects.equals(retryPolicy, that.retryPolicy)
                && Objects.equals(maxRetries, that.maxRetries)
                && Objects.equals(idempotencyKey, that.idempotencyKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                onBehalfOf,
                headers,
                timeout,
                attemptTimeout,
                connectTimeout,
                readTimeout,
                writeTimeout,
                retryPolicy,
                maxRetries,
                idempotencyKey);
    }

    /** Header values are left out: they may carry credentials. */
    @Override
    public String toString() {
        return "RequestOptions{onBehalfOf=" + onBehalfOf + ", headers=" + headers.keySet()
                + ", timeout=" + timeout + ", attemptTimeout=" + attemptTimeout
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", writeTimeout="
                + writeTimeout
                + ", retryPolicy=" + retryPolicy + ", maxRetries=" + maxRetries + ", idempotencyKey=" + idempotencyKey
                + '}';
    }

    /** Builds {@link RequestOptions}; everything starts unset. */
    public static final class Builder {
        private String onBehalfOf;
        private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private Duration timeout;
        private Duration attemptTimeout;
        private Duration connectTimeout;
        private Duration readTimeout;
        private Duration writeTimeout;
        private RetryPolicy retryPolicy;
        private Integer maxRetries;
        private String idempotencyKey;

        private Builder() {}

        /**
         * @param onBehalfOf the end user's id, sent as {@code X-On-Behalf-Of}
         * @return this builder
         */
        public Builder onBehalfOf(String onBehalfOf) {
            Checks.notBlank(onBehalfOf, "onBehalfOf");
            this.onBehalfOf = Checks.headerValue(onBehalfOf, "onBehalfOf");
            return this;
        }

        /**
         * Adds a header, replacing any earlier value of the same name.
         *
         * @param name a valid header name
         * @param value the value; CR and LF are refused
         * @return this builder
         */
        public Builder header(String name, String value) {
            Checks.headerName(name);
            headers.put(name, Checks.headerValue(value, "value of header " + name));
            return this;
        }

        /**
         * @param timeout the overall time the call may take, retries and waits included
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive(timeout, "timeout");
            return this;
        }

        /**
         * @param attemptTimeout the time one attempt (connect, send, read) may take
         * @return this builder
         */
        public Builder attemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = Checks.positive(attemptTimeout, "attemptTimeout");
            return this;
        }

        /**
         * @param connectTimeout the time a new connection may take
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * @param readTimeout the longest silence while reading the response
         * @return this builder
         */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = Checks.positive(readTimeout, "readTimeout");
            return this;
        }

        /**
         * @param writeTimeout the longest stall while sending the request (a file upload, say)
         * @return this builder
         */
        public Builder writeTimeout(Duration writeTimeout) {
            this.writeTimeout = Checks.positive(writeTimeout, "writeTimeout");
            return this;
        }

        /**
         * Replaces the client's whole retry policy for this call. A {@link #maxRetries(int)} set
         * on this builder, before or after, still applies to it.
         *
         * @param retryPolicy how this call is retried
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy == null");
            return this;
        }

        /**
         * Changes only the number of retries of the policy in force: the one given to
         * {@link #retryPolicy(RetryPolicy)} on this builder (before or after), else the client's.
         * The policy's other settings (statuses, backoff, time budget) are kept.
         *
         * @param maxRetries retries after the first attempt, 0..100
         * @return this builder
         */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = RetryPolicy.checkMaxRetries(maxRetries);
            return this;
        }

        /**
         * @param idempotencyKey the {@code Idempotency-Key} of a create; without it each create
         *     gets a random UUID, kept across its retries
         * @return this builder
         */
        public Builder idempotencyKey(String idempotencyKey) {
            Checks.notBlank(idempotencyKey, "idempotencyKey");
            this.idempotencyKey = Checks.headerValue(idempotencyKey, "idempotencyKey");
            return this;
        }

        /** @return the options */
        public RequestOptions build() {
            return new RequestOptions(this);
        }
    }
}
