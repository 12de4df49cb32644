package com.mka1.batches.sandbox;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.FilePurpose;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP face of the sandbox: routes a request to an operation, checks the API key, validates
 * parameters and bodies, and renders the answer. Faults are applied around it by {@link
 * SandboxTransformer}.
 */
final class ApiRouter {
    static final String BATCHES_PATH = "/api/v1/llm/batches";
    static final String FILES_PATH = "/api/v1/llm/files";
    private static final Pattern BATCH = Pattern.compile("^" + BATCHES_PATH + "/([^/]+)$");
    private static final Pattern CANCEL = Pattern.compile("^" + BATCHES_PATH + "/([^/]+)/cancel$");
    private static final Pattern FILE = Pattern.compile("^" + FILES_PATH + "/([^/]+)$");
    private static final Pattern FILE_CONTENT = Pattern.compile("^" + FILES_PATH + "/([^/]+)/content$");
    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;
    private static final int DEFAULT_FILES_LIMIT = 10_000;
    private static final int MAX_FILES_LIMIT = 10_000;
    private static final String UPLOAD_PURPOSES = "assistants, batch, fine-tune, vision, user_data";

    /** A request reduced to what the router reads. */
    static final class Call {
        final String method;
        final String path;
        final Map<String, String> query;
        final HeaderLookup headers;
        final byte[] bodyBytes;
        final String body;
        /** A query parameter whose percent-encoding is broken, answered 400; or null. */
        final String malformedQuery;

        Call(String method, String url, HeaderLookup headers, String body) {
            this(method, url, headers, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
        }

        Call(String method, String url, HeaderLookup headers, byte[] body) {
            this.method = method.toUpperCase(Locale.ROOT);
            int q = url.indexOf('?');
            this.path = q < 0 ? url : url.substring(0, q);
            Map<String, String> query = new LinkedHashMap<>();
            this.malformedQuery = q < 0 ? null : parseQuery(url.substring(q + 1), query);
            this.query = Collections.unmodifiableMap(query);
            this.headers = headers;
            this.bodyBytes = body == null ? new byte[0] : body;
            this.body = new String(bodyBytes, StandardCharsets.UTF_8);
        }

        /** The API operation this call addresses, or null for any other path or method. */
        SandboxOperation operation() {
            if (path.equals(BATCHES_PATH)) {
                return "POST".equals(method)
                        ? SandboxOperation.CREATE
                        : "GET".equals(method) ? SandboxOperation.LIST : null;
            }
            if ("GET".equals(method) && BATCH.matcher(path).matches()) {
                return SandboxOperation.GET;
            }
            if ("POST".equals(method) && CANCEL.matcher(path).matches()) {
                return SandboxOperation.CANCEL;
            }
            if (path.equals(FILES_PATH)) {
                return "POST".equals(method)
                        ? SandboxOperation.UPLOAD_FILE
                        : "GET".equals(method) ? SandboxOperation.LIST_FILES : null;
            }
            if (FILE.matcher(path).matches()) {
                return "GET".equals(method)
                        ? SandboxOperation.GET_FILE
                        : "DELETE".equals(method) ? SandboxOperation.DELETE_FILE : null;
            }
            if ("GET".equals(method) && FILE_CONTENT.matcher(path).matches()) {
                return SandboxOperation.GET_FILE_CONTENT;
            }
            return null;
        }
    }

    /** Case-insensitive header access. */
    interface HeaderLookup {
        /** The header's first value, or null. */
        String get(String name);
    }

    private final SandboxState state;
    private final Set<String> apiKeys;

    ApiRouter(SandboxState state, Set<String> apiKeys) {
        this.state = state;
        this.apiKeys = apiKeys;
    }

    HttpReply handle(Call call) {
        try {
            SandboxOperation operation = call.operation();
            String scope = authenticate(call);
            if (operation == null) {
                throw new ApiError(
                        404,
                        ApiError.INVALID_REQUEST,
                        "unknown_url",
                        null,
                        "Unknown request URL: " + call.method + " " + call.path + ".");
            }
            if (call.malformedQuery != null) {
                throw ApiError.invalid(
                        "invalid_url",
                        null,
                        "The query parameter '" + call.malformedQuery + "' is not valid percent-encoding.");
            }
            switch (operation) {
                case CREATE:
                    return create(call, scope);
                case LIST:
                    return ok(state.list(scope, after(call), limit(call)));
                case GET:
                    return ok(state.get(scope, pathId(BATCH, call)));
                case CANCEL:
                    return ok(state.cancel(scope, pathId(CANCEL, call)));
                case UPLOAD_FILE:
                    return upload(call, scope);
                case LIST_FILES:
                    return ok(
                            state.listFiles(
                                    scope, after(call), filesLimit(call), ascending(call), purposeFilter(call)));
                case GET_FILE:
                    return ok(state.file(scope, pathId(FILE, call)).view());
                case GET_FILE_CONTENT:
                    return content(call, state.file(scope, pathId(FILE_CONTENT, call)));
                case DELETE_FILE:
                    return ok(state.delete(scope, pathId(FILE, call)));
                default:
                    throw new IllegalStateException(operation.name());
            }
        } catch (ApiError e) {
            return e.toReply();
        }
    }

