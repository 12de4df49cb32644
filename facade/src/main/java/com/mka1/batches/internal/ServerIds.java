package com.mka1.batches.internal;

import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.models.BatchObject;

/**
 * Ids the server hands back (a created batch's or uploaded file's id, a batch's file ids, a
 * polled batch's id, a page's cursor), checked as data from outside before the library uses them.
 * An unusable one is an {@link InvalidResponseException} naming the field, never the
 * {@link IllegalArgumentException} of {@link Checks}, which is for the caller's own arguments.
 *
 * <p>The rule is the caller's ({@link Checks#segmentProblem}: not blank, not {@code .} or
 * {@code ..}) and more, since the library stores these ids and goes on with them unseen by the
 * caller: no {@code /} or {@code \}, no control character, at most {@value #MAX_LENGTH}
 * characters (real ids have a few dozen).
 */
public final class ServerIds {
    static final int MAX_LENGTH = 256;
    /** How much of a bad id a message shows. */
    private static final int SHOWN = 64;

    private ServerIds() {}

    /**
     * @param field what the id is, for the message: {@code the batch's output_file_id}
     * @param statusCode the status of the answer that carried it
     * @return {@code id}
     * @throws InvalidResponseException if it is missing or not usable as a file id
     */
    public static String fileId(String id, String field, int statusCode) {
        return check(id, field, "file id", statusCode);
    }

    /** @return {@code id}, or {@code null} if the server sent none; see {@link #fileId} */
    public static String optionalFileId(String id, String field, int statusCode) {
        return id == null ? null : fileId(id, field, statusCode);
    }

    /** @see #fileId */
    public static String batchId(String id, String field, int statusCode) {
        return check(id, field, "batch id", statusCode);
    }

    /**
     * A poll answers the batch it asked for, or its answer is no news of that batch.
     *
     * @throws InvalidResponseException naming both ids if {@code batch} is another one
     */
    public static void sameBatch(String asked, BatchObject batch, int statusCode) {
        if (!asked.equals(batch.getId())) {
            throw new InvalidResponseException(
                    statusCode,
                    "asked for batch '" + shown(asked) + "', the server answered with batch '" + shown(batch.getId())
                            + "'",
                    null,
                    null);
        }
    }

    /**
     * The cursor of the page after one whose {@code has_more} is true: it must be usable and must
     * move on from the cursor the page itself was fetched after, or the pages would never end.
     *
     * @param cursor the page's {@code last_id}, or its last item's id when it has none; may be null
     * @param field which of the two {@code cursor} is, for the message
     * @param after the {@code after} the page was fetched with, or {@code null}
     * @return {@code cursor}
     * @throws InvalidResponseException if there is no usable cursor, or it is {@code after} again
     */
    public static String nextCursor(String cursor, String field, String after, int statusCode) {
        if (cursor == null) {
            throw new InvalidResponseException(
                    statusCode,
                    "has_more is true but the page has neither a last_id nor items to continue after",
                    null,
                    null);
        }
        check(cursor, "has_more is true but the page's " + field, "cursor", statusCode);
        if (cursor.equals(after)) {
            throw new InvalidResponseException(
                    statusCode,
                    "has_more is true but the page's " + field + " '" + shown(cursor)
                            + "' is the cursor it was fetched after: the list does not advance",
                    null,
                    null);
        }
        return cursor;
    }

    private static String check(String id, String field, String kind, int statusCode) {
        String problem = id == null ? "missing" : problem(id);
        if (problem != null) {
            throw new InvalidResponseException(
                    statusCode,
                    field + (id == null ? "" : " '" + shown(id) + "'") + " is not a usable " + kind + ": " + problem,
                    null,
                    null);
        }
        return id;
    }

    /** @return what makes {@code id} unusable, or {@code null} if nothing does */
    static String problem(String id) {
        String problem = Checks.segmentProblem(id);
        if (problem != null) {
            return "it is " + problem;
        }
        if (id.length() > MAX_LENGTH) {
            return "it is " + id.length() + " characters long, more than " + MAX_LENGTH;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '/' || c == '\\') {
                return "it contains '" + c + "'";
            }
            if (c < 0x20 || c == 0x7f) {
                return "it contains a control character (code point " + (int) c + " at index " + i + ")";
            }
        }
        return null;
    }

    /** An id as a message shows it: control characters escaped, cut short. */
    private static String shown(String id) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < id.length() && i < SHOWN; i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return id.length() > SHOWN ? out + "…" : out.toString();
    }
}
