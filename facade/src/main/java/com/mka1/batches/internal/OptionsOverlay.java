package com.mka1.batches.internal;

import com.mka1.batches.RequestOptions;
import com.mka1.batches.RetryPolicy;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How one {@link RequestOptions} is laid over another: the client's defaults under a view's
 * options, a view's under the next {@code withOptions}, a wait's under each poll. Every value set
 * on top wins; headers merge by name. A retry policy set on top replaces the base's whole policy
 * (and its {@code maxRetries}); a {@code maxRetries} set on top without a policy is applied to the
 * base's policy.
 */
public final class OptionsOverlay {
    private OptionsOverlay() {}

    /**
     * The options of a service's {@code withOptions} view: {@code added} laid over the view's own.
     *
     * @throws NullPointerException if {@code added} is null
     */
    public static RequestOptions view(RequestOptions added, RequestOptions current) {
        return over(Objects.requireNonNull(added, "options == null"), current);
    }

    /**
     * @param top the options that win
     * @param base the options to fill in from
     * @return the merged options
     */
    // A fast path for the options of every call made without any: none() itself. Other empty
    // options take the general path, to the same result.
    @SuppressWarnings("ReferenceEquality")
    public static RequestOptions over(RequestOptions top, RequestOptions base) {
        if (top == RequestOptions.none()) {
            return base;
        }
        RequestOptions.Builder b = RequestOptions.builder();
        set(b::onBehalfOf, top, base, RequestOptions::onBehalfOf);
        base.headers().forEach(b::header);
        top.headers().forEach(b::header);
        set(b::timeout, top, base, RequestOptions::timeout);
        set(b::attemptTimeout, top, base, RequestOptions::attemptTimeout);
        set(b::connectTimeout, top, base, RequestOptions::connectTimeout);
        set(b::readTimeout, top, base, RequestOptions::readTimeout);
        set(b::writeTimeout, top, base, RequestOptions::writeTimeout);
        RequestOptions retries = top.retryPolicy() != null ? top : base;
        RetryPolicy policy = retries.retryPolicy();
        if (policy != null) {
            b.retryPolicy(policy);
        }
        Integer maxRetries = top.maxRetries() != null ? top.maxRetries() : retries.maxRetries();
        if (maxRetries != null) {
            b.maxRetries(maxRetries);
        }
        set(b::idempotencyKey, top, base, RequestOptions::idempotencyKey);
        return b.build();
    }

    private static <V> void set(
            Consumer<V> setter, RequestOptions top, RequestOptions base, Function<RequestOptions, @Nullable V> field) {
        V value = field.apply(top) != null ? field.apply(top) : field.apply(base);
        if (value != null) {
            setter.accept(value);
        }
    }
}
