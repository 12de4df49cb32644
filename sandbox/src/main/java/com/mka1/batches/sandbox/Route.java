package com.mka1.batches.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One row of the sandbox's routing table ({@link ApiRouter}): a method and a path template, the
 * operation they address and the handler that answers it. A template's {@code {id}} stands for one
 * path segment, handed to the handler percent-decoded.
 */
final class Route {
    /** Answers a routed call; {@code id} is the path's {@code {id}}, or null for a path without one. */
    interface Handler {
        HttpReply handle(ApiRouter router, SandboxCall call, String scope, String id);
    }

    final String method;
    final SandboxOperation operation;
    private final Pattern path;
    private final Handler handler;

    Route(String method, String template, SandboxOperation operation, Handler handler) {
        this.method = method;
        this.operation = operation;
        this.path = Pattern.compile(Pattern.quote(template).replace("{id}", "\\E([^/]+)\\Q"));
        this.handler = handler;
    }

    boolean matches(String method, String path) {
        return this.method.equals(method) && this.path.matcher(path).matches();
    }

    HttpReply handle(ApiRouter router, SandboxCall call, String scope) {
        return handler.handle(router, call, scope, id(call.path));
    }

    /** The path's id, percent-decoded; a 400 when its encoding is broken. */
    private String id(String path) {
        Matcher matcher = this.path.matcher(path);
        if (!matcher.matches() || matcher.groupCount() == 0) {
            return null;
        }
        try {
            return URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid(
                    "invalid_url",
                    null,
                    "The id '" + matcher.group(1) + "' in the path is not valid percent-encoding.");
        }
    }
}
