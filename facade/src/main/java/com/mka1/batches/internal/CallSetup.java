package com.mka1.batches.internal;

import com.mka1.batches.RequestOptions;
import com.mka1.batches.observability.CallListener;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * What every call of one client starts from: the HTTP client, the requests Retrofit builds, the
 * headers every request carries, the client-wide options, the clock, the listeners, and whether
 * the client is closed. Shared by all calls of the client; thread-safe (immutable but for the
 * closed flag). Apart from {@link CallEngine} so that the decision core ({@link Attempts}) depends
 * on what it needs and not on the engine that drives it.
 */
final class CallSetup {
    private final OkHttpClient http;
    private final RetrofitRequests requests;
    private final AtomicBoolean closed = new AtomicBoolean();
    final String authorization;
    /** Removes the key from whatever the server sends back; tags every request, for the readers. */
    final KeyRedaction redaction;

    final String userAgent;
    final RequestOptions defaults;
    final Clock clock;
    /** The attempt log and the user's listeners, or {@code null} if the user set none. */
    final CallListener listeners;

    CallSetup(
            OkHttpClient http,
            HttpUrl baseUrl,
            String apiKey,
            String userAgent,
            RequestOptions defaults,
            Clock clock,
            List<CallListener> listeners) {
        this.http = http;
        this.requests = new RetrofitRequests(http, baseUrl);
        this.authorization = "Bearer " + apiKey;
        this.redaction = KeyRedaction.of(apiKey);
        this.userAgent = userAgent;
        this.defaults = defaults;
        this.clock = clock;
        this.listeners = Listeners.of(listeners);
    }

    /** @return whether this call closed it (so the caller's own cleanup runs once) */
    boolean close() {
        return closed.compareAndSet(false, true);
    }

    /** @throws IllegalStateException if the client is closed */
    void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this Mka1Client is closed");
        }
    }

    /** @return the request of {@code call} as Retrofit builds it */
    Request request(ApiCall<?> call, String onBehalfOf) {
        return requests.request(call, onBehalfOf);
    }

    /** The client for a call: the shared one, or a cheap copy where the call sets other timeouts. */
    OkHttpClient clientFor(RequestOptions options) {
        Duration connect = differs(options.connectTimeout(), http.connectTimeoutMillis());
        Duration read = differs(options.readTimeout(), http.readTimeoutMillis());
        Duration write = differs(options.writeTimeout(), http.writeTimeoutMillis());
        if (connect == null && read == null && write == null) {
            return http;
        }
        // newBuilder() shares the connection pool and dispatcher: cheap, and nothing extra to close.
        OkHttpClient.Builder builder = http.newBuilder();
        if (connect != null) {
            builder.connectTimeout(connect);
        }
        if (read != null) {
            builder.readTimeout(read);
        }
        if (write != null) {
            builder.writeTimeout(write);
        }
        return builder.build();
    }

    private static Duration differs(Duration wanted, long currentMillis) {
        return wanted == null || wanted.toMillis() == currentMillis ? null : wanted;
    }
}
