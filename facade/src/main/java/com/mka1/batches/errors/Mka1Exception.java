package com.mka1.batches.errors;

import org.jspecify.annotations.Nullable;

/**
 * The base of every exception this library throws on purpose. All are unchecked.
 *
 * <pre>{@code
 * try {
 *     batches.get(id);
 * } catch (NotFoundException e) {        // the server answered 404
 *     ...
 * } catch (ApiException e) {             // any other HTTP error status
 *     log.warn("MKA1 said {} (request {})", e.statusCode(), e.requestId());
 * } catch (Mka1IoException e) {          // the network failed or a timeout fired
 *     ...
 * }
 * }</pre>
 *
 * <p>Bad arguments are reported before any request with the JDK's own
 * {@link NullPointerException}, {@link IllegalArgumentException} and
 * {@link IllegalStateException}, not with this type.
 */
public class Mka1Exception extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong; never contains the API key */
    public Mka1Exception(String message) {
        super(message);
    }

    /**
     * @param message what went wrong; never contains the API key
     * @param cause the underlying failure, may be {@code null}
     */
    public Mka1Exception(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
