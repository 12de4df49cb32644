package com.mka1.batches.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.mka1.batches.models.BatchEndpoint;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Argument checks shared by the public entry points: messages name the argument at fault. */
public final class Checks {
    private Checks() {}

    public static String notBlank(String value, String name) {
        Objects.requireNonNull(value, name + " == null");
        if (value.trim().isEmpty()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    /** A batch id goes into one path segment. */
    public static String batchId(String batchId) {
        return pathSegment(batchId, "batchId");
    }

    /** A file id goes into one path segment. */
    public static String fileId(String fileId) {
        return pathSegment(fileId, "fileId");
    }

    /** An id that goes into one path segment; "." and ".." could never stay one. */
    private static String pathSegment(String id, String name) {
        Objects.requireNonNull(id, name + " == null");
        String problem = segmentProblem(id);
        if (problem != null) {
            throw new IllegalArgumentException(
                    name + " must not be " + problem + (problem.equals(BLANK) ? "" : ", was '" + id + "'"));
        }
        return id;
    }

    private static final String BLANK = "blank";

    /**
     * The rule for an id that goes into one path segment, shared with {@link ServerIds} (which
     * adds to it for ids from the server).
     *
     * @return what is wrong with {@code id} ("blank", "'.' or '..'"), or {@code null} if nothing
     */
    static String segmentProblem(String id) {
        if (id.trim().isEmpty()) {
            return BLANK;
        }
        if (id.equals(".") || id.equals("..")) {
            return "'.' or '..'";
        }
        return null;
    }

    /** Header values end up on the wire: CR or LF would let a value forge other headers. */
    public static String headerValue(String value, String name) {
        Objects.requireNonNull(value, name + " == null");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException(name + " must not contain CR, LF or NUL characters");
            }
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                throw new IllegalArgumentException(name + " contains a character not allowed in an HTTP header"
                        + " (code point " + (int) c + " at index " + i + ")");
            }
        }
        return value;
    }

    public static void headerName(String name) {
        notBlank(name, "header name");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("header name '" + printable(name)
                        + "' contains a character not allowed in an HTTP header name at index " + i);
            }
        }
    }

    /** @return the wire value of an endpoint, known or made with {@code BatchEndpoint.of}, checked as a path */
    public static String endpoint(BatchEndpoint endpoint) {
        return endpoint(Objects.requireNonNull(endpoint, "endpoint == null").asString());
    }

    /** @return an endpoint path as it goes on the wire, checked to start with '/' */
    public static String endpoint(String endpoint) {
        notBlank(endpoint, "endpoint");
        if (!endpoint.startsWith("/")) {
            throw new IllegalArgumentException("endpoint must be a path starting with '/', was '" + endpoint + "'");
        }
        return endpoint;
    }

    /** Puts one metadata entry into {@code target}, refusing null keys and values. */
    public static void putMetadata(Map<String, String> target, String key, String value) {
        Objects.requireNonNull(key, "metadata key == null");
        Objects.requireNonNull(value, "metadata value for key '" + key + "' == null");
        target.put(key, value);
    }

    public static int inRange(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    public static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name + " == null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    public static Duration notNegative(Duration value, String name) {
        Objects.requireNonNull(value, name + " == null");
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    private static String printable(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }

    /**
     * A request body given in code as a JSON object: a Gson {@link JsonObject} (copied), a
     * {@code Map}, or any object Gson turns into one.
     *
     * @throws IllegalArgumentException naming the request if it is not a JSON object
     */
    public static JsonObject requestBody(String customId, Object body) {
        notBlank(customId, "customId");
        Objects.requireNonNull(body, "body == null");
        JsonElement json = body instanceof JsonElement ? ((JsonElement) body).deepCopy() : Json.GSON.toJsonTree(body);
        if (!json.isJsonObject()) {
            throw new IllegalArgumentException("the body of request '" + customId + "' must be a JSON object, was "
                    + (json.isJsonArray() ? "an array" : json.isJsonNull() ? "null" : "a " + kind(json))
                    + " (pass a JsonObject, a Map, or an object Gson maps to a JSON object)");
        }
        return json.getAsJsonObject();
    }

    private static String kind(JsonElement json) {
        if (json.getAsJsonPrimitive().isString()) {
            return "string";
        }
        return json.getAsJsonPrimitive().isNumber() ? "number" : "boolean";
    }

    /** @return a copy of {@code metadata}, refusing a null map, keys and values */
    public static Map<String, String> metadata(Map<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata == null");
        Map<String, String> copy = new LinkedHashMap<>();
        metadata.forEach((k, v) -> putMetadata(copy, k, v));
        return copy;
    }
}
