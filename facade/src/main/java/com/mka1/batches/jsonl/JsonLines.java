package com.mka1.batches.jsonl;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.mka1.batches.internal.Json;
import com.mka1.batches.internal.JsonlText;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/** The JSON side of the JSONL helpers: the library's strict parser, and typed member access. */
final class JsonLines {

    /** A line that is not one strict JSON value; the message says why. */
    static final class BadJson extends Exception {
        private static final long serialVersionUID = 1L;

        BadJson(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private JsonLines() {}

    /** Parses one line strictly: exactly one JSON value, nothing after it. */
    static JsonElement parse(String line) throws BadJson {
        try {
            return Json.parse(line);
        } catch (Json.MalformedException e) {
            throw new BadJson(e.getMessage(), e);
        }
    }

    /** @return the string member {@code name}, {@code null} if absent or JSON null; else throws */
    static @Nullable String optionalString(JsonObject object, String name) throws BadJson {
        JsonElement value = object.get(name);
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new BadJson("\"" + name + "\" must be a string, was " + value, null);
        }
        return value.getAsString();
    }

    /** @return the object member {@code name}, {@code null} if absent or JSON null; else throws */
    static @Nullable JsonObject optionalObject(JsonObject object, String name) throws BadJson {
        JsonElement value = object.get(name);
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (!value.isJsonObject()) {
            throw new BadJson("\"" + name + "\" must be an object, was " + value, null);
        }
        return value.getAsJsonObject();
    }

    /** @return the next line as the API reads lines ({@link JsonlText}), {@code null} at the end */
    static @Nullable String nextLine(JsonlText.Lines lines) {
        try {
            return lines.next();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
