package com.mka1.batches.internal;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * Phase tracking: the network interceptor every client of ours carries. It records, on the
 * {@link Phase} that the engine tags onto each request, that the attempt got a connection and
 * when its body has gone out in full, so that a timeout can be named by phase (connect, write,
 * read: see {@link Attempts}). It also wraps the body of a request that can be sent once only, so
 * that OkHttp never sends it twice either.
 *
 * <p>Invariant: a request without a {@link Phase} tag (a caller's own use of a shared OkHttp
 * client) passes untouched.
 *
 * <p>Why not OkHttp's {@code EventListener}, which has {@code connectionAcquired} and
 * {@code requestBodyEnd}: (1) {@code requestBodyEnd} comes too early, in both modes. OkHttp's
 * {@code CallServerInterceptor} writes the body, closes the body's sink (which fires
 * {@code requestBodyEnd}) and only then flushes the request ({@code finishRequest}); the body's
 * last buffered bytes are still unsent when the event fires, and a write timeout in that flush
 * would be named a read timeout. The wrapped body here marks the body sent after its own
 * {@code flush()} returned. (2) A client has one {@code EventListener.Factory}: a caller's
 * OkHttpClient (see {@code Mka1Client.Builder.httpClient}) may have its own, for metrics, which
 * ours would replace or have to wrap, forwarding its two dozen callbacks. {@code connectionAcquired}
 * would give the "connected" fact at the same moment this interceptor runs, but not the other.
 */
final class PhaseTracker implements Interceptor {
    static final PhaseTracker INSTANCE = new PhaseTracker();

    private PhaseTracker() {}

    /**
     * What one call's current attempt has done so far; written by OkHttp's threads, read by the
     * decision core once the attempt failed, hence volatile. Reset by the core at each attempt.
     */
    static final class Phase {
        /** Set once the attempt has a connection. */
        volatile boolean connected;
        /** Set once the attempt's request body has been written in full (true for a request without one). */
        volatile boolean bodySent;
    }

    /** Tags {@code phase} onto a request, for this interceptor to write back to. */
    static Request.Builder tag(Request.Builder request, Phase phase) {
        return request.tag(Phase.class, phase);
    }

    /** @return {@code request} with its body marked one-shot, so that OkHttp never sends it again (following a redirect, say) */
    static Request oneShot(Request request) {
        return request.newBuilder()
                .method(request.method(), new ForwardingBody(request.body(), true, null))
                .build();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Phase phase = request.tag(Phase.class);
        if (phase == null) {
            return chain.proceed(request);
        }
        phase.connected = true;
        RequestBody body = request.body();
        if (body == null) {
            return chain.proceed(request);
        }
        return chain.proceed(request.newBuilder()
                .method(request.method(), new ForwardingBody(body, body.isOneShot(), phase))
                .build());
    }

    /**
     * A request body written by another: marked one-shot when it can be sent once only, and, given
     * a {@link Phase}, noting on it when the body has gone out in full.
     */
    private static final class ForwardingBody extends RequestBody {
        private final RequestBody body;
        private final boolean oneShot;
        private final Phase phase;

        ForwardingBody(RequestBody body, boolean oneShot, Phase phase) {
            this.body = body;
            this.oneShot = oneShot;
            this.phase = phase;
        }

        @Override
        public MediaType contentType() {
            return body.contentType();
        }

        @Override
        public long contentLength() throws IOException {
            return body.contentLength();
        }

        @Override
        public boolean isOneShot() {
            return oneShot;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            body.writeTo(sink);
            if (phase != null) {
                sink.flush();
                phase.bodySent = true;
            }
        }
    }
}
