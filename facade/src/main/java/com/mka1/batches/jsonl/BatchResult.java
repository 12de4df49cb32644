package com.mka1.batches.jsonl;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.mka1.batches.errors.JsonlFormatException;
import com.mka1.batches.internal.Json;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * One line of a batch output or error file: the result of one request, found by its
 * {@code custom_id}.
 *
 * <pre>{@code
 * // {"id":"batch_req_1","custom_id":"request-1","response":{"status_code":200,"request_id":"req_1",
 * //  "body":{"choices":[...]}},"error":null}
 * if (result.isSuccess()) {
 *     JsonObject completion = result.body();
 * } else {
 *     log.warn("{} failed: {} {} {}", result.customId(), result.statusCode(), result.errorCode(),
 *             result.errorMessage());
 * }
 * }</pre>
 *
 * <p>A request failed when the line has no {@code response} (the batch could not run it: then
 * {@code error} says why), when {@code response.status_code} is 400 or more (the endpoint
 * refused it: {@link #body()} holds the endpoint's error body), or when {@code error} is set.
 * Immutable. The body is kept as the line's text and parsed when {@link #body()} or
 * {@link #bodyAs(Class)} asks for it, so reading ids and statuses of many results costs no tree.
 */
public final class BatchResult {
    private final String id;
    private final String customId;
    private final Integer statusCode;
    private final String requestId;
    /** The line, kept when it has a body, which is parsed from it only when asked for. */
    private final String bodySource;
    private final String errorCode;
    private final String errorMessage;
    /** Where the line was read, for messages; not part of equality. */
    private final long lineNumber;

    private BatchResult(String id, String customId, Integer statusCode, String requestId, String bodySource,
                        String errorCode, String errorMessage, long lineNumber) {
        this.id = id;
        this.customId = customId;
        this.statusCode = statusCode;
        this.requestId = requestId;
        this.bodySource = bodySource;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        this.lineNumber = lineNumber;
    }

    /** Reads one line; throws {@link JsonlFormatException} naming {@code lineNumber} if it is malformed. */
    static BatchResult parse(String line, long lineNumber) {
        BatchResult scanned = scan(line, lineNumber);
        return scanned != null ? scanned : parseTree(line, lineNumber).result;
    }

    /**
     * Reads a line as it streams, the body skipped (it stays in the line's text until asked for):
     * the fast way for a well-formed line, allocating no tree. Returns null for anything it does not
     * take as it is (a malformed line, a member of the wrong type), which {@link #parseTree} then
     * reads or rejects with its reason: both read the same lines the same way.
     */
    static BatchResult scan(String line, long lineNumber) {
        if (!stringsAreStrict(line)) {
            return null;
        }
        JsonReader in = new JsonReader(new StringReader(line));
        in.setStrictness(Strictness.STRICT);
        try {
            String id = null;
            String customId = null;
            Integer statusCode = null;
            String requestId = null;
            boolean hasBody = false;
            String errorCode = null;
            String errorMessage = null;
            in.beginObject();
            while (in.hasNext()) {
                switch (in.nextName()) {
                    case "id":
                        id = string(in);
                        break;
                    case "custom_id":
                        customId = string(in);
                        break;
                    case "response":
                        statusCode = null;
                        requestId = null;
                        hasBody = false;
                        if (nullOrObject(in)) {
                            while (in.hasNext()) {
                                switch (in.nextName()) {
                                    case "status_code":
                                        statusCode = integer(in);
                                        break;
                                    case "request_id":
                                        requestId = string(in);
                                        break;
                                    case "body":
                                        hasBody = skipObject(in);
                                        break;
                                    default:
                                        in.skipValue();
                                }
                            }
                            in.endObject();
                        }
                        break;
                    case "error":
                        errorCode = null;
                        errorMessage = null;
                        if (nullOrObject(in)) {
                            while (in.hasNext()) {
                                switch (in.nextName()) {
                                    case "code":
                                        errorCode = string(in);
                                        break;
                                    case "message":
                                        errorMessage = string(in);
                                        break;
                                    default:
                                        in.skipValue();
                                }
                            }
                            in.endObject();
                        }
                        break;
                    default:
                        in.skipValue();
                }
            }
            in.endObject();
            if (customId == null || in.peek() != JsonToken.END_DOCUMENT) {
                return null;
            }
            return new BatchResult(id, customId, statusCode, requestId, hasBody ? line : null, errorCode, errorMessage,
                    lineNumber);
        } catch (IOException | RuntimeException notTheUsualShape) {
            return null;
        }
    }

    /**
     * Whether every string in the line is one the strict parser takes: no control character, and
     * only valid escapes. Skipping a value checks its structure, numbers and literals, but not what
     * is inside its strings, so {@link #scan} leaves a line that fails this (or merely has a tab
     * between its tokens) to the tree parse.
     */
    private static boolean stringsAreStrict(String line) {
        for (int i = 0, n = line.length(); i < n; i++) {
            char c = line.charAt(i);
            if (c < 0x20) {
                return false;
            }
            if (c == '\\') {
                char escaped = ++i < n ? line.charAt(i) : 0;
                if (escaped == 'u') {
                    if (i + 4 >= n) {
                        return false;
                    }
                    for (int k = 1; k <= 4; k++) {
                        char hex = line.charAt(i + k);
                        if (!(hex >= '0' && hex <= '9' || hex >= 'a' && hex <= 'f' || hex >= 'A' && hex <= 'F')) {
                            return false;
                        }
                    }
                    i += 4;
                } else if ("\"\\/bfnrt".indexOf(escaped) < 0 || escaped == 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A string member's value, null for JSON null; anything else is not for {@link #scan}. */
    private static String string(JsonReader in) throws IOException {
        JsonToken token = in.peek();
        if (token == JsonToken.NULL) {
            in.nextNull();
            return null;
        }
        if (token != JsonToken.STRING) {
            throw new IllegalStateException("not a string");
        }
        return in.nextString();
    }

    /** An integer member's value written as a plain integer, null for JSON null; anything else is not for {@link #scan}. */
    private static Integer integer(JsonReader in) throws IOException {
        JsonToken token = in.peek();
        if (token == JsonToken.NULL) {
            in.nextNull();
            return null;
        }
        if (token != JsonToken.NUMBER) {
            throw new IllegalStateException("not a number");
        }
        // A plain integer, or (a fraction, an exponent, out of range) NumberFormatException: the tree parse decides.
        return Integer.parseInt(in.nextString());
    }

    /** Consumes a JSON null (false) or enters an object (true); anything else is not for {@link #scan}. */
    private static boolean nullOrObject(JsonReader in) throws IOException {
        if (in.peek() == JsonToken.NULL) {
            in.nextNull();
            return false;
        }
        in.beginObject();
        return true;
    }

    /** Skips an object (true) or a JSON null (false); anything else is not for {@link #scan}. */
    private static boolean skipObject(JsonReader in) throws IOException {
        JsonToken token = in.peek();
        if (token == JsonToken.NULL) {
            in.nextNull();
            return false;
        }
        if (token != JsonToken.BEGIN_OBJECT) {
            throw new IllegalStateException("not an object");
        }
        in.skipValue();
        return true;
    }

    /** A line read whole into a tree: the result, and its body. */
    static final class Tree {
        final BatchResult result;
        final JsonObject body;

        Tree(BatchResult result, JsonObject body) {
            this.result = result;
            this.body = body;
        }
    }

    /** Reads a line whole; throws {@link JsonlFormatException} with the reason if it is not a result line. */
    static Tree parseTree(String line, long lineNumber) {
        try {
            JsonElement element = JsonLines.parse(line);
            if (!element.isJsonObject()) {
                throw new JsonLines.BadJson("a result line must be a JSON object", null);
            }
            JsonObject result = element.getAsJsonObject();
            String customId = JsonLines.optionalString(result, "custom_id");
            if (customId == null) {
                throw new JsonLines.BadJson("\"custom_id\" is missing", null);
            }
            JsonObject response = JsonLines.optionalObject(result, "response");
            JsonObject error = JsonLines.optionalObject(result, "error");
            JsonObject body = response == null ? null : JsonLines.optionalObject(response, "body");
            return new Tree(new BatchResult(JsonLines.optionalString(result, "id"), customId,
                    response == null ? null : statusCode(response),
                    response == null ? null : JsonLines.optionalString(response, "request_id"),
                    body == null ? null : line,
                    error == null ? null : JsonLines.optionalString(error, "code"),
                    error == null ? null : JsonLines.optionalString(error, "message"), lineNumber), body);
        } catch (JsonLines.BadJson e) {
            throw new JsonlFormatException(lineNumber, "not a batch result line: " + e.getMessage(), e.getCause());
        }
    }

    private static Integer statusCode(JsonObject response) throws JsonLines.BadJson {
        JsonElement code = response.get("status_code");
        if (code == null || code.isJsonNull()) {
            return null;
        }
        try {
            if (code.isJsonPrimitive() && code.getAsJsonPrimitive().isNumber()) {
                return code.getAsBigDecimal().intValueExact();
            }
        } catch (ArithmeticException | NumberFormatException notAnInt) {
            // Falls through to the error below. Gson refuses to make a BigDecimal of an exponent
            // beyond its limits (1e1000000200) with a NumberFormatException.
        }
        throw new JsonLines.BadJson("\"response.status_code\" must be an integer, was " + code, null);
    }

    /** @return the id the API gave this request, or {@code null} if the line has none */
    public String id() {
        return id;
    }

    /** @return the {@code custom_id} of the input line this result answers */
    public String customId() {
        return customId;
    }

    /** @return {@code response.status_code}, or {@code null} when there is no response */
    public Integer statusCode() {
        return statusCode;
    }

    /** @return {@code response.request_id}, or {@code null} */
    public String requestId() {
        return requestId;
    }

    /** @return {@code response.body}, parsed anew at each call (yours to change), or {@code null} when there is none */
    public JsonObject body() {
        return bodySource == null ? null : parseTree(bodySource, lineNumber).body;
    }

    /**
     * The response body as your own type, e.g. a chat completion class of yours or of another
     * library, mapped with the library's Gson (snake_case JSON names need {@code @SerializedName}
     * or matching field names).
     *
     * @param type the class to map the body to
     * @param <T> that class
     * @return the body as {@code type}, or {@code null} when the line has no body
     * @throws JsonlFormatException if the body does not fit {@code type}, naming the line
     */
    public <T> T bodyAs(Class<T> type) {
        Objects.requireNonNull(type, "type == null");
        JsonObject body = body();
        if (body == null) {
            return null;
        }
        try {
            return Json.read(body.toString(), type);
        } catch (Json.MalformedException e) {
            throw new JsonlFormatException(lineNumber, "the body of result " + customId + " is not a " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    /** @return {@code error.code} (e.g. {@code processing_error}), or {@code null} */
    public String errorCode() {
        return errorCode;
    }

    /** @return {@code error.message}, or {@code null} */
    public String errorMessage() {
        return errorMessage;
    }

    /** @return whether the request succeeded: a response with a status below 400, and no error */
    public boolean isSuccess() {
        return statusCode != null && statusCode < 400 && errorCode == null && errorMessage == null;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BatchResult)) {
            return false;
        }
        BatchResult that = (BatchResult) o;
        return Objects.equals(id, that.id) && customId.equals(that.customId)
                && Objects.equals(statusCode, that.statusCode) && Objects.equals(requestId, that.requestId)
                && Objects.equals(body(), that.body()) && Objects.equals(errorCode, that.errorCode)
                && Objects.equals(errorMessage, that.errorMessage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, customId, statusCode, requestId, body(), errorCode, errorMessage);
    }

    @Override
    public String toString() {
        return "BatchResult{customId=" + customId + ", id=" + id + ", statusCode=" + statusCode
                + (errorCode == null && errorMessage == null ? "" : ", error=" + errorCode + ": " + errorMessage) + '}';
    }
}
