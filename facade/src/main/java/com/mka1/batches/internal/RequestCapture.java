package com.mka1.batches.internal;

import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Request;
import okhttp3.Response;
import okio.Timeout;

/**
 * Retrofit's call factory: Retrofit only turns the generated interface's method into a
 * {@link Request} (path, query, headers, JSON body); {@link CallEngine} sends it. Capturing the
 * request spares building an OkHttp call per request that would never run.
 */
public final class RequestCapture implements Call.Factory {
    public static final RequestCapture INSTANCE = new RequestCapture();

    private RequestCapture() {
    }

    @Override
    public Call newCall(Request request) {
        return new Captured(request);
    }

    /** Holds a request; it can't be sent. */
    private static final class Captured implements Call {
        private final Request request;

        Captured(Request request) {
            this.request = request;
        }

        @Override
        public Request request() {
            return request;
        }

        @Override
        public Response execute() {
            throw new UnsupportedOperationException("requests are sent by CallEngine");
        }

        @Override
        public void enqueue(Callback responseCallback) {
            throw new UnsupportedOperationException("requests are sent by CallEngine");
        }

        @Override
        public void cancel() {
        }

        @Override
        public boolean isExecuted() {
            return false;
        }

        @Override
        public boolean isCanceled() {
            return false;
        }

        @Override
        public Timeout timeout() {
            return Timeout.NONE;
        }

        @Override
        public Call clone() {
            return new Captured(request);
        }
    }
}
