package com.mka1.batches.errors;

import org.jspecify.annotations.Nullable;

/**
 * The server answered with a success status but the body is not the documented JSON: not JSON at
 * all, empty, a JSON array where an object was expected, a wrong type, or a required field
 * missing; or larger than 32 MiB, the cap on a JSON answer (far above any real one; the client
 * stops reading there, so a body that never ends can't exhaust the heap; file content is never
 * capped). Final: not retried.
 *
 * <p>The message and {@link #bodySnippet()} show the body's start with the client's API key
 * removed (shown as {@code [redacted]}).
 */
public class InvalidResponseException extends Mka1Exception {
    private static final long serialVersionUID = 1L;
    private static final int SNIPPET_LENGTH = 200;

    private final int statusCode;
    private final String bodySnippet;

    /**
     * @param statusCode the HTTP status the server answered
     * @param problem what is wrong with the body
     * @param body the body as received (only its first 200 characters are kept), or {@code null}
     *     when the problem is not in the body (the message then says nothing of it)
     * @param cause the parse failure, may be {@code null}
     */
    public InvalidResponseException(int statusCode, String problem, @Nullable String body, @Nullable Throwable cause) {
        super(message(statusCode, problem, body == null ? null : snippet(body)), cause);
        this.statusCode = statusCode;
        this.bodySnippet = snippet(body);
    }

    /** @return the HTTP status code of the response */
    public int statusCode() {
        return statusCode;
    }

    /** @return the first 200 characters of the body, empty if there was none */
    public String bodySnippet() {
        return bodySnippet;
    }

    private static String snippet(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= SNIPPET_LENGTH ? body : body.substring(0, SNIPPET_LENGTH) + "…";
    }

    private static String message(int statusCode, String problem, String snippet) {
        String shown = snippet == null ? "" : snippet.isEmpty() ? " (empty body)" : "; body starts: " + snippet;
        return "Invalid response body (HTTP " + statusCode + "): " + problem + shown;
    }
}
