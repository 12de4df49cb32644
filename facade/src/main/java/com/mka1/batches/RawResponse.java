package com.mka1.batches;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * A parsed value together with the HTTP response it came from.
 *
 * <pre>{@code
 * RawResponse<BatchObject> raw = batches.withRawResponse().get(batchId);
 * raw.statusCode();   // 200
 * raw.requestId();    // X-Request-ID, or null
 * raw.value();        // the BatchObject
 * }</pre>
 *
 * @param <T> the parsed type
 */
public final class RawResponse<T> {
    private final int statusCode;
    private final Headers headers;
    private final T value;

    private RawResponse(int statusCode, Headers headers, T value) {
        this.statusCode = statusCode;
        this.headers = headers;
        this.value = value;
    }

    /**
     * A response as the client builds it; also handy for test doubles of code that takes one.
     *
     * @param statusCode the HTTP status code
     * @param headers the response headers
     * @param value the parsed value
     * @param <T> the parsed type
     * @return the response
     */
    public static <T> RawResponse<T> of(int statusCode, Headers headers, T value) {
        return new RawResponse<>(statusCode, Objects.requireNonNull(headers, "headers == null"), value);
    }

    /** The same response with another value: a file downloaded from it, say. */
    <R> RawResponse<R> withValue(R other) {
        return new RawResponse<>(statusCode, headers, other);
    }

    /** @return the HTTP status code */
    public int statusCode() {
        return statusCode;
    }

    /**
     * @return every response header, names lower-cased, unmodifiable; as the client builds it,
     *     with its API key removed from any value that echoed it
     */
    public Map<String, List<String>> headers() {
        return Collections.unmodifiableMap(headers.toMultimap());
    }

    /**
     * @param name a header name, any case
     * @return the first value of that header, if present (as {@code ApiException.header} does)
     */
    public Optional<String> header(String name) {
        List<String> values = headers.values(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** @return the {@code X-Request-ID} response header, or {@code null} */
    public @Nullable String requestId() {
        return header("X-Request-ID").orElse(null);
    }

    /** @return the parsed body */
    public T value() {
        return value;
    }

    @Override
    public String toString() {
        return "RawResponse{statusCode=" + statusCode + ", requestId=" + requestId() + ", value=" + value + '}';
    }
}
