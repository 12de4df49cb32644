package com.mka1.batches.errors;

import java.io.IOException;

/**
 * The request did not get an HTTP response: the connection was refused or reset, the response
 * was cut off or malformed, or the thread was interrupted while waiting. Timeouts are the
 * subclass {@link Mka1TimeoutException}. Retried by default (see {@code RetryPolicy}).
 */
public class Mka1IoException extends Mka1Exception {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause the I/O failure
     */
    public Mka1IoException(String message, IOException cause) {
        super(message, cause);
    }
}
