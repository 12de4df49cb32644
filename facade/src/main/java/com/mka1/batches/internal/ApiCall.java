package com.mka1.batches.internal;

import java.util.Objects;

/**
 * One API operation with its arguments checked and bound: which generated Retrofit interface
 * builds its request, the model its success body parses to, and whether it creates something (and
 * so carries an {@code Idempotency-Key}, the same on every retry). Immutable; can be executed any
 * number of times by {@link CallEngine}.
 *
 * @param <T> the model of a success body
 */
public final class ApiCall<T> {
    /** Builds the Retrofit call of the operation; Retrofit turns it into the request on the wire. */
    @FunctionalInterface
    public interface RequestFactory<A, T> {
        /**
         * @param api the generated interface
         * @param onBehalfOf the {@code X-On-Behalf-Of} of this call, or {@code null}
         * @return the Retrofit call, never executed: only its request is used
         */
        retrofit2.Call<T> create(A api, String onBehalfOf);
    }

    final Class<?> api;
    final Class<T> type;
    final boolean creates;
    private final RequestFactory<Object, T> factory;

    @SuppressWarnings("unchecked")
    private <A> ApiCall(Class<A> api, Class<T> type, boolean creates, RequestFactory<? super A, T> factory) {
        this.api = api;
        this.type = type;
        this.creates = creates;
        this.factory = (RequestFactory<Object, T>) Objects.requireNonNull(factory, "factory");
    }

    /** An operation that reads or changes something that exists: retried freely. */
    public static <A, T> ApiCall<T> of(Class<A> api, Class<T> type, RequestFactory<? super A, T> factory) {
        return new ApiCall<>(api, type, false, factory);
    }

    /** An operation that creates something: sent with an {@code Idempotency-Key}, so a retry can't create it twice. */
    public static <A, T> ApiCall<T> creating(Class<A> api, Class<T> type, RequestFactory<? super A, T> factory) {
        return new ApiCall<>(api, type, true, factory);
    }

    retrofit2.Call<T> create(Object apiInstance, String onBehalfOf) {
        return factory.create(apiInstance, onBehalfOf);
    }
}
