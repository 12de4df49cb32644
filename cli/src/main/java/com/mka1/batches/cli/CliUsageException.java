package com.mka1.batches.cli;

/** A mistake in how the tool was invoked or configured that picocli's parser cannot see (exit 2). */
final class CliUsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliUsageException(String message) {
        super(message);
    }

    CliUsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
