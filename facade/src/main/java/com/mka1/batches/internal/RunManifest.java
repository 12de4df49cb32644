package com.mka1.batches.internal;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.mka1.batches.ResultCheck;
import com.mka1.batches.errors.LocalFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The state of a batch run, kept in {@code manifest.json} in its work directory: what the run is,
 * its parts, and for each part how far it got. Every step records its result here before the
 * next step starts, and every key that makes a request safe to send again is recorded before the
 * request is sent, so a run resumed after dying at any point repeats no upload and no create.
 *
 * <p>Format (version {@value #VERSION}; JSON, snake_case, absent = not yet):
 * <pre>
 * {
 *   "format": "mka1-batch-run", "version": 1, "written_by": "mka1-batches-java/0.1.0",
 *   "endpoint": "/v1/chat/completions", "completion_window": "24h", "metadata": {...},
 *   "max_requests_per_batch": 50000, "max_bytes_per_batch": 200000000,
 *   "requests": 120000, "cancel_on_abort": false, "max_attempts": 3,
 *   "parts": [{
 *     "number": 1, "round": 1, "file": "part-0001.jsonl", "first_line": 1, "requests": 50000, "bytes": 9123456, "sha256": "…",
 *     "upload_key": "…", "input_file_id": "file_…",        (key recorded before the upload is sent)
 *     "create_key": "…", "batch_id": "batch_…",            (key recorded before the create is sent)
 *     "status": "completed", "output_file_id": "file_…", "error_file_id": "file_…", "failure": "…",
 *     "request_counts": {"total": 50000, "completed": 49990, "failed": 10},
 *     "output_downloaded": true, "errors_downloaded": true,
 *     "joined": {"succeeded": 49990, "failed": 10, "missing": 0, "retried": 0, "unmatched": 0,
 *                "results_end": 81234567, "unmatched_end": 0}
 *   }, ...],
 *   "done": true
 * }
 * </pre>
 * Rounds ({@link RunRounds}): the parts of round 1 hold the input; once every part of a round is
 * joined, the requests it left to retry are written into the next round's parts, which are
 * recorded all at once, numbered on from the last part. The round of a part is its requests'
 * attempt: {@code round} absent (a run of an older version) is round 1, {@code max_attempts}
 * absent is 1. A round's counts ({@code joined}) hold only its final outcomes; {@code retried}
 * counts the requests it handed to the next round.
 * It never holds the API key or any header: only ids, idempotency keys and counts. Written
 * atomically: a temporary file, flushed to disk, moved over the old one.
 *
 * <p>Not thread-safe: one run owns it (see {@link WorkDir}'s lock).
 */
public final class RunManifest {
    public static final String FORMAT = "mka1-batch-run";
    public static final int VERSION = 1;

    /** The library's Gson, with snake_case names for the manifest's fields and a readable layout. */
    private static final Gson GSON = Json.GSON
            .newBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .setPrettyPrinting()
            .create();

    String format = FORMAT;
    int version = VERSION;
    String writtenBy = "mka1-batches-java/" + LibraryVersion.VERSION;
    String endpoint;
    String completionWindow;
    Map<String, String> metadata;
    long maxRequestsPerBatch;
    long maxBytesPerBatch;
    long requests;
    boolean cancelOnAbort;
    int maxAttempts;
    List<Part> parts = new ArrayList<>();
    boolean done;

    /** The work directory; not written. */
    transient Path dir;
    /** The caller's result check, or null: not written, so a resumed run has none. */
    transient ResultCheck check;

    /** One batch of the run: its slice of the input and how far it got. */
    static final class Part {
        int number;
        int round;
        String file;
        long firstLine;
        long requests;
        long bytes;
        String sha256;
        String uploadKey;
        String inputFileId;
        String createKey;
        String batchId;
        String status;
        String outputFileId;
        String errorFileId;
        /** Why a failed batch failed, from its {@code errors}. */
        String failure;
        /** The batch's {@code request_counts} when it ended. */
        Counts requestCounts;

        boolean outputDownloaded;
        boolean errorsDownloaded;
        Joined joined;

        String outputFile() {
            return WorkDir.outputFile(file);
        }

        String errorsFile() {
            return WorkDir.errorsFile(file);
        }

        boolean finished() {
            return status != null;
        }

        /** @return the round, which is also the attempt of each of its requests */
        int round() {
            return Math.max(round, 1);
        }
    }

    /** A batch's {@code request_counts}. */
    static final class Counts {
        long total;
        long completed;
        long failed;
    }

    /** A part's share of {@code results.jsonl} once joined. */
    static final class Joined {
        long succeeded;
        long failed;
        long missing;
        /** The requests handed to the next round: no final outcome in this part. */
        long retried;

        long unmatched;
        /** The size of {@code results.jsonl} once this part's lines were written. */
        long resultsEnd;
        /** The size of {@code unmatched.jsonl} once this part's lines were written. */
        long unmatchedEnd;
    }

    /** @return the most attempts per request: {@code max_attempts}, 1 when absent */
    int maxAttempts() {
        return Math.max(maxAttempts, 1);
    }

    /** @return the round of the last part: the round the run is in */
    int round() {
        return parts.get(parts.size() - 1).round();
    }

    Path path(String name) {
        return dir.resolve(name);
    }

    /**
     * Reads the manifest of a work directory.
     *
     * @throws IllegalArgumentException if there is none, or it is not a run manifest of this version
     */
    static RunManifest read(Path dir) {
        Path file = dir.resolve(WorkDir.MANIFEST_FILE);
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(
                    "workDir " + dir + " holds no " + WorkDir.MANIFEST_FILE + ": it is not the work"
                            + " directory of a batch run, or the run stopped before its input was prepared (then nothing was"
                            + " uploaded: start the run again)");
        } catch (IOException e) {
            throw new LocalFileException(LocalFileException.Operation.READ, file, "the run's manifest", e);
        }
        JsonObject json;
        try {
            JsonElement parsed = Json.parse(text);
            if (!parsed.isJsonObject()) {
                throw new IllegalArgumentException(file + " is not a batch run manifest: not a JSON object");
            }
            json = parsed.getAsJsonObject();
        } catch (Json.MalformedException e) {
            throw new IllegalArgumentException(file + " is not a batch run manifest: " + e.getMessage());
        }
        JsonElement format = json.get("format");
        if (format == null || !format.isJsonPrimitive() || !FORMAT.equals(format.getAsString())) {
            throw new IllegalArgumentException(file + " is not a batch run manifest: its \"format\" is "
                    + (format == null ? "missing" : format) + ", not \"" + FORMAT + "\"");
        }
        JsonElement version = json.get("version");
        if (version == null
                || !version.isJsonPrimitive()
                || !version.getAsJsonPrimitive().isNumber()
                || version.getAsDouble() != VERSION) {
            throw new IllegalArgumentException(file + " is a batch run manifest of version "
                    + (version == null ? "(missing)" : version) + ", but this library (" + LibraryVersion.VERSION
                    + ") reads version " + VERSION + " only: resume the run with the library version that started it");
        }
        RunManifest manifest;
        try {
            manifest = GSON.fromJson(json, RunManifest.class);
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new IllegalArgumentException(file + " is a damaged batch run manifest: a value of the wrong type");
        }
        manifest.dir = dir;
        manifest.check(file);
        return manifest;
    }

    private void check(Path file) {
        if (endpoint == null || completionWindow == null || parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException(
                    file + " is a damaged batch run manifest: it lacks its endpoint," + " completion window or parts");
        }
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            if (part == null
                    || part.number != i + 1
                    || part.file == null
                    || part.file.contains("/")
                    || part.file.contains("\\")
                    || part.file.startsWith(".")) {
                throw new IllegalArgumentException(file + " is a damaged batch run manifest: part " + (i + 1)
                        + " is missing or names no file of the work directory");
            }
            if (part.round < 0 || (i > 0 && part.round() < parts.get(i - 1).round())) {
                throw new IllegalArgumentException(file + " is a damaged batch run manifest: part " + (i + 1)
                        + " has round " + part.round + ", before the round of the part before it");
            }
            forgetUnusableIds(part);
        }
    }

    /**
     * An id the server answered that is not a usable one ({@link ServerIds}), recorded by a version
     * that did not check them, is forgotten with what followed from it, so that the resume redoes
     * that step: an upload or create is sent again with its recorded key, which the server answers
     * with what the first try made (no second batch); a batch's end is polled again. A part
     * already joined keeps everything: its ids are no longer used.
     */
    private static void forgetUnusableIds(Part part) {
        if (part.joined != null) {
            return;
        }
        if (!usable(part.batchId)) {
            part.batchId = null;
        }
        if (part.batchId == null && !usable(part.inputFileId)) {
            part.inputFileId = null;
        }
        if (part.batchId == null || !usable(part.outputFileId) || !usable(part.errorFileId)) {
            part.status = null;
            part.outputFileId = null;
            part.errorFileId = null;
            part.failure = null;
            part.requestCounts = null;
            part.outputDownloaded = false;
            part.errorsDownloaded = false;
        }
    }

    private static boolean usable(String id) {
        return id == null || ServerIds.problem(id) == null;
    }

    /** Writes the manifest atomically: a temporary file, forced to disk, then moved over the old one. */
    void write() {
        byte[] bytes = GSON.toJson(this).getBytes(StandardCharsets.UTF_8);
        Path target = dir.resolve(WorkDir.MANIFEST_FILE);
        Path temp = dir.resolve(WorkDir.MANIFEST_FILE + ".tmp");
        try (FileChannel out = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        } catch (IOException e) {
            throw new LocalFileException(LocalFileException.Operation.WRITE, temp, "the run's manifest", e);
        }
        try {
            AtomicFiles.moveIntoPlace(temp, target);
        } catch (IOException e) {
            throw new LocalFileException(
                    LocalFileException.Operation.MOVE, target, "the run's manifest into place at", e);
        }
    }

    /** @return the run's batch ids so far, in part order, round after round (a part without a batch yet is left out); unmodifiable */
    public List<String> batchIds() {
        List<String> ids = new ArrayList<>();
        for (Part part : parts) {
            if (part.batchId != null) {
                ids.add(part.batchId);
            }
        }
        return Collections.unmodifiableList(ids);
    }

    /** @return the work directory */
    public Path dir() {
        return dir;
    }

    /** @return the run's requests */
    public long requests() {
        return requests;
    }

    /** @return the requests the joined parts found succeeded */
    public long succeeded() {
        return sumJoined(joined -> joined.succeeded);
    }

    /** @return the requests the joined parts found failed */
    public long failed() {
        return sumJoined(joined -> joined.failed);
    }

    /** @return the requests the joined parts found without a result line */
    public long missing() {
        return sumJoined(joined -> joined.missing);
    }

    /** @return the result lines of the joined parts that answer no request */
    public long unmatched() {
        return sumJoined(joined -> joined.unmatched);
    }

    private long sumJoined(ToLongFunction<Joined> count) {
        long sum = 0;
        for (Part part : parts) {
            if (part.joined != null) {
                sum += count.applyAsLong(part.joined);
            }
        }
        return sum;
    }
}
