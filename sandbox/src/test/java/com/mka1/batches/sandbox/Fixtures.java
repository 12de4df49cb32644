package com.mka1.batches.sandbox;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Instant;

/** JSONL lines and constants shared by the tests. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private Fixtures() {}

    static String chatLine(String customId, String prompt) {
        return chatLine(customId, prompt, false);
    }

    static String chatLine(String customId, String prompt, boolean fail) {
        JsonObject message = new JsonObject();
        message.addProperty("role", "user");
        message.addProperty("content", prompt);
        JsonArray messages = new JsonArray();
        messages.add(message);
        JsonObject body = new JsonObject();
        body.addProperty("model", "gpt-test");
        body.add("messages", messages);
        if (fail) {
            body.addProperty("sandbox_fail", true);
        }
        return line(customId, "/v1/chat/completions", body);
    }

    static String line(String customId, String url, JsonObject body) {
        JsonObject line = new JsonObject();
        line.addProperty("custom_id", customId);
        line.addProperty("method", "POST");
        line.addProperty("url", url);
        line.add("body", body);
        return line + "\n";
    }

    static String chatFile(int lines) {
        StringBuilder file = new StringBuilder();
        for (int i = 1; i <= lines; i++) {
            file.append(chatLine("req-" + i, "prompt " + i));
        }
        return file.toString();
    }
}
