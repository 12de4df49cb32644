package com.mka1.batches.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.annotations.SerializedName;
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
import com.mka1.batches.models.BatchObject;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Okio;

/**
 * Turns response bodies into models (2xx) or typed exceptions (4xx/5xx). A success body must be
 * exactly one JSON value with every required field present: the generator marks each required
 * property of the spec {@code @jakarta.annotation.Nonnull}, and reading those marks (once per
 * class) keeps that check in step with the spec without a hand-written list.
 */
public final class Responses {
    /**
     * How much of an error body (a status the call does not answer) is read, in bytes: 64 KiB. A
     * message needs its first few hundred characters; the rest, however long (or endless), is
     * never read: the connection is dropped instead.
     */
    public static final int MAX_ERROR_BODY = 64 * 1024;
    /**
     * The largest JSON success body read, in bytes: 32 MiB, far above any real answer (a page of
     * 100 batches is some 100 KiB). A larger one is an {@link InvalidResponseException}, so that
     * a body that never ends can't exhaust the heap. File content is never capped.
     */
    public static final long MAX_JSON_BODY = 32L * 1024 * 1024;
    /** A success body up to this many bytes is read whole before it is parsed; a larger one streams. */
    private static final int SMALL_BODY = 16 * 1024;
    /** A plain-text error body up to this length is used as the message. */
    private static final int MAX_TEXT_MESSAGE = 200;

    private Responses() {}

    /**
     * Parses a success body into {@code type}, streamed from the connection: nothing but a buffer
     * and the first characters (for an exception's message) is held besides the value, and no
     * more than {@value #MAX_JSON_BODY} bytes are read. What the exception shows of the body has
     * the client's key removed ({@link KeyRedaction#of(Response)}).
     *
     * @throws IOException if the body can't be read to its end
     * @throws InvalidResponseException if the body is not a complete, valid {@code type}, or is
     *     larger than {@value #MAX_JSON_BODY} bytes
     */
    static <T> T parse(Response response, Class<T> type) throws IOException {
        ResponseBody body = response.body();
        KeyRedaction redaction = KeyRedaction.of(response);
        int status = response.code();
        if (body != null && body.contentLength() > MAX_JSON_BODY) {
            throw invalid(
                    redaction,
                    status,
                    "the body exceeds " + MAX_JSON_BODY + " bytes (Content-Length " + body.contentLength() + ")",
                    null,
                    null);
        }
        Json.Input head = new Json.Input(body == null ? new StringReader("") : text(body));
        T value;
        try {
            value = Json.read(head, type);
        } catch (CappedSource.Exceeded e) {
            throw invalid(redaction, status, "the body exceeds " + MAX_JSON_BODY + " bytes", head.head(), e);
        } catch (Json.MalformedException e) {
            // The same message whether the body was read whole or streamed: the parser may have
            // stopped before the decoder handed it all of the body's first characters.
            String text = head.headReadingOn();
            if (e.noValue()) {
                throw invalid(
                        redaction,
                        status,
                        "expected a JSON " + type.getSimpleName() + ", got "
                                + (text.isEmpty() ? "an empty body" : "only whitespace"),
                        text.isEmpty() ? null : text,
                        e);
            }
            throw invalid(redaction, status, "not a valid " + type.getSimpleName() + ": " + e.getMessage(), text, e);
        }
        return checked(redaction, status, value, type, head.head());
    }

    /**
     * A small body of known length is read whole, which costs less than a decoder's buffers; a large
     * one (a page of a list) or one of unknown length is decoded as it streams in, through a
     * {@link CappedSource}.
     */
    private static Reader text(ResponseBody body) throws IOException {
        long length = body.contentLength();
        if (length >= 0 && length <= SMALL_BODY) {
            return new StringReader(body.string());
        }
        return ResponseBody.create(
                        Okio.buffer(new CappedSource(body.source(), MAX_JSON_BODY)), body.contentType(), length)
                .charStream();
    }

    private static <T> T checked(KeyRedaction redaction, int statusCode, T value, Class<T> type, String body) {
        if (value == null) {
            throw invalid(redaction, statusCode, "expected a JSON " + type.getSimpleName() + ", got null", body, null);
        }
        String missing = firstMissing(value);
        if (missing != null) {
            throw invalid(
                    redaction,
                    statusCode,
                    "required field '" + missing + "' of " + type.getSimpleName() + " is missing or null",
                    body,
                    null);
        }
        return value;
    }

    /**
     * The exception for a body that is not the answer, its text without the key (a field name may
     * be the key, too); {@code body} is the body's start.
     */
    private static InvalidResponseException invalid(
            KeyRedaction redaction, int statusCode, String problem, String body, Throwable cause) {
        return new InvalidResponseException(
                statusCode,
                redaction.apply(problem),
                redaction.applyToStart(body),
                redaction.isIn(cause) ? null : cause);
    }

