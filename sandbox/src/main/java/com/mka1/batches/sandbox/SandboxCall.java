package com.mka1.batches.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** A request reduced to what the router reads: method, path, query, headers and body. */
final class SandboxCall {
    final String method;
    final String path;
    final QueryParams query;
    final HeaderLookup headers;
    final byte[] bodyBytes;
    final String body;

    SandboxCall(String method, String url, HeaderLookup headers, String body) {
        this(method, url, headers, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    SandboxCall(String method, String url, HeaderLookup headers, byte[] body) {
        this.method = method.toUpperCase(Locale.ROOT);
        int q = url.indexOf('?');
        this.path = q < 0 ? url : url.substring(0, q);
        this.query = QueryParams.parse(q < 0 ? null : url.substring(q + 1));
        this.headers = headers;
        this.bodyBytes = body == null ? new byte[0] : body;
        this.body = new String(bodyBytes, StandardCharsets.UTF_8);
    }

    /** The API operation this call addresses, or null for any other path or method. */
    SandboxOperation operation() {
        Route route = ApiRouter.route(method, path);
        return route == null ? null : route.operation;
    }

    /** Case-insensitive header access. */
    interface HeaderLookup {
        /** The header's first value, or null. */
        String get(String name);
    }
}
