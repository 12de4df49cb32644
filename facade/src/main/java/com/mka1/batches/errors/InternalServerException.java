package com.mka1.batches.errors;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** HTTP 5xx: the server or a gateway in front of it failed. 500, 502, 503 and 504 are retried by default. */
public class InternalServerException extends ApiException {
    private static final long serialVersionUID = 1L;

    /**
     * @param statusCode the HTTP status code
     * @param headers the response headers
     * @param body the response body as text
     * @param errorMessage the message found in the body, or {@code null}
     * @param errorType the error type found in the body, or {@code null}
     * @param errorCode the error code found in the body, or {@code null}
     */
    public InternalServerException(
            int statusCode,
            Map<String, List<String>> headers,
            String body,
            @Nullable String errorMessage,
            @Nullable String errorType,
            @Nullable String errorCode) {
        super(statusCode, headers, body, errorMessage, errorType, errorCode);
    }
}
