package com.mka1.batches.sandbox;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.mka1.batches.models.BatchError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A batch input file as validated at batch creation: its request lines, or the problems that
 * make the batch fail. Blank lines are skipped; line numbers are 1-based physical lines.
 */
final class InputFile {
    /** A body field that makes the sandbox fail that one request (see README). */
    static final String FAIL_TRIGGER = "sandbox_fail";
    /** A body field: answer the request with this HTTP status inside its result line (see {@link Mka1Sandbox}). */
    static final String STATUS_TRIGGER = "sandbox_status";
    /** A body field: answer the request with an {@code error} of this code and {@code response: null}. */
    static final String ERROR_CODE_TRIGGER = "sandbox_error_code";
    /** A body field: how many executions of the request's custom_id {@code sandbox_status}/{@code _error_code} hit. */
    static final String TIMES_TRIGGER = "sandbox_times";

    /** The error code of a batch that failed because its API key's queue was full. */
    static final String QUEUE_FULL_CODE = "token_limit_exceeded";

    /** How many problems one failed batch reports at most. */
    private static final int MAX_ERRORS = 100;

    /** One request of the file. */
    static final class Line {
        final String customId;
        final JsonObject body;
        final boolean fails;
        /** The status {@code sandbox_status} asks for, or 0. */
        final int status;
        /** The error code {@code sandbox_error_code} asks for, or null. */
        final String errorCode;
        /** How many executions of this custom_id the status or error code hits: {@code sandbox_times}, else all. */
        final int times;

        Line(String customId, JsonObject body) {
            this.customId = customId;
            this.body = body;
            JsonElement trigger = body.get(FAIL_TRIGGER);
            this.fails = trigger != null
                    && trigger.isJsonPrimitive()
                    && trigger.getAsJsonPrimitive().isBoolean()
                    && trigger.getAsBoolean();
            this.status = intOr(body, STATUS_TRIGGER, 0);
            this.errorCode = stringOrNull(body, ERROR_CODE_TRIGGER);
            this.times = intOr(body, TIMES_TRIGGER, Integer.MAX_VALUE);
        }

        /** Whether the line asks for a status or an error code for some of its executions. */
        boolean hasPerLineControl() {
            return status != 0 || errorCode != null;
        }
    }

    final List<Line> lines;
    final List<BatchError> errors;

    private InputFile(List<Line> lines, List<BatchError> errors) {
        this.lines = Collections.unmodifiableList(lines);
        this.errors = Collections.unmodifiableList(errors);
    }

    boolean isValid() {
        return errors.isEmpty();
    }

    /** An input refused for these problems (as a state dir kept them). */
    static InputFile refused(List<BatchError> errors) {
        return new InputFile(List.of(), new ArrayList<>(errors));
    }

    static InputFile missing(String fileId) {
        return new InputFile(
                List.of(), List.of(error("file_not_found", "input_file_id", null, "No file found with id " + fileId)));
    }

    static InputFile wrongPurpose(String fileId, String purpose) {
        return new InputFile(
                List.of(),
                List.of(error(
                        "invalid_file_purpose",
                        "input_file_id",
                        null,
                        "File " + fileId + " has purpose '" + purpose + "'; a batch input needs purpose 'batch'.")));
    }

    /**
     * A batch refused because its API key's queue is full: it fails like an invalid input, with
     * the code OpenAI and Azure give a batch over the enqueued limit.
     */
    static InputFile overQueueCapacity(int queued, int requests, int capacity) {
        return new InputFile(
                List.of(),
                List.of(error(
                        QUEUE_FULL_CODE,
                        null,
                        null,
                        "Enqueued request limit reached: this API key has " + queued
                                + " requests in active batches and this batch adds " + requests
                                + "; the limit is " + capacity + ". Try again once earlier batches have ended.")));
    }

    static InputFile parse(String content, String endpoint) {
        List<Line> lines = new ArrayList<>();
        List<BatchError> errors = new ArrayList<>();
        Set<String> customIds = new HashSet<>();
        String[] raw = content.split("\r?\n", -1);
        for (int i = 0; i < raw.length && errors.size() < MAX_ERRORS; i++) {
            if (raw[i].isBlank()) {
                continue;
            }
            int lineNo = i + 1;
            JsonElement element;
            try {
                element = Json.parseStrict(raw[i]);
            } catch (JsonParseException e) {
                errors.add(error("invalid_json_line", null, lineNo, "Line " + lineNo + " is not valid JSON."));
                continue;
            }
            if (!element.isJsonObject()) {
                errors.add(error("invalid_json_line", null, lineNo, "Line " + lineNo + " is not a JSON object."));
                continue;
            }
            JsonObject request = element.getAsJsonObject();
            String customId = stringOrNull(request, "custom_id");
            String method = stringOrNull(request, "method");
            String url = stringOrNull(request, "url");
            JsonElement body = request.get("body");
            if (customId == null || customId.isEmpty()) {
                errors.add(missing("custom_id", lineNo));
            } else if (!customIds.add(customId)) {
                errors.add(error(
                        "duplicate_custom_id",
                        "custom_id",
                        lineNo,
                        "The custom_id '" + customId + "' of line " + lineNo + " is used by an earlier line."));
            }
            if (method == null) {
                errors.add(missing("method", lineNo));
            } else if (!"POST".equals(method)) {
                errors.add(error(
                        "invalid_method",
                        "method",
                        lineNo,
                        "Line " + lineNo + " has method '" + method + "'; only POST is supported."));
            }
            if (url == null) {
                errors.add(missing("url", lineNo));
            } else if (!url.equals(endpoint)) {
                errors.add(error(
                        "invalid_url",
                        "url",
                        lineNo,
                        "The url '" + url + "' of line " + lineNo + " does not match the batch endpoint '" + endpoint
                                + "'."));
            }
            if (body == null || !body.isJsonObject()) {
                errors.add(missing("body", lineNo));
            }
            if (errors.isEmpty()) {
                lines.add(new Line(customId, body.getAsJsonObject()));
            }
        }
        if (errors.isEmpty() && lines.isEmpty()) {
            errors.add(error("empty_file", "input_file_id", null, "The input file has no requests."));
        }
        if (!errors.isEmpty()) {
            lines.clear();
        }
        return new InputFile(lines, errors);
    }

    private static String stringOrNull(JsonObject object, String name) {
        JsonElement value = object.get(name);
        return value != null
                        && value.isJsonPrimitive()
                        && value.getAsJsonPrimitive().isString()
                ? value.getAsString()
                : null;
    }

    private static int intOr(JsonObject object, String name, int otherwise) {
        JsonElement value = object.get(name);
        return value != null
                        && value.isJsonPrimitive()
                        && value.getAsJsonPrimitive().isNumber()
                ? value.getAsInt()
                : otherwise;
    }

    private static BatchError missing(String param, int lineNo) {
        return error(
                "missing_required_parameter",
                param,
                lineNo,
                "Line " + lineNo + " is missing '" + param + "' (or it has the wrong type).");
    }

    private static BatchError error(String code, String param, Integer line, String message) {
        return new BatchError().code(code).message(message).param(param).line(line == null ? null : line.longValue());
    }
}