    /**
     * Maps an error response, whatever the shape of its body, to the exception for its status.
     * The key is removed from the body, the headers and what is read from the body (where a JSON
     * escape may have hidden it from the body's text), so no accessor of the exception holds it.
     *
     * @param rawBody the body's text, or its first {@value #MAX_ERROR_BODY} bytes
     */
    static ApiException error(
            int statusCode, Map<String, List<String>> responseHeaders, String rawBody, KeyRedaction redaction) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        responseHeaders.forEach((name, values) ->
                headers.put(name, values.stream().map(redaction::apply).collect(Collectors.toList())));
        String message = null;
        String type = null;
        String code = null;
        JsonObject json = parseObject(rawBody);
        String body = redaction.applyToStart(rawBody);
        if (json != null) {
            String text = Json.GSON.toJson(json);
            if (redaction.isIn(text)) {
                body = redaction.apply(text); // the key was there, escaped: the body as its values read
            }
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
        message = redaction.apply(message);
        type = redaction.apply(type);
        code = redaction.apply(code);
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
        if (!body.trim().startsWith("{")) {
            return null;
        }
        try {
            JsonElement element = Json.parse(body);
            return element.isJsonObject() ? element.getAsJsonObject() : null;
        } catch (Json.MalformedException e) {
            return null;
        }
    }

    private static String string(JsonObject object, String name) {
        JsonElement value = object.get(name);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : null;
    }

    /**
     * A short one-line text body is a usable message; an HTML page, broken JSON or text with
     * control characters (a carriage return or an escape sequence would rewrite a log line) is not:
     * that gets the sanitised summary ({@link BodySummary}).
     */
    private static boolean isShortText(String body) {
        String trimmed = body.trim();
        return !trimmed.isEmpty()
                && trimmed.length() <= MAX_TEXT_MESSAGE
                && trimmed.chars().noneMatch(Character::isISOControl)
                && "<{[".indexOf(trimmed.charAt(0)) < 0;
    }

    private static final String MODELS_PACKAGE = BatchObject.class.getPackage().getName();

    /**
     * A field of a model to check, read once per class: its JSON name, whether null is a miss, and
     * whether its value can hold fields to check in turn (a model or a collection). A string or an
     * enum is not looked into, which keeps the check of a page of batches cheap.
     */
    private static final class Checked {
        final Field field;
        final String jsonName;
        final boolean required;
        final boolean nested;

        Checked(Field field) {
            this.field = field;
            SerializedName name = field.getAnnotation(SerializedName.class);
            this.jsonName = name == null ? field.getName() : name.value();
            this.required = field.isAnnotationPresent(jakarta.annotation.Nonnull.class);
            this.nested = hasFields(field.getType()) || Collection.class.isAssignableFrom(field.getType());
        }
    }

    private static final Checked[] NOTHING_TO_CHECK = new Checked[0];

    /** Per class: the fields to check; none for anything that is not a generated model. */
    private static final ClassValue<Checked[]> CHECKED = new ClassValue<Checked[]>() {
        @Override
        protected Checked[] computeValue(Class<?> type) {
            if (!hasFields(type)) {
                return NOTHING_TO_CHECK;
            }
            List<Checked> checked = new ArrayList<>();
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Checked candidate = new Checked(field);
                if (candidate.required || candidate.nested) {
                    field.setAccessible(true);
                    checked.add(candidate);
                }
            }
            return checked.toArray(NOTHING_TO_CHECK);
        }
    };

    /**
     * @param value a parsed model, not null (a null field or list item is a miss of its parent)
     * @return the JSON path of the first missing required field or null list item, or {@code null} if
     *     none is missing
     */
    static String firstMissing(Object value) {
        // The path is built only on the way back from a miss: nothing is allocated for a complete model.
        if (value instanceof Collection) {
            int i = 0;
            for (Object item : (Collection<?>) value) {
                // No list of the spec holds nulls: a null item would reach the caller as a null model.
                String missing = item == null ? "" : firstMissing(item);
                if (missing != null) {
                    return "[" + i + "]" + (missing.isEmpty() || missing.startsWith("[") ? "" : ".") + missing;
                }
                i++;
            }
            return null;
        }
        for (Checked checked : CHECKED.get(value.getClass())) {
            Object fieldValue;
            try {
                fieldValue = checked.field.get(value);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            if (fieldValue == null) {
                if (checked.required) {
                    return checked.jsonName;
                }
                continue;
            }
            if (!checked.nested) {
                continue;
            }
            String missing = firstMissing(fieldValue);
            if (missing != null) {
                return checked.jsonName + (missing.startsWith("[") ? "" : ".") + missing;
            }
        }
        return null;
    }

    /** A generated model class (not one of its enums): an object with fields of its own. */
    private static boolean hasFields(Class<?> type) {
        return type.getPackage() != null && type.getPackage().getName().equals(MODELS_PACKAGE) && !type.isEnum();
    }
}
