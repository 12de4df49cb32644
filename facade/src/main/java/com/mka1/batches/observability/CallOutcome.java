package com.mka1.batches.observability;

/**
 * How an attempt or a call ended, in few enough values to tag metrics with. Its {@code name()}
 * is what the Micrometer binding puts in its {@code outcome} tag.
 */
public enum CallOutcome {
    /** A response the operation answers with (a 2xx) was read into the value. */
    SUCCESS,
    /** The server answered a 4xx (or another non-2xx below 500): an {@code ApiException}. */
    CLIENT_ERROR,
    /** The server answered a 5xx: an {@code ApiException}. */
    SERVER_ERROR,
    /** The server answered 2xx with a body that is not what the operation answers: {@code InvalidResponseException}. */
    INVALID_RESPONSE,
    /** No complete response arrived (refused, reset, broken): {@code Mka1IoException}. */
    IO_ERROR,
    /** A timeout fired: {@code Mka1TimeoutException}. */
    TIMEOUT,
    /** The call was stopped: its future cancelled, or its thread interrupted. */
    CANCELLED,
    /** Anything else: the client closed mid-call, say. */
    ERROR
}
