package com.mka1.batches.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request the sandbox received, as recorded for assertions in users' tests.
 *
 * <pre>{@code
 * SandboxRequest create = sandbox.requests(SandboxOperation.CREATE).get(0);
 * assertThat(create.header("Idempotency-Key")).isPresent();
 * }</pre>
 *
 * <p>Header names are matched case-insensitively. Instances are immutable.
 */
public final class SandboxRequest {
    private final SandboxOperation operation;
    private final String method;
    private final String url;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    SandboxRequest(
            SandboxOperation operation, String method, String url, Map<String, List<String>> headers, byte[] body) {
        this.operation = operation;
        this.method = method;
        this.url = url;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.headers = Collections.unmodifiableMap(copy);
        this.body = body == null ? new byte[0] : body.clone();
    }

    /**
     * The operation the request addressed.
     *
     * @return the operation, or empty for a path or method the API does not have
     */
    public Optional<SandboxOperation> operation() {
        return Optional.ofNullable(operation);
    }

    /**
     * The HTTP method.
     *
     * @return e.g. {@code POST}
     */
    public String method() {
        return method;
    }

    /**
     * The path and query string.
     *
     * @return e.g. {@code /api/v1/llm/batches?limit=5}
     */
    public String url() {
        return url;
    }

    /**
     * The first value of a header.
     *
     * @param name the header name, any case
     * @return the value, or empty if the header was absent
     */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * Every header, names in case-insensitive order.
     *
     * @return an unmodifiable map of name to values
     */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /**
     * The request body as UTF-8 text.
     *
     * @return the body, empty if there was none
     */
    public String body() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The request body exactly as received, for binary bodies such as a multipart upload.
     *
     * @return a copy of the bytes, empty if there was none
     */
    public byte[] bodyBytes() {
        return body.clone();
    }

    @Override
    public String toString() {
        return method + " " + url;
    }
}
