package com.mka1.batches.errors;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An HTTP error status with no dedicated subclass (for example 405, 408 or 418). 408 is retried by default. */
public class UnexpectedStatusException extends ApiException {
    private static final long serialVersionUID = 1L;

    /**
     * @param statusCode the HTTP status code
     * @param headers the response headers
     * @param body the response body as text
     * @param errorMessage the message found in the body, or {@code null}
     * @param errorType the error type found in the body, or {@code null}
     * @param errorCode the error code found in the body, or {@code null}
     */
    public UnexpectedStatusException(
            int statusCode,
            Map<String, List<String>> headers,
            String body,
            @Nullable String errorMessage,
            @Nullable String errorType,
            @Nullable String errorCode) {
        super(statusCode, headers, body, errorMessage, errorType, errorCode);
    }
}
