package com.mka1.batches.sandbox;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plain HTTP answer the transformer turns into a WireMock response definition. Every answer
 * carries an explicit {@code Content-Length}: Jetty then sends exactly that many bytes, and a
 * body cut short by a fault ends in a closed connection a client can see.
 */
final class HttpReply {
    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    final byte[] body;

    private HttpReply(int status, byte[] body) {
        this.status = status;
        this.body = body;
    }

    static HttpReply json(int status, String body) {
        return bytes(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    static HttpReply text(int status, String contentType, String body) {
        return bytes(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    static HttpReply bytes(int status, String contentType, byte[] body) {
        return new HttpReply(status, body).header("Content-Type", contentType);
    }

    HttpReply header(String name, String value) {
        headers.keySet().removeIf(name::equalsIgnoreCase);
        headers.put(name, value);
        return this;
    }

    ResponseDefinitionBuilder toBuilder() {
        return toBuilder(body.length);
    }

    /**
     * The answer with only its first {@code sent} bytes but the full {@code Content-Length}: Jetty
     * closes the connection when the short body is done, so the client sees a premature end.
     */
    ResponseDefinitionBuilder toBuilder(int sent) {
        byte[] payload = sent >= body.length ? body : java.util.Arrays.copyOf(body, sent);
        ResponseDefinitionBuilder builder = ResponseDefinitionBuilder.responseDefinition()
                .withStatus(status)
                .withBody(payload);
        headers.forEach(builder::withHeader);
        builder.withHeader("Content-Length", Integer.toString(body.length));
        return builder;
    }
}
