package com.mka1.batches.jsonl;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.mka1.batches.errors.JsonlFormatException;
import com.mka1.batches.internal.Json;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
 * {@link #bodyAs(Class)} (or {@link #equals}, {@link #hashCode}) first asks for it, so reading ids
 * and statuses of many results costs no tree; it is parsed at most once, and the tree is kept from
 * then on.
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
    /** The body once parsed from {@link #bodySource}: parsed at most once, never handed out (callers get copies). */
    private volatile JsonObject body;

    private BatchResult(
            String id,
            String customId,
            Integer statusCode,
            String requestId,
            String bodySource,
            String errorCode,
            String errorMessage,
            long lineNumber) {
        this.id = id;
        this.customId = customId;
        this.statusCode = statusCode;
        this.requestId = requestId;
        this.bodySource = bodySource;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        this.lineNumber = lineNumber;
    }

    /**
     * Reads one line of a batch output or error file, as {@link BatchResultsReader} does each of
     * its lines.
     *
     * @param line the line, without its line terminator
     * @param lineNumber where the line was read (1-based), for messages
     * @return the result
     * @throws JsonlFormatException naming {@code lineNumber} if the line is not a result line
     */
    public static BatchResult parse(String line, long lineNumber) {
        Objects.requireNonNull(line, "line == null");
        BatchResult scanned = scan(line, lineNumber);
        return scanned != null ? scanned : parseTree(line, lineNumber).result;
    }

    /**
     * Reads a line in one pass by hand ({@link ResultLineScanner}), the body only checked (it stays
     * in the line's text until asked for): the fast way for a well-formed line, allocating no tree.
     * Returns null for anything it is not sure of (a malformed line, a member of the wrong type,
     * anything beyond plain strict JSON), which {@link #parseTree} then reads or rejects with its
     * reason: both read the same lines the same way.
     */
    static BatchResult scan(String line, long lineNumber) {
        ResultLineScanner scanner = new ResultLineScanner(line);
        if (!scanner.scan()) {
            return null;
        }
        return new BatchResult(
                scanner.id(),
                scanner.customId(),
                scanner.statusCode(),
                scanner.requestId(),
                scanner.hasBody() ? line : null,
                scanner.errorCode(),
                scanner.errorMessage(),
                lineNumber);
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
            return new Tree(
                    new BatchResult(
                            JsonLines.optionalString(result, "id"),
                            customId,
                            response == null ? null : statusCode(response),
                            response == null ? null : JsonLines.optionalString(response, "request_id"),
                            body == null ? null : line,
                            error == null ? null : JsonLines.optionalString(error, "code"),
                            error == null ? null : JsonLines.optionalString(error, "message"),
                            lineNumber),
                    body);
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
    public @Nullable String id() {
        return id;
    }

    /** @return the {@code custom_id} of the input line this result answers */
    public String customId() {
        return customId;
    }

    /** @return {@code response.status_code}, or {@code null} when there is no response */
    public @Nullable Integer statusCode() {
        return statusCode;
    }

    /** @return {@code response.request_id}, or {@code null} */
    public @Nullable String requestId() {
        return requestId;
    }

    /** @return {@code response.body}, a copy of its own at each call (yours to change), or {@code null} when there is none */
    public @Nullable JsonObject body() {
        JsonObject parsed = parsedBody();
        return parsed == null ? null : parsed.deepCopy();
    }

    /** The body, parsed on first use; a benign race may parse it twice, each time to an equal tree. */
    private @Nullable JsonObject parsedBody() {
        JsonObject parsed = body;
        if (parsed == null && bodySource != null) {
            parsed = parseTree(bodySource, lineNumber).body;
            body = parsed;
        }
        return parsed;
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
    public <T> @Nullable T bodyAs(Class<T> type) {
        Objects.requireNonNull(type, "type == null");
        JsonObject body = parsedBody();
        if (body == null) {
            return null;
        }
        try {
            return Json.read(body.toString(), type);
        } catch (Json.MalformedException e) {
            throw new JsonlFormatException(
                    lineNumber,
                    "the body of result " + customId + " is not a " + type.getSimpleName() + ": " + e.getMessage(),
                    e);
        }
    }

    /** @return {@code error.code} (e.g. {@code processing_error}), or {@code null} */
    public @Nullable String errorCode() {
        return errorCode;
    }

    /** @return {@code error.message}, or {@code null} */
    public @Nullable String errorMessage() {
        return errorMessage;
    }

    /** @return whether the request succeeded: a response with a status below 400, and no error */
    public boolean isSuccess() {
        return statusCode != null && statusCode < 400 && errorCode == null && errorMessage == null;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BatchResult)) {
            return false;
        }
        BatchResult that = (BatchResult) o;
        return Objects.equals(id, that.id)
                && customId.equals(that.customId)
                && Objects.equals(statusCode, that.statusCode)
                && Objects.equals(requestId, that.requestId)
                && Objects.equals(parsedBody(), that.parsedBody())
                && Objects.equals(errorCode, that.errorCode)
                && Objects.equals(errorMessage, that.errorMessage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, customId, statusCode, requestId, parsedBody(), errorCode, errorMessage);
    }

    @Override
    public String toString() {
        return "BatchResult{customId=" + customId + ", id=" + id + ", statusCode=" + statusCode
                + (errorCode == null && errorMessage == null ? "" : ", error=" + errorCode + ": " + errorMessage) + '}';
    }
}
