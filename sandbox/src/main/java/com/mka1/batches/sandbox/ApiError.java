package com.mka1.batches.sandbox;

import com.google.gson.JsonObject;
import com.mka1.batches.models.ErrorDetail;

/** An error answer of the sandbox's API, rendered as an OpenAI-style error body. */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final String INVALID_REQUEST = "invalid_request_error";

    private final int status;
    private final String type;
    private final String code;
    private final String param;

    ApiError(int status, String type, String code, String param, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    static ApiError invalid(String code, String param, String message) {
        return new ApiError(400, INVALID_REQUEST, code, param, message);
    }

    static ApiError batchNotFound(String batchId) {
        return new ApiError(404, INVALID_REQUEST, "not_found", null, "No batch found with id " + batchId);
    }

    static ApiError fileNotFound(String fileId) {
        return new ApiError(404, INVALID_REQUEST, "not_found", null, "No file found with id " + fileId);
    }

    /** A create refused because its API key's queue is full, answered as MKA1 documents a rate limit. */
    static ApiError queueFull() {
        return new ApiError(429, "rate_limit_error", "rate_limit_exceeded", null, "Rate limit exceeded");
    }

    static ApiError unauthorized() {
        return new ApiError(401, "authentication_error", "invalid_api_key", null, "Invalid API key");
    }

    int status() {
        return status;
    }

    HttpReply toReply() {
        if (status == 429) {
            // MKA1's documented rate-limit body: a plain string under "error".
            JsonObject body = new JsonObject();
            body.addProperty("error", getMessage());
            return HttpReply.json(status, Json.GSON.toJson(body));
        }
        ErrorDetail detail =
                new ErrorDetail().message(getMessage()).type(type).code(code).param(param);
        JsonObject body = new JsonObject();
        body.add("error", Json.GSON.toJsonTree(detail));
        return HttpReply.json(status, Json.GSON.toJson(body));
    }
}
