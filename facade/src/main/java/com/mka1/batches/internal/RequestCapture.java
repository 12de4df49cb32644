package com.mka1.batches.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okio.Timeout;
import retrofit2.Retrofit;

/**
 * Request building: Retrofit turns a generated interface's method into a {@link Request} (path,
 * query, headers, JSON body), and nothing more; OkHttp sends it, driven by the engine. Retrofit
 * hands a request out only through the {@link Call.Factory} it is built with ({@code
 * retrofit2.Call#request()} asks the factory for a call and returns that call's request), so the
 * factory here makes calls that only hold their request. OkHttp's own factory would do too, but
 * would build a real call (its timeout, its event listener) per request, never to run.
 *
 * <p>Thread-safe: the generated interfaces are made once each and shared.
 */
final class RequestCapture {
    private final Retrofit retrofit;
    private final Map<Class<?>, Object> apis = new ConcurrentHashMap<>();

    /** @param baseUrl the API's base URL, ending in {@code /} */
    RequestCapture(HttpUrl baseUrl) {
        this.retrofit = new Retrofit.Builder()
                .baseUrl(baseUrl)
                .callFactory(Captured::new)
                .addConverterFactory(retrofit2.converter.gson.GsonConverterFactory.create(Json.GSON))
                .build();
    }

    /** @return the request of {@code call} as Retrofit builds it, before the engine's own headers */
    Request request(ApiCall<?> call, String onBehalfOf) {
        Object api = apis.get(call.api);
        if (api == null) {
            api = apis.computeIfAbsent(call.api, retrofit::create);
        }
        return call.create(api, onBehalfOf).request();
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
