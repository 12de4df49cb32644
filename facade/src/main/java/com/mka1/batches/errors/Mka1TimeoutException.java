package com.mka1.batches.errors;

import java.io.IOException;
import java.util.Objects;

/** A timeout fired; {@link #kind()} says which one. */
public class Mka1TimeoutException extends Mka1IoException {
    private static final long serialVersionUID = 1L;

    /** The timeout that fired. */
    public enum TimeoutKind {
        /** Establishing the TCP/TLS connection took longer than the connect timeout. */
        CONNECT("connect timeout"),
        /** The server went quiet for longer than the read timeout. */
        READ("read timeout"),
        /** Sending the request (a file upload, say) stalled for longer than the write timeout. */
        WRITE("write timeout"),
        /** One attempt (connect, send, wait, read) took longer than the per-attempt timeout. */
        ATTEMPT("per-attempt timeout"),
        /** The whole call, retries and waits included, took longer than the overall timeout. */
        OVERALL("overall timeout");

        private final String description;

        TimeoutKind(String description) {
            this.description = description;
        }

        /** @return the timeout in words, such as {@code "read timeout"} */
        public String description() {
            return description;
        }
    }

    private final TimeoutKind kind;

    /**
     * @param kind which timeout fired
     * @param message what failed
     * @param cause the underlying I/O failure
     */
    public Mka1TimeoutException(TimeoutKind kind, String message, IOException cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind == null");
    }

    /** @return which timeout fired */
    public TimeoutKind kind() {
        return kind;
    }
}
