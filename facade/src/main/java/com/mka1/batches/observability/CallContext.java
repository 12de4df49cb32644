package com.mka1.batches.observability;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One call as its {@link CallListener}s see it: the operation, the request's method, path and
 * host, and room for each listener's own state of the call (a timer sample, a span) under a key of
 * its own. The same instance comes with every event of the call.
 *
 * <p>The operations: {@code batches.create}, {@code batches.get}, {@code batches.list},
 * {@code batches.cancel}, {@code files.upload}, {@code files.get}, {@code files.list},
 * {@code files.delete}, {@code files.content} and {@code files.download}. Higher-level methods
 * are made of these calls: {@code waitForCompletion} polls with {@code batches.get},
 * {@code results} reads with {@code files.content}, a batch run uploads, creates, polls and
 * downloads.
 *
 * <pre>{@code
 * // a listener keeping its own state of each call
 * public void callStarted(CallContext call) {
 *     call.put(this, System.nanoTime());
 * }
 * public void callEnded(CallContext call, CallResult result) {
 *     long took = System.nanoTime() - call.get(this, Long.class);
 * }
 * }</pre>
 *
 * <p>Thread-safe. The client makes one per call; the constructor is public for tests of
 * listeners.
 */
public final class CallContext {
    private final String operation;
    private final String method;
    private final String path;
    private final @Nullable String serverAddress;
    private Map<Object, Object> state;

    /**
     * @param operation the operation's name, such as {@code batches.get}
     * @param method the HTTP method
     * @param path the request's URL path, encoded, without the query
     * @throws NullPointerException if an argument is null
     */
    public CallContext(String operation, String method, String path) {
        this(operation, method, path, null);
    }

    /**
     * @param operation the operation's name, such as {@code batches.get}
     * @param method the HTTP method
     * @param path the request's URL path, encoded, without the query
     * @param serverAddress the host the request goes to, or {@code null} if unknown
     * @throws NullPointerException if {@code operation}, {@code method} or {@code path} is null
     */
    public CallContext(String operation, String method, String path, @Nullable String serverAddress) {
        this.operation = Objects.requireNonNull(operation, "operation == null");
        this.method = Objects.requireNonNull(method, "method == null");
        this.path = Objects.requireNonNull(path, "path == null");
        this.serverAddress = serverAddress;
    }

    /**
     * The operation, a name of few values (listed above) that never holds an id: made to tag
     * metrics with.
     *
     * @return the operation's name, such as {@code batches.get} or {@code files.upload}
     */
    public String operation() {
        return operation;
    }

    /** @return the HTTP method, such as {@code GET} */
    public String method() {
        return method;
    }

    /**
     * The path the call requests, ids included ({@code /api/v1/llm/batches/batch_abc}): for logs
     * and span attributes, never for metric tags, where each id would make a series of its own.
     *
     * @return the URL path, encoded, without the query
     */
    public String path() {
        return path;
    }

    /**
     * The host the request goes to, from the client's base URL: one value per client, so it may
     * tag metrics (OpenTelemetry's {@code server.address}).
     *
     * @return the host name or IP address, or {@code null} if unknown (made without one)
     */
    public @Nullable String serverAddress() {
        return serverAddress;
    }

    /**
     * Keeps a listener's state of this call.
     *
     * @param key the listener's own key (the listener itself, say), compared with {@code equals}
     * @param value the state, or {@code null} to remove it
     * @throws NullPointerException if {@code key} is null
     */
    public synchronized void put(Object key, @Nullable Object value) {
        Objects.requireNonNull(key, "key == null");
        if (value == null) {
            if (state != null) {
                state.remove(key);
            }
            return;
        }
        if (state == null) {
            state = new HashMap<>(4);
        }
        state.put(key, value);
    }

    /**
     * @param key the key given to {@link #put}
     * @param type the state's type
     * @param <T> the state's type
     * @return the state kept under {@code key}, or {@code null} if none
     * @throws NullPointerException if an argument is null
     * @throws ClassCastException if the state is not a {@code type}
     */
    public synchronized <T> @Nullable T get(Object key, Class<T> type) {
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(type, "type == null");
        return state == null ? null : type.cast(state.get(key));
    }

    /** @return the operation, method and path; no state */
    @Override
    public String toString() {
        return "CallContext{" + operation + ' ' + method + ' ' + path + '}';
    }
}
