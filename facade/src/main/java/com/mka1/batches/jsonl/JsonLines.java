package com.mka1.batches.jsonl;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Objects;

/** The JSON side of the JSONL helpers: one strict parser, one writer configuration. */
final class JsonLines {
    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final TypeAdapter<JsonElement> ELEMENTS = GSON.getAdapter(JsonElement.class);

    /** A line that is not one strict JSON value; the message says why. */
    static final class BadJson extends Exception {
        private static final long serialVersionUID = 1L;

        BadJson(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private JsonLines() {
    }

    /**
     * Parses one line strictly: exactly one JSON value, no comments, no unquoted names, nothing
     * after it. (Gson's {@code JsonParser} is lenient and would accept all of those.)
     */
    static JsonElement parse(String line) throws BadJson {
        try (JsonReader reader = new JsonReader(new StringReader(line))) {
            reader.setStrictness(Strictness.STRICT);
            JsonElement element = ELEMENTS.read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new BadJson("unexpected content after the JSON value", null);
            }
            return element;
        } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new BadJson(String.valueOf(e.getMessage()), e);
        }
    }

    /** @return the string member {@code name}, {@code null} if absent or JSON null; else throws */
    static String optionalString(JsonObject object, String name) throws BadJson {
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
    static JsonObject optionalObject(JsonObject object, String name) throws BadJson {
        JsonElement value = object.get(name);
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (!value.isJsonObject()) {
            throw new BadJson("\"" + name + "\" must be an object, was " + value, null);
        }
        return value.getAsJsonObject();
    }

    static String nextLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String notBlank(String value, String name) {
        Objects.requireNonNull(value, name + " == null");
        if (value.trim().isEmpty()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
