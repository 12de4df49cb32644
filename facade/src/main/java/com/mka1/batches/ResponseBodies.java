package com.mka1.batches;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.AuthenticationException;
import com.mka1.batches.errors.BadRequestException;
import com.mka1.batches.errors.ConflictException;
import com.mka1.batches.errors.InternalServerException;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.errors.NotFoundException;
import com.mka1.batches.errors.PermissionDeniedException;
import com.mka1.batches.errors.RateLimitException;
import com.mka1.batches.errors.UnexpectedStatusException;
import com.mka1.batches.errors.UnprocessableEntityException;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;

/** Turns response bodies into models (2xx) or typed exceptions (4xx/5xx). */
final class ResponseBodies {
    /** A plain-text error body up to this length is used as the message. */
    private static final int MAX_TEXT_MESSAGE = 200;

    private ResponseBodies() {
    }

    /**
     * Parses a success body into {@code type}.
     *
     * @throws InvalidResponseException if the body is not a complete, valid {@code type}
     */
    static <T> T parse(int statusCode, String body, Class<T> type) {
        if (body.trim().isEmpty()) {
            throw new InvalidResponseException(statusCode, "expected a JSON " + type.getSimpleName(), body, null);
        }
        T value;
        try {
            JsonReader reader = new JsonReader(new StringReader(body));
            value = Json.GSON.getAdapter(type).read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new InvalidResponseException(statusCode, "unexpected data after the JSON value", body, null);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidResponseException) {
                throw (InvalidResponseException) e;
            }
            throw new InvalidResponseException(statusCode,
                    "not a valid " + type.getSimpleName() + " (" + e.getMessage() + ")", body, e);
        }
        if (value == null) {
            throw new InvalidResponseException(statusCode, "expected a JSON " + type.getSimpleName() + ", got null", body, null);
        }
        String missing = RequiredFields.firstMissing(value);
        if (missing != null) {
            throw new InvalidResponseException(statusCode,
                    "required field '" + missing + "' of " + type.getSimpleName() + " is missing or null", body, null);
        }
        return value;
    }

    /** Maps an error response, whatever the shape of its body, to the exception for its status. */
    static ApiException error(int statusCode, Map<String, List<String>> headers, String body) {
        String message = null;
        String type = null;
        String code = null;
        JsonObject json = parseObject(body);
        if (json != null) {
            JsonElement error = json.get("error");
            if (error != null && error.isJsonPrimitive()) {
                message = error.getAsString();
            } else if (error != null && error.isJsonObject()) {
                JsonObject detail = error.getAsJsonObject();
                message = string(detail, "message");
                type = string(detail, "type");
                code = string(detail, "code");
            }
            if (message == null) {
                message = string(json, "message");
            }
            if (type == null) {
                type = string(json, "type");
            }
            if (code == null) {
                code = string(json, "code");
            }
        } else if (isShortText(body)) {
            message = body.trim();
        }
        switch (statusCode) {
            case 400:
                return new BadRequestException(statusCode, headers, body, message, type, code);
            case 401:
                return new AuthenticationException(statusCode, headers, body, message, type, code);
            case 403:
                return new PermissionDeniedException(statusCode, headers, body, message, type, code);
            case 404:
                return new NotFoundException(statusCode, headers, body, message, type, code);
            case 409:
                return new ConflictException(statusCode, headers, body, message, type, code);
            case 422:
                return new UnprocessableEntityException(statusCode, headers, body, message, type, code);
            case 429:
                return new RateLimitException(statusCode, headers, body, message, type, code);
            default:
                return statusCode >= 500
                        ? new InternalServerException(statusCode, headers, body, message, type, code)
                        : new UnexpectedStatusException(statusCode, headers, body, message, type, code);
        }
    }

    private static JsonObject parseObject(String body) {
        String trimmed = body.trim();
        if (!trimmed.startsWith("{")) {
            return null;
        }
        try {
            JsonElement element = JsonParser.parseString(trimmed);
            return element.isJsonObject() ? element.getAsJsonObject() : null;
        } catch (JsonParseException | IllegalStateException e) {
            return null;
        }
    }

    private static String string(JsonObject object, String name) {
        JsonElement value = object.get(name);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : null;
    }

    /** A short one-line text body is a usable message; an HTML page or broken JSON is not. */
    private static boolean isShortText(String body) {
        String trimmed = body.trim();
        return !trimmed.isEmpty() && trimmed.length() <= MAX_TEXT_MESSAGE && trimmed.indexOf('\n') < 0
                && "<{[".indexOf(trimmed.charAt(0)) < 0;
    }
}
