package com.mka1.batches.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code mka1.*} properties the auto-configured {@code Mka1Client} is built from. Every one
 * has the library's default; only {@code mka1.api-key} must be set (Spring's relaxed binding also
 * reads it from the {@code MKA1_API_KEY} environment variable), unless
 * {@code mka1.sandbox.enabled=true}.
 *
 * <pre>
 * mka1.api-key=${MKA1_API_KEY:}
 * mka1.base-url=https://apigw.mka1.com
 * mka1.on-behalf-of=user_123
 * mka1.read-timeout=30s
 * mka1.retry.max-retries=4
 * </pre>
 */
@ConfigurationProperties(prefix = "mka1")
public class Mka1Properties {
    /** The MKA1 API key, sent as a bearer token. Required unless mka1.sandbox.enabled is true. */
    private String apiKey;

    /** The API's base URL: https, or http to a loopback host (or anywhere with allow-insecure-http). */
    private String baseUrl = "https://apigw.mka1.com";

    /** The X-On-Behalf-Of user every call acts for, unless a call says otherwise. */
    private String onBehalfOf;

    /** The time a new connection may take. */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /** The longest silence while reading a response. */
    private Duration readTimeout = Duration.ofSeconds(60);

    /** The longest stall while sending a request. */
    private Duration writeTimeout = Duration.ofSeconds(60);

    /** The time one attempt may take in all; none by default. */
    private Duration attemptTimeout;

    /** The time one call may take, retries and the waits between them included; none by default. */
    private Duration timeout;

    /** Whether a plain http base URL to a host other than loopback is accepted (the key would cross the network in clear). */
    private boolean allowInsecureHttp;

    private final Retry retry = new Retry();

    private final Sandbox sandbox = new Sandbox();

    /** @return the API key, or {@code null} */
    public String getApiKey() {
        return apiKey;
    }

    /** @param apiKey the API key */
    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    /** @return the base URL */
    public String getBaseUrl() {
        return baseUrl;
    }

    /** @param baseUrl the base URL */
    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** @return the default X-On-Behalf-Of, or {@code null} */
    public String getOnBehalfOf() {
        return onBehalfOf;
    }

    /** @param onBehalfOf the default X-On-Behalf-Of */
    public void setOnBehalfOf(String onBehalfOf) {
        this.onBehalfOf = onBehalfOf;
    }

    /** @return the connect timeout */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /** @param connectTimeout the connect timeout */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** @return the read timeout */
    public Duration getReadTimeout() {
        return readTimeout;
    }

    /** @param readTimeout the read timeout */
    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    /** @return the write timeout */
    public Duration getWriteTimeout() {
        return writeTimeout;
    }

    /** @param writeTimeout the write timeout */
    public void setWriteTimeout(Duration writeTimeout) {
        this.writeTimeout = writeTimeout;
    }

    /** @return the per-attempt timeout, or {@code null} for none */
    public Duration getAttemptTimeout() {
        return attemptTimeout;
    }

    /** @param attemptTimeout the per-attempt timeout */
    public void setAttemptTimeout(Duration attemptTimeout) {
        this.attemptTimeout = attemptTimeout;
    }

    /** @return the per-call timeout, or {@code null} for none */
    public Duration getTimeout() {
        return timeout;
    }

    /** @param timeout the per-call timeout */
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    /** @return whether plain http to a non-loopback host is accepted */
    public boolean isAllowInsecureHttp() {
        return allowInsecureHttp;
    }

    /** @param allowInsecureHttp whether plain http to a non-loopback host is accepted */
    public void setAllowInsecureHttp(boolean allowInsecureHttp) {
        this.allowInsecureHttp = allowInsecureHttp;
    }

    /** @return the retry settings ({@code mka1.retry.*}) */
    public Retry getRetry() {
        return retry;
    }

    /** @return the embedded sandbox's settings ({@code mka1.sandbox.*}) */
    public Sandbox getSandbox() {
        return sandbox;
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "Mka1Properties{baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "unset" : "set")
                + ", sandbox.enabled=" + sandbox.enabled + '}';
    }

    /**
     * {@code mka1.retry.*}: how failed attempts are retried (the library's {@code RetryPolicy};
     * which statuses are retried is left to it: 408, 429, 500, 502, 503 and 504).
     */
    public static class Retry {
        /** Retries after the first attempt; 0 turns retrying off. */
        private int maxRetries = 2;

        /** The backoff before the first retry, unless the server sets the wait (Retry-After). */
        private Duration initialBackoff = Duration.ofMillis(500);

        /** The longest backoff. */
        private Duration maxBackoff = Duration.ofSeconds(8);

        /** The factor each backoff grows by. */
        private double multiplier = 2.0;

        /** The largest share, 0 to 1, by which each backoff is randomly shortened. */
        private double jitter = 0.25;

        /** No retry starts after this much time has passed since the call began. */
        private Duration maxElapsedTime = Duration.ofSeconds(60);

        /** @return the retries after the first attempt */
        public int getMaxRetries() {
            return maxRetries;
        }

        /** @param maxRetries the retries after the first attempt */
        public void setMaxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
        }

        /** @return the first backoff */
        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        /** @param initialBackoff the first backoff */
        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        /** @return the longest backoff */
        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        /** @param maxBackoff the longest backoff */
        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        /** @return the backoff's growth factor */
        public double getMultiplier() {
            return multiplier;
        }

        /** @param multiplier the backoff's growth factor */
        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        /** @return the jitter */
        public double getJitter() {
            return jitter;
        }

        /** @param jitter the jitter */
        public void setJitter(double jitter) {
            this.jitter = jitter;
        }

        /** @return the retry budget */
        public Duration getMaxElapsedTime() {
            return maxElapsedTime;
        }

        /** @param maxElapsedTime the retry budget */
        public void setMaxElapsedTime(Duration maxElapsedTime) {
            this.maxElapsedTime = maxElapsedTime;
        }
    }

    /**
     * {@code mka1.sandbox.*}: an embedded stand-in for the API (artifact
     * {@code com.mka1:mka1-batches-sandbox}, which the application adds) for local development
     * without a key.
     */
    public static class Sandbox {
        /**
         * Whether to start an embedded sandbox on 127.0.0.1 and point the client at it (its own
         * key replaces mka1.api-key). Needs com.mka1:mka1-batches-sandbox on the classpath.
         */
        private boolean enabled;

        /** The sandbox's port; 0 for a free one. */
        private int port;

        /** The real time a sandbox batch spends in each stage (validating, in_progress, finalizing). */
        private Duration step = Duration.ofSeconds(2);

        /** @return whether the sandbox is started */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the sandbox is started */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the port, 0 for a free one */
        public int getPort() {
            return port;
        }

        /** @param port the port, 0 for a free one */
        public void setPort(int port) {
            this.port = port;
        }

        /** @return the time per lifecycle stage */
        public Duration getStep() {
            return step;
        }

        /** @param step the time per lifecycle stage */
        public void setStep(Duration step) {
            this.step = step;
        }
    }
}
