package com.mka1.batches.sandbox;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.FilePurpose;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP face of the sandbox: routes a request to an operation through one table ({@link
 * Route}), checks the API key ({@link ApiKeyAuth}), validates parameters ({@link QueryParams}) and
 * bodies, and renders the answer. Faults are applied around it by {@link SandboxTransformer}.
 */
final class ApiRouter {
    static final String BATCHES_PATH = "/api/v1/llm/batches";
    static final String FILES_PATH = "/api/v1/llm/files";
    /** Not an API path: the ledger, for a test that runs the sandbox in another process. */
    static final String LEDGER_PATH = "/sandbox/ledger";

    static final String UPLOAD_PURPOSES = "assistants, batch, fine-tune, vision, user_data";
    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;
    private static final int DEFAULT_FILES_LIMIT = 10_000;
    private static final int MAX_FILES_LIMIT = 10_000;

    /** Every operation of the API: method and path to handler. */
    private static final List<Route> ROUTES = List.of(
            new Route(
                    "POST",
                    BATCHES_PATH,
                    SandboxOperation.CREATE,
                    (router, call, scope, id) -> router.create(call, scope)),
            new Route(
                    "GET",
                    BATCHES_PATH,
                    SandboxOperation.LIST,
                    (router, call, scope, id) -> ok(
                            router.state.list(scope, call.query.after(), call.query.limit(DEFAULT_LIMIT, MAX_LIMIT)))),
            new Route(
                    "GET",
                    BATCHES_PATH + "/{id}",
                    SandboxOperation.GET,
                    (router, call, scope, id) -> ok(router.state.get(scope, id))),
            new Route(
                    "POST",
                    BATCHES_PATH + "/{id}/cancel",
                    SandboxOperation.CANCEL,
                    (router, call, scope, id) -> ok(router.state.cancel(scope, id))),
            new Route(
                    "POST",
                    FILES_PATH,
                    SandboxOperation.UPLOAD_FILE,
                    (router, call, scope, id) -> router.upload(call, scope)),
            new Route(
                    "GET",
                    FILES_PATH,
                    SandboxOperation.LIST_FILES,
                    (router, call, scope, id) -> ok(router.state.listFiles(
                            scope,
                            call.query.after(),
                            call.query.limit(DEFAULT_FILES_LIMIT, MAX_FILES_LIMIT),
                            call.query.ascending(),
                            call.query.purpose()))),
            new Route(
                    "GET",
                    FILES_PATH + "/{id}",
                    SandboxOperation.GET_FILE,
                    (router, call, scope, id) -> ok(router.state.file(scope, id).view())),
            new Route(
                    "DELETE",
                    FILES_PATH + "/{id}",
                    SandboxOperation.DELETE_FILE,
                    (router, call, scope, id) -> ok(router.state.delete(scope, id))),
            new Route(
                    "GET",
                    FILES_PATH + "/{id}/content",
                    SandboxOperation.GET_FILE_CONTENT,
                    (router, call, scope, id) -> content(call, router.state.file(scope, id))));

    private final SandboxState state;
    private final ApiKeyAuth auth;

    ApiRouter(SandboxState state, Set<String> apiKeys) {
        this.state = state;
        this.auth = new ApiKeyAuth(apiKeys);
    }

    /** The route of a method and path, or null for none. */
    static Route route(String method, String path) {
        for (Route route : ROUTES) {
            if (route.matches(method, path)) {
                return route;
            }
        }
        return null;
    }

    HttpReply handle(SandboxCall call) {
        try {
            Route route = route(call.method, call.path);
            String scope = auth.scope(call.headers);
            if (route == null && "GET".equals(call.method) && LEDGER_PATH.equals(call.path)) {
                return HttpReply.json(200, state.ledger().toJson());
            }
            if (route == null) {
                throw new ApiError(
                        404,
                        ApiError.INVALID_REQUEST,
                        "unknown_url",
                        null,
                        "Unknown request URL: " + call.method + " " + call.path + ".");
            }
            if (call.query.malformed != null) {
                throw ApiError.invalid(
                        "invalid_url",
                        null,
                        "The query parameter '" + call.query.malformed + "' is not valid percent-encoding.");
            }
            return route.handle(this, call, scope);
        } catch (ApiError e) {
            return e.toReply();
        } finally {
            // Before the answer goes out; a read can change the state too (see SandboxState.save).
            state.save();
        }
    }

    private HttpReply upload(SandboxCall call, String scope) {
        String boundary = Multipart.boundary(call.headers.get("Content-Type"));
        if (boundary == null) {
            throw ApiError.invalid("invalid_content_type", null, "The request body must be multipart/form-data.");
        }
        Map<String, Multipart.Part> parts;
        try {
            parts = Multipart.parse(call.bodyBytes, boundary);
        } catch (Multipart.MalformedException e) {
            throw ApiError.invalid(
                    "invalid_multipart", null, "The multipart body is malformed: " + e.getMessage() + ".");
        }
        Multipart.Part purposePart = parts.get("purpose");
        if (purposePart == null) {
            throw ApiError.invalid("missing_required_parameter", "purpose", "Missing required parameter: 'purpose'.");
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
        SandboxState.Uploaded uploaded = state.upload(
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
    private static HttpReply content(SandboxCall call, StoredFile file) {
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
                            "The range " + call.headers.get("Range") + " starts at or past the end of the file (" + size
                                    + " bytes).")
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

    private HttpReply create(SandboxCall call, String scope) {
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
        SandboxState.Created created = state.create(
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
            throw ApiError.invalid("missing_required_parameter", name, "Missing required parameter: '" + name + "'.");
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

    private static HttpReply ok(Object model) {
        return HttpReply.json(200, Json.GSON.toJson(model));
    }
}
