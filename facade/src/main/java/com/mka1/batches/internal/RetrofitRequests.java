package com.mka1.batches.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import retrofit2.Retrofit;

/**
 * Request building: Retrofit turns a generated interface's method into a {@link Request} (path,
 * query, headers, JSON body), and nothing more; the engine sends it. Retrofit hands a request out
 * only through an OkHttp call ({@code retrofit2.Call#request()} asks its call factory for a call
 * and returns that call's request), so it gets one from a copy of the client that tells no event
 * listener: the call is never run, only its request read. (A call is a few small objects; a
 * hand-written call that only holds its request would spare them, at the cost of eight methods
 * that must never run.)
 *
 * <p>Thread-safe: the generated interfaces are made once each and shared.
 */
final class RetrofitRequests {
    private final Retrofit retrofit;
    private final Map<Class<?>, Object> apis = new ConcurrentHashMap<>();

    /**
     * @param http the client of the calls; its copy here shares its pool and dispatcher, never used
     * @param baseUrl the API's base URL, ending in {@code /}
     */
    RetrofitRequests(OkHttpClient http, HttpUrl baseUrl) {
        this.retrofit = new Retrofit.Builder()
                .baseUrl(baseUrl)
                .callFactory(http.newBuilder().eventListener(EventListener.NONE).build())
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
}
