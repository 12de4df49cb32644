package com.mka1.batches.internal;

import com.mka1.batches.RequestOptions;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * Makes a client's OkHttp client and its dispatcher threads, as {@code Mka1Client} documents them:
 * our own retry decisions, our own dispatcher, the engine's network interceptors, the builder's
 * timeouts. The caller's OkHttpClient, if any, is copied, never changed.
 */
public final class HttpClients {
    private HttpClients() {}

    /**
     * OkHttp's default pool, with threads of our own name: the same cached pool semantics (a
     * thread per request in flight, idle threads ending after 60 s), stopped by the client's close.
     */
    public static ExecutorService dispatcherThreads() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable, "mka1-batches-dispatcher-" + count.incrementAndGet());
            thread.setDaemon(false); // like OkHttp's: a request in flight keeps the JVM alive until it ends
            return thread;
        };
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
    }

    /**
     * Our copy of the caller's client, or a new one with the default timeouts (10 s connect, 60 s
     * read and write); the builder's own timeouts are applied on top.
     *
     * @param callers the caller's client, or {@code null}
     * @param maxRequests how many asynchronous requests run at once, in all and per host
     */
    public static OkHttpClient build(
            OkHttpClient callers, RequestOptions own, ExecutorService dispatcherThreads, int maxRequests) {
        OkHttpClient.Builder http = callers != null
                ? callers.newBuilder()
                : new OkHttpClient.Builder()
                        .connectTimeout(Duration.ofSeconds(10))
                        .readTimeout(Duration.ofSeconds(60))
                        .writeTimeout(Duration.ofSeconds(60));
        // Our own retry policy decides what is retried, on a caller's client too: OkHttp's silent
        // retry would make attempts uncountable and could repeat a create. (The caller's client
        // itself is untouched: newBuilder() made a copy.)
        http.retryOnConnectionFailure(false);
        // Our own dispatcher even on a caller's client: OkHttp's default allows 5 asynchronous
        // requests per host; and close() stops only what we started.
        Dispatcher dispatcher = new Dispatcher(dispatcherThreads);
        dispatcher.setMaxRequests(maxRequests);
        dispatcher.setMaxRequestsPerHost(maxRequests);
        http.dispatcher(dispatcher);
        http.addNetworkInterceptor(PhaseTracker.INSTANCE);
        http.addNetworkInterceptor(ResponseFraming.INSTANCE);
        if (own.connectTimeout() != null) {
            http.connectTimeout(own.connectTimeout());
        }
        if (own.readTimeout() != null) {
            http.readTimeout(own.readTimeout());
        }
        if (own.writeTimeout() != null) {
            http.writeTimeout(own.writeTimeout());
        }
        return http.build();
    }
}
