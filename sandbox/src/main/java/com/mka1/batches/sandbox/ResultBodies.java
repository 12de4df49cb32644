package com.mka1.batches.sandbox;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Plausible response bodies for the three batch endpoints: deterministic functions of the
 * request body, so a test can assert on them.
 */
final class ResultBodies {
    private static final String DEFAULT_MODEL = "sandbox-model";
    /** A 1x1 transparent PNG, for {@code response_format: b64_json}. */
    private static final String TINY_PNG =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

    private static final int EMBEDDING_DIMENSIONS = 8;

    private ResultBodies() {}

    static JsonObject forEndpoint(String endpoint, JsonObject request, String id, long created) {
        switch (endpoint) {
            case "/v1/embeddings":
                return embeddings(request);
            case "/v1/images/generations":
                return images(request, created);
            default:
                return chatCompletion(request, id, created);
        }
    }

    private static JsonObject chatCompletion(JsonObject request, String id, long created) {
        String prompt = lastUserText(request);
        String reply = "Sandbox reply to: " + abbreviate(prompt, 200);
        JsonObject message = new JsonObject();
        message.addProperty("role", "assistant");
        message.addProperty("content", reply);
        JsonObject choice = new JsonObject();
        choice.addProperty("index", 0);
        choice.add("message", message);
        choice.addProperty("finish_reason", "stop");
        JsonArray choices = new JsonArray();
        choices.add(choice);
        JsonObject body = new JsonObject();
        body.addProperty("id", "chatcmpl-" + id);
        body.addProperty("object", "chat.completion");
        body.addProperty("created", created);
        body.addProperty("model", model(request));
        body.add("choices", choices);
        body.add("usage", usage(tokens(prompt), tokens(reply)));
        return body;
    }

    private static JsonObject embeddings(JsonObject request) {
        List<String> inputs = new ArrayList<>();
        JsonElement input = request.get("input");
        if (input != null && input.isJsonArray()) {
            for (JsonElement each : input.getAsJsonArray()) {
                inputs.add(each.isJsonPrimitive() ? each.getAsString() : each.toString());
            }
        } else {
            inputs.add(input == null || input.isJsonNull() ? "" : textOf(input));
        }
        JsonArray data = new JsonArray();
        int promptTokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            JsonObject embedding = new JsonObject();
            embedding.addProperty("object", "embedding");
            embedding.addProperty("index", i);
            embedding.add("embedding", vector(inputs.get(i)));
            data.add(embedding);
            promptTokens += tokens(inputs.get(i));
        }
        JsonObject usage = new JsonObject();
        usage.addProperty("prompt_tokens", promptTokens);
        usage.addProperty("total_tokens", promptTokens);
        JsonObject body = new JsonObject();
        body.addProperty("object", "list");
        body.add("data", data);
        body.addProperty("model", model(request));
        body.add("usage", usage);
        return body;
    }

    private static JsonObject images(JsonObject request, long created) {
        String prompt = request.has("prompt") ? textOf(request.get("prompt")) : "";
        int n = 1;
        JsonElement count = request.get("n");
        if (count != null
                && count.isJsonPrimitive()
                && count.getAsJsonPrimitive().isNumber()) {
            // As a double: Gson's getAsInt() throws for a number beyond its limits (1e1000000200),
            // where a double is only infinite.
            n = (int) Math.max(1, Math.min(10, count.getAsDouble()));
        }
        boolean base64 = request.has("response_format") && "b64_json".equals(textOf(request.get("response_format")));
        JsonArray data = new JsonArray();
        for (int i = 0; i < n; i++) {
            JsonObject image = new JsonObject();
            if (base64) {
                image.addProperty("b64_json", TINY_PNG);
            } else {
                image.addProperty(
                        "url",
                        "https://sandbox.invalid/images/"
                                + Integer.toHexString((prompt + "#" + i).hashCode())
                                + ".png");
            }
            image.addProperty("revised_prompt", prompt);
            data.add(image);
        }
        JsonObject body = new JsonObject();
        body.addProperty("created", created);
        body.add("data", data);
        return body;
    }

    private static String lastUserText(JsonObject request) {
        JsonElement messages = request.get("messages");
        if (messages == null
                || !messages.isJsonArray()
                || messages.getAsJsonArray().isEmpty()) {
            return "";
        }
        JsonArray array = messages.getAsJsonArray();
        JsonElement last = array.get(array.size() - 1);
        if (!last.isJsonObject() || !last.getAsJsonObject().has("content")) {
            return "";
        }
        JsonElement content = last.getAsJsonObject().get("content");
        if (content.isJsonArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonElement part : content.getAsJsonArray()) {
                if (part.isJsonObject() && part.getAsJsonObject().has("text")) {
                    text.append(textOf(part.getAsJsonObject().get("text")));
                }
            }
            return text.toString();
        }
        return textOf(content);
    }

    private static String textOf(JsonElement element) {
        return element.isJsonPrimitive() ? element.getAsString() : element.toString();
    }

    private static String model(JsonObject request) {
        JsonElement model = request.get("model");
        return model != null && model.isJsonPrimitive() ? model.getAsString() : DEFAULT_MODEL;
    }

    private static JsonObject usage(int prompt, int completion) {
        JsonObject usage = new JsonObject();
        usage.addProperty("prompt_tokens", prompt);
        usage.addProperty("completion_tokens", completion);
        usage.addProperty("total_tokens", prompt + completion);
        return usage;
    }

    private static int tokens(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    /** A unit-length vector derived from the text, so equal inputs embed equally. */
    private static JsonArray vector(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        double[] values = new double[EMBEDDING_DIMENSIONS];
        long seed = 1125899906842597L;
        for (byte b : bytes) {
            seed = 31 * seed + b;
        }
        double norm = 0;
        for (int i = 0; i < values.length; i++) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            values[i] = ((seed >>> 11) / (double) (1L << 53)) * 2 - 1;
            norm += values[i] * values[i];
        }
        norm = Math.sqrt(norm);
        JsonArray vector = new JsonArray();
        for (double value : values) {
            vector.add(Math.round(value / norm * 1e6) / 1e6);
        }
        return vector;
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }
}
