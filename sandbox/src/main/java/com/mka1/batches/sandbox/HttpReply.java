package com.mka1.batches.sandbox;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** A plain HTTP answer the transformer turns into a WireMock response definition. */
final class HttpReply {
    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    final String body;

    private HttpReply(int status, String body) {
        this.status = status;
        this.body = body;
    }

    static HttpReply json(int status, String body) {
        return new HttpReply(status, body).header("Content-Type", "application/json");
    }

    static HttpReply text(int status, String contentType, String body) {
        return new HttpReply(status, body).header("Content-Type", contentType);
    }

    HttpReply header(String name, String value) {
        headers.keySet().removeIf(name::equalsIgnoreCase);
        headers.put(name, value);
        return this;
    }

    ResponseDefinitionBuilder toBuilder() {
        ResponseDefinitionBuilder builder =
                ResponseDefinitionBuilder.responseDefinition().withStatus(status).withBody(body);
        headers.forEach(builder::withHeader);
        return builder;
    }
}
