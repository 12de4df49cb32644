package com.mka1.batches.sandbox;

import com.google.gson.JsonElement;
import com.mka1.batches.models.BatchError;
import com.mka1.batches.models.FileObject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link StateDir} writes to {@code state.json}: everything a {@link SandboxState} remembers
 * except the files' bytes. Plain fields that Gson reads and writes: a field added later is simply
 * absent (null, 0) in a file an older sandbox wrote, so new state goes in as one more field here,
 * filled in {@code SandboxPersistence.snapshot(..)} and read back in {@code
 * SandboxPersistence.restore(..)}.
 * Instants and durations are kept as their ISO-8601 text, to the nanosecond.
 */
final class StateSnapshot {
    /** The layout written; a file with another version is refused rather than misread. */
    static final int VERSION = 1;

    int version = VERSION;
    /** The next file's upload order (file ids are random; this orders files created in one second). */
    long fileSequence;

    List<SavedFile> files = new ArrayList<>();
    /** Every batch, each scope's in creation order. */
    List<SavedBatch> batches = new ArrayList<>();

    List<SavedUpload> uploads = new ArrayList<>();
    List<SavedCreate> creates = new ArrayList<>();

    /** The ledger's counts: per {@code custom_id}, the lines answered 200 in an output file. */
    Map<String, Integer> successes = new LinkedHashMap<>();
    /** How many batches have expired part-way, for {@code expiringBatches} (absent: 0). */
    int expiredPartWay;
    /** Per scope and {@code custom_id}, how many batches took a line with a per-line control. */
    Map<String, Integer> executions = new LinkedHashMap<>();

    /** A {@link StoredFile} without its bytes (those are {@code files/<id>}). */
    static final class SavedFile {
        String id;
        String scope;
        String filename;
        String purpose;
        String contentType;
        long createdAt;
        long sequence;
    }

    /** A {@link BatchRecord}: what was asked and what happened to it, not what is computed from them. */
    static final class SavedBatch {
        String id;
        String scope;
        String endpoint;
        String inputFileId;
        String completionWindow;
        Map<String, String> metadata;
        String createdAt;
        String step;
        /**
         * Why the input was refused, or null if it was valid: then its lines are parsed again from
         * the input file's bytes (kept on disk while the batch exists, even if the file is deleted).
         */
        List<BatchError> inputErrors;

        String cancelRequestedAt;
        /**
         * The lines the batch processes before it expires part-way, or null if it runs its full
         * window: an Integer, since Gson would read a missing int as 0 (expire after no line).
         */
        Integer expireAfterLines;
        /** The indexes of the lines its per-line controls hit when it was created (absent: none). */
        List<Integer> controlledLines;

        boolean filesWritten;
        String outputFileId;
        String errorFileId;
    }

    /** An Idempotency-Key of an upload: the upload's fingerprint (Base64) and the file it made. */
    static final class SavedUpload {
        String key;
        String fingerprint;
        FileObject file;
    }

    /** An Idempotency-Key of a create: the request body and the batch it made. */
    static final class SavedCreate {
        String key;
        JsonElement body;
        String batchId;
    }

    /**
     * A field a state must have.
     *
     * @throws IllegalArgumentException naming the field if it is absent
     */
    static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return value;
    }

    /** A list field, empty if absent. */
    static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : value;
    }

    static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /**
     * An instant field; null stays null.
     *
     * @throws IllegalArgumentException naming the field if it is not an ISO-8601 instant
     */
    static Instant instant(String text, String field) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not an instant: " + text, e);
        }
    }

    /**
     * A required duration field.
     *
     * @throws IllegalArgumentException naming the field if it is absent or not a positive ISO-8601 duration
     */
    static Duration duration(String text, String field) {
        Duration duration;
        try {
            duration = Duration.parse(required(text, field));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not a duration: " + text, e);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(field + " is not positive: " + text);
        }
        return duration;
    }
}
