package com.mka1.batches.errors;

import com.mka1.batches.internal.BodySummary;
import com.mka1.batches.internal.RetryAfter;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The server answered with an HTTP error status (4xx or 5xx): this library's {@code APIError}.
 * Each common status has its own subclass ({@link NotFoundException} for 404 and so on), so
 * callers can catch exactly what they handle.
 *
 * <pre>{@code
 * } catch (ApiException e) {
 *     e.statusCode();    // 404
 *     e.errorMessage();  // "No batch found" (from whichever error body shape the server used)
 *     e.errorCode();     // "not_found", or null
 *     e.requestId();     // the X-Request-ID response header, or null
 *     e.body();          // the raw body, for anything else
 * }
 * }</pre>
 *
 * <p>Error bodies in every shape map cleanly: {@code {"error":"Rate limit exceeded"}},
 * {@code {"error":{"message":…,"type":…,"code":…}}}, {@code {"message":…}}, an HTML page from a
 * proxy, or an empty body. The message reads {@code HTTP 404: No batch found (request id req_1)}.
 *
 * <p>Of an error body the client reads the first 64 KiB only, and drops the connection rather
 * than read the rest: a body of gigabytes, or one that never ends, costs no more. The client's
 * own API key is removed (shown as {@code [redacted]}) from everything here that came from the
 * server (the message, {@link #body()}, {@link #errorMessage()} and the other fields, the
 * {@link #headers()}), wherever the server echoed it, in any of the forms
 * {@code Mka1Client}'s documentation lists.
 */
public class ApiException extends Mka1Exception {
    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final Map<String, List<String>> headers;
    private final String body;
    private final String errorMessage;
    private final String errorType;
    private final String errorCode;

    /**
     * @param statusCode the HTTP status code
     * @param headers the response headers (copied; looked up case-insensitively)
     * @param body the response body as text, {@code ""} if empty
     * @param errorMessage the message found in the body, or {@code null}
     * @param errorType the error type found in the body, or {@code null}
     * @param errorCode the error code found in the body, or {@code null}
     */
    public ApiException(
            int statusCode,
            Map<String, List<String>> headers,
            String body,
            @Nullable String errorMessage,
            @Nullable String errorType,
            @Nullable String errorCode) {
        super(message(statusCode, errorMessage, headers, body));
        this.statusCode = statusCode;
        this.headers = copy(headers);
        this.body = body == null ? "" : body;
        this.errorMessage = errorMessage;
        this.errorType = errorType;
        this.errorCode = errorCode;
    }

    /** @return the HTTP status code, e.g. 404 */
    public int statusCode() {
        return statusCode;
    }

    /** @return the response headers, unmodifiable, with case-insensitive keys */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /**
     * @param name a header name, any case
     * @return the first value of that response header, if present
     */
    public Optional<String> header(String name) {
        return Optional.ofNullable(firstValue(headers, name));
    }

    /**
     * @return the response body as text, {@code ""} when it was empty: its first 64 KiB only (the
     *     client reads no further), with the client's API key removed
     */
    public String body() {
        return body;
    }

    /** @return the error message the server sent, or {@code null} when the body carried none */
    public @Nullable String errorMessage() {
        return errorMessage;
    }

    /** @return the error type (OpenAI-style bodies, e.g. {@code invalid_request_error}), or {@code null} */
    public @Nullable String errorType() {
        return errorType;
    }

    /** @return the error code (OpenAI-style bodies, e.g. {@code not_found}), or {@code null} */
    public @Nullable String errorCode() {
        return errorCode;
    }

    /** @return the {@code X-Request-ID} response header, or {@code null}; quote it to MKA1 support */
    public @Nullable String requestId() {
        return firstValue(headers, "X-Request-ID");
    }

    /**
     * The wait the server asked for before trying again, from {@code Retry-After-Ms} or
     * {@code Retry-After} (seconds, fractions allowed, or an HTTP date). Negative values read as
     * zero; values over an hour are clamped to an hour.
     *
     * @return the wait measured from now, or empty when the server gave none (or an unreadable one)
     */
    public Optional<Duration> retryAfter() {
        return retryAfter(Instant.now());
    }

    /**
     * Like {@link #retryAfter()}, measured from the given instant (for an HTTP-date value).
     *
     * @param now the current time
     * @return the wait, or empty when the server gave none
     */
    public Optional<Duration> retryAfter(Instant now) {
        return RetryAfter.parse(name -> firstValue(headers, name), now);
    }

    private static String message(int statusCode, String errorMessage, Map<String, List<String>> headers, String body) {
        StringBuilder sb = new StringBuilder("HTTP ").append(statusCode);
        if (errorMessage != null && !errorMessage.isEmpty()) {
            sb.append(": ").append(errorMessage);
        } else if (body != null && !body.trim().isEmpty()) {
            // No message in the body (an HTML page from a proxy, say): show what it was, briefly.
            sb.append(' ').append(BodySummary.of(firstValue(headers, "Content-Type"), body));
        }
        String requestId = firstValue(headers, "X-Request-ID");
        if (requestId != null) {
            sb.append(" (request id ").append(requestId).append(')');
        }
        return sb.toString();
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static String firstValue(Map<String, List<String>> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null
                    && e.getKey().equalsIgnoreCase(name)
                    && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }
}
