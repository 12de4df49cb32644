package com.mka1.batches.sandbox;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.mka1.batches.models.BatchEndpoint;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
    static final String FILES_PATH = "/sandbox/files";
    private static final Pattern BATCH = Pattern.compile("^" + BATCHES_PATH + "/([^/]+)$");
    private static final Pattern CANCEL = Pattern.compile("^" + BATCHES_PATH + "/([^/]+)/cancel$");
    private static final Pattern FILE_CONTENT = Pattern.compile("^" + FILES_PATH + "/([^/]+)/content$");
    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;

    /** A request reduced to what the router reads. */
    static final class Call {
        final String method;
        final String path;
        final Map<String, String> query;
        final HeaderLookup headers;
        final String body;

        Call(String method, String url, HeaderLookup headers, String body) {
            this.method = method.toUpperCase(Locale.ROOT);
            int q = url.indexOf('?');
            this.path = q < 0 ? url : url.substring(0, q);
            this.query = q < 0 ? Collections.emptyMap() : parseQuery(url.substring(q + 1));
            this.headers = headers;
            this.body = body == null ? "" : body;
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
            if (call.path.equals(FILES_PATH) || call.path.startsWith(FILES_PATH + "/")) {
                return files(call);
            }
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
            switch (operation) {
                case CREATE:
                    return create(call, scope);
                case LIST:
                    return ok(state.list(scope, after(call), limit(call)));
                case GET:
                    return ok(state.get(scope, pathId(BATCH, call)));
                case CANCEL:
                    return ok(state.cancel(scope, pathId(CANCEL, call)));
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
        String onBehalfOf = call.headers.get("X-On-Behalf-Of");
        return key + "\n" + (onBehalfOf == null ? "" : onBehalfOf.trim());
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
        if (BatchEndpoint.fromValue(endpoint) == BatchEndpoint.UNKNOWN_DEFAULT_OPEN_API) {
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

    private static String pathId(Pattern pattern, Call call) {
        Matcher matcher = pattern.matcher(call.path);
        if (!matcher.matches()) {
            throw new IllegalStateException(call.path);
        }
        return URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
    }

    /** Sandbox-only endpoints (no auth) so the runnable jar can be fed files over HTTP. */
    private HttpReply files(Call call) {
        if (call.path.equals(FILES_PATH) && "POST".equals(call.method)) {
            String id = state.storeFile(call.body);
            JsonObject file = new JsonObject();
            file.addProperty("id", id);
            file.addProperty("object", "file");
            file.addProperty("bytes", call.body.getBytes(StandardCharsets.UTF_8).length);
            file.addProperty("purpose", "batch");
            return HttpReply.json(200, Json.GSON.toJson(file));
        }
        Matcher matcher = FILE_CONTENT.matcher(call.path);
        if (matcher.matches() && "GET".equals(call.method)) {
            String id = URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
            return state
                    .file(id)
                    .map(content -> HttpReply.text(200, "application/jsonl", content))
                    .orElseThrow(
                            () ->
                                    new ApiError(
                                            404, ApiError.INVALID_REQUEST, "not_found", null, "No file found with id " + id));
        }
        throw new ApiError(
                404,
                ApiError.INVALID_REQUEST,
                "unknown_url",
                null,
                "Unknown request URL: " + call.method + " " + call.path + ".");
    }

    private static HttpReply ok(Object model) {
        return HttpReply.json(200, Json.GSON.toJson(model));
    }

    private static Map<String, String> parseQuery(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(name, value);
        }
        return params;
    }
}
