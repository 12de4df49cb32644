package com.mka1.batches.jsonl;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.mka1.batches.internal.Checks;
import com.mka1.batches.internal.Json;
import com.mka1.batches.models.BatchEndpoint;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One request of a batch input file: {@code {"custom_id": ..., "method": "POST", "url": ...,
 * "body": {...}}}. Immutable; the body is copied in and out.
 *
 * <pre>{@code
 * JsonObject body = new JsonObject();
 * body.addProperty("model", "meetkai:functionary-pt");
 * BatchInputLine line = BatchInputLine.of("request-1", BatchEndpoint.CHAT_COMPLETIONS, body);
 * line.toJson();  // {"custom_id":"request-1","method":"POST","url":"/v1/chat/completions","body":{"model":...}}
 * }</pre>
 *
 * <p>The method is always {@code POST}, the only one the API supports. The body is not checked
 * against the endpoint's schema: that is the server's job.
 */
public final class BatchInputLine {
    /** The only method the Batch API accepts. */
    public static final String METHOD = "POST";

    private final String customId;
    private final String url;
    private final JsonObject body;

    private BatchInputLine(String customId, String url, JsonObject body) {
        this.customId = Checks.notBlank(customId, "customId");
        this.url = Checks.notBlank(url, "url");
        this.body = Objects.requireNonNull(body, "body == null").deepCopy();
    }

    /**
     * @param customId the caller's id of this request, unique within the file; not blank
     * @param endpoint the endpoint the request goes to (the file's endpoint)
     * @param body the body of the request to the synchronous endpoint
     * @return the line
     * @throws IllegalArgumentException if customId is blank or the endpoint is not a path starting
     *     with '/' (an endpoint newer than the library, {@code BatchEndpoint.of("/v1/responses")}, is fine)
     */
    public static BatchInputLine of(String customId, BatchEndpoint endpoint, JsonObject body) {
        return new BatchInputLine(customId, url(endpoint), body);
    }

    /**
     * @param customId the caller's id of this request, unique within the file; not blank
     * @param url the endpoint path, such as {@code /v1/chat/completions}; not blank
     * @param body the body of the request to the synchronous endpoint
     * @return the line
     */
    public static BatchInputLine of(String customId, String url, JsonObject body) {
        return new BatchInputLine(customId, url, body);
    }

    /**
     * @param customId the caller's id of this request, unique within the file; not blank
     * @param url the endpoint path, such as {@code /v1/embeddings}; not blank
     * @param body the body as a map, turned into JSON by Gson (nested maps, lists, strings,
     *     numbers, booleans)
     * @return the line
     */
    public static BatchInputLine of(String customId, String url, Map<String, ?> body) {
        return new BatchInputLine(customId, url, toJson(body));
    }

    /** @return the caller's id of this request */
    public String customId() {
        return customId;
    }

    /** @return always {@value #METHOD} */
    public String method() {
        return METHOD;
    }

    /** @return the endpoint path the request goes to */
    public String url() {
        return url;
    }

    /** @return a copy of the request body */
    public JsonObject body() {
        return body.deepCopy();
    }

    /** @return the line as compact JSON, without a line terminator */
    public String toJson() {
        return Json.GSON.toJson(toJsonObject());
    }

    JsonObject toJsonObject() {
        JsonObject line = new JsonObject();
        line.addProperty("custom_id", customId);
        line.addProperty("method", METHOD);
        line.addProperty("url", url);
        line.add("body", body);
        return line;
    }

    static String url(BatchEndpoint endpoint) {
        return Checks.endpoint(endpoint);
    }

    static JsonObject toJson(Map<String, ?> body) {
        Objects.requireNonNull(body, "body == null");
        JsonElement tree = Json.GSON.toJsonTree(body);
        return tree.getAsJsonObject();
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BatchInputLine)) {
            return false;
        }
        BatchInputLine that = (BatchInputLine) o;
        return customId.equals(that.customId) && url.equals(that.url) && body.equals(that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(customId, url, body);
    }

    @Override
    public String toString() {
        return "BatchInputLine{customId=" + customId + ", url=" + url + '}';
    }
}