    /** The scope a call's batches live in: its API key and its X-On-Behalf-Of user, if any. */
    private String authenticate(Call call) {
        String authorization = call.headers.get("Authorization");
        String key = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = authorization.substring(7).trim();
        }
        if (key == null || !apiKeys.contains(key)) {
            throw ApiError.unauthorized();
        }
        return SandboxState.scope(key, call.headers.get("X-On-Behalf-Of"));
    }

    private HttpReply upload(Call call, String scope) {
        String boundary = Multipart.boundary(call.headers.get("Content-Type"));
        if (boundary == null) {
            throw ApiError.invalid(
                    "invalid_content_type", null, "The request body must be multipart/form-data.");
        }
        Map<String, Multipart.Part> parts;
        try {
            parts = Multipart.parse(call.bodyBytes, boundary);
        } catch (Multipart.MalformedException e) {
            throw ApiError.invalid("invalid_multipart", null, "The multipart body is malformed: " + e.getMessage() + ".");
        }
        Multipart.Part purposePart = parts.get("purpose");
        if (purposePart == null) {
            throw ApiError.invalid(
                    "missing_required_parameter", "purpose", "Missing required parameter: 'purpose'.");
        }
        String purposeText = purposePart.text().trim();
        FilePurpose purpose = FilePurpose.fromValue(purposeText);
        if (!purpose.isKnown() || FilePurpose.EVALS.equals(purpose)) {
            throw ApiError.invalid(
                    "invalid_value",
                    "purpose",
                    "Invalid purpose '" + purposeText + "': expected one of " + UPLOAD_PURPOSES + ".");
        }
        Multipart.Part file = parts.get("file");
        if (file == null) {
            throw ApiError.invalid("missing_required_parameter", "file", "Missing required parameter: 'file'.");
        }
        if (file.filename == null || file.filename.isBlank()) {
            throw ApiError.invalid("invalid_value", "file", "The 'file' part must have a filename.");
        }
        String idempotencyKey = call.headers.get("Idempotency-Key");
        SandboxState.Uploaded uploaded =
                state.upload(
                        scope,
                        idempotencyKey == null || idempotencyKey.isEmpty() ? null : idempotencyKey,
                        file.filename,
                        purpose,
                        file.contentType == null ? "application/octet-stream" : file.contentType,
                        file.content);
        HttpReply reply = ok(uploaded.file);
        return uploaded.replayed ? reply.header("Idempotent-Replayed", "true") : reply;
    }

    /** The whole file, or the one range asked for (see {@link ByteRange}). */
    private static HttpReply content(Call call, StoredFile file) {
        byte[] bytes = file.contentUnsafe();
        long size = bytes.length;
        ByteRange range = ByteRange.parse(call.headers.get("Range"));
        if (range == null) {
            return HttpReply.bytes(200, file.contentType, bytes).header("Accept-Ranges", "bytes");
        }
        if (!range.satisfiable(size)) {
            return new ApiError(
                            416,
                            ApiError.INVALID_REQUEST,
                            "range_not_satisfiable",
                            null,
                            "The range " + call.headers.get("Range") + " starts at or past the end of the file ("
                                    + size + " bytes).")
                    .toReply()
                    .header("Content-Range", "bytes */" + size)
                    .header("Accept-Ranges", "bytes");
        }
        long last = range.lastFor(size);
        byte[] part = Arrays.copyOfRange(bytes, (int) range.first, (int) last + 1);
        return HttpReply.bytes(206, file.contentType, part)
                .header("Content-Range", "bytes " + range.first + "-" + last + "/" + size)
                .header("Accept-Ranges", "bytes");
    }

