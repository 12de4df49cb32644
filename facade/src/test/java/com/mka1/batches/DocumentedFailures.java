package com.mka1.batches;

import java.util.List;
import java.util.Locale;

/**
 * The property every fuzz target of the facade checks: a parser fed bytes from outside either
 * returns or throws one of the exceptions its contract documents, and that exception's message
 * speaks our words, never a library's internals. Anything else (an NPE, a ClassCastException, an
 * IndexOutOfBounds, a NumberFormatException, a raw Gson exception, an undocumented I/O failure)
 * escapes unchanged, so that Jazzer reports it with its own stack trace.
 */
public final class DocumentedFailures {
    /** Text of Gson's own messages (its advice, its class names) that a user must never see from us. */
    private static final List<String> LIBRARY_INTERNALS = List.of(
            "setstrictness",
            "setlenient",
            "lenient",
            "github.com/google/gson",
            "com.google.gson",
            "troubleshooting",
            "java.lang.",
            "java.io.");

    /** What a parse does: may throw anything, checked or not. */
    @FunctionalInterface
    public interface Parse {
        void run() throws Exception;
    }

    private DocumentedFailures() {}

    /**
     * Runs {@code parse}; a failure of one of the {@code documented} types (or a subtype) passes if
     * its message is clean; any other failure is rethrown as it is.
     *
     * @param input the text parsed, decoded as the parser decodes it: what it says itself may be quoted in a
     *     message
     * @return the documented failure, or {@code null} if {@code parse} returned
     */
    @SafeVarargs
    public static Throwable check(String input, Parse parse, Class<? extends Throwable>... documented)
            throws Exception {
        try {
            parse.run();
            return null;
        } catch (Exception e) {
            for (Class<? extends Throwable> type : documented) {
                if (type.isInstance(e)) {
                    assertCleanMessage(e, input);
                    return e;
                }
            }
            throw e;
        }
    }

    /** Fails if {@code e}'s message is missing, or shows a library's internals that {@code input} doesn't hold. */
    public static void assertCleanMessage(Throwable e, String input) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            throw new AssertionError("a " + e.getClass().getSimpleName() + " without a message", e);
        }
        String lower = message.toLowerCase(Locale.ROOT);
        String quoted = input.toLowerCase(Locale.ROOT);
        for (String internal : LIBRARY_INTERNALS) {
            if (lower.contains(internal) && !quoted.contains(internal)) {
                throw new AssertionError("the message shows a library's internals (" + internal + "): " + message, e);
            }
        }
    }
}