    private HttpReply create(Call call, String scope) {
        JsonElement parsed;
        try {
            parsed = Json.parseStrict(call.body);
        } catch (JsonParseException e) {
            throw ApiError.invalid("invalid_json", null, "The request body is not valid JSON.");
        }
        if (!parsed.isJsonObject()) {
            throw ApiError.invalid("invalid_json", null, "The request body must be a JSON object.");
        }
        JsonObject body = parsed.getAsJsonObject();
        String inputFileId = requiredString(body, "input_file_id");
        if (inputFileId.isBlank()) {
            throw ApiError.invalid("invalid_value", "input_file_id", "input_file_id must not be blank.");
        }
        String endpoint = requiredString(body, "endpoint");
        if (!BatchEndpoint.of(endpoint).isKnown()) {
            throw ApiError.invalid(
                    "invalid_value",
                    "endpoint",
                    "Invalid endpoint '" + endpoint + "': expected one of /v1/chat/completions, "
                            + "/v1/embeddings, /v1/images/generations.");
        }
        String completionWindow = requiredString(body, "completion_window");
        if (!"24h".equals(completionWindow)) {
            throw ApiError.invalid(
                    "invalid_value",
                    "completion_window",
                    "Invalid completion_window '" + completionWindow + "': only 24h is supported.");
        }
        Map<String, String> metadata = metadata(body.get("metadata"));
        String idempotencyKey = call.headers.get("Idempotency-Key");
        SandboxState.Created created =
                state.create(
                        scope,
                        idempotencyKey == null || idempotencyKey.isEmpty() ? null : idempotencyKey,
                        body,
                        inputFileId,
                        endpoint,
                        completionWindow,
                        metadata);
        HttpReply reply = ok(created.batch);
        return created.replayed ? reply.header("Idempotent-Replayed", "true") : reply;
    }

    private static String requiredString(JsonObject body, String name) {
        JsonElement value = body.get(name);
        if (value == null || value.isJsonNull()) {
            throw ApiError.invalid(
                    "missing_required_parameter", name, "Missing required parameter: '" + name + "'.");
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw ApiError.invalid("invalid_type", name, "'" + name + "' must be a string.");
        }
        return value.getAsString();
    }

    private static Map<String, String> metadata(JsonElement value) {
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (!value.isJsonObject()) {
            throw ApiError.invalid("invalid_type", "metadata", "'metadata' must be an object.");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : value.getAsJsonObject().entrySet()) {
            JsonElement each = entry.getValue();
            if (!each.isJsonPrimitive() || !each.getAsJsonPrimitive().isString()) {
                throw ApiError.invalid(
                        "invalid_type", "metadata", "metadata value '" + entry.getKey() + "' must be a string.");
            }
            metadata.put(entry.getKey(), each.getAsString());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static String after(Call call) {
        String after = call.query.get("after");
        return after == null || after.isEmpty() ? null : after;
    }

    private static int limit(Call call) {
        String raw = call.query.get("limit");
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiError.invalid(
                    "invalid_value",
                    "limit",
                    "Invalid limit '" + raw + "': expected an integer from 1 to " + MAX_LIMIT + ".");
        }
        return limit;
    }

    private static int filesLimit(Call call) {
        String raw = call.query.get("limit");
        if (raw == null) {
            return DEFAULT_FILES_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_FILES_LIMIT) {
            throw ApiError.invalid(
                    "invalid_value",
                    "limit",
                    "Invalid limit '" + raw + "': expected an integer from 1 to " + MAX_FILES_LIMIT + ".");
        }
        return limit;
    }

    private static boolean ascending(Call call) {
        String order = call.query.get("order");
        if (order == null || order.equals("desc")) {
            return false;
        }
        if (order.equals("asc")) {
            return true;
        }
        throw ApiError.invalid("invalid_value", "order", "Invalid order '" + order + "': expected asc or desc.");
    }

    private static FilePurpose purposeFilter(Call call) {
        String raw = call.query.get("purpose");
        if (raw == null) {
            return null;
        }
        FilePurpose purpose = FilePurpose.fromValue(raw);
        if (!purpose.isKnown()) {
            throw ApiError.invalid(
                    "invalid_value",
                    "purpose",
                    "Invalid purpose '" + raw + "': expected one of " + UPLOAD_PURPOSES + ", evals.");
        }
        return purpose;
    }

    private static String pathId(Pattern pattern, Call call) {
        Matcher matcher = pattern.matcher(call.path);
        if (!matcher.matches()) {
            throw new IllegalStateException(call.path);
        }
        try {
            return URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid(
                    "invalid_url", null, "The id '" + matcher.group(1) + "' in the path is not valid percent-encoding.");
        }
    }

    private static HttpReply ok(Object model) {
        return HttpReply.json(200, Json.GSON.toJson(model));
    }

    /**
     * Reads a query string into {@code params}; a pair with broken percent-encoding (URLDecoder
     * throws for it) is left out.
     *
     * @return the first such pair, for a 400 once the call is authenticated; null if there is none
     */
    private static String parseQuery(String query, Map<String, String> params) {
        String malformed = null;
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                malformed = malformed == null ? pair : malformed;
            }
        }
        return malformed;
    }
}
