package com.mka1.batches.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.mka1.batches.errors.JsonlFormatException;
import com.mka1.batches.errors.LocalFileException;
import com.mka1.batches.jsonl.BatchResult;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The last step of a batch run: joins each part, in order, into {@code results.jsonl}, each of
 * its inputs with its line of the downloaded output or error file; result lines that answer no
 * input go to {@code unmatched.jsonl}. Each part is recorded in the manifest once its lines are
 * on disk, so a join cut short starts again at the first part not recorded, cutting both files
 * back to where that part began.
 *
 * <p>Memory is bounded by the part, not the run: an index of the part's result lines holds a
 * 64-bit hash of each line's {@code custom_id} and where the line starts (16 bytes, in a table kept at most half full); the
 * line itself is read again from disk when an input asks for it, and its id compared exactly.
 * Inputs are streamed.
 */
final class RunJoin {
    private static final long MATCHED = Long.MIN_VALUE;
    private static final long ERRORS_FILE = 1L << 62;
    /** Set on a line {@link BatchResult#isSuccess()} judged a success when it was indexed. */
    private static final long SUCCESS = 1L << 61;

    private static final long OFFSET = SUCCESS - 1;
    /** The members the run writes after a result line's own, which a result line can't set. */
    private static final Set<String> RUN_MEMBERS =
            Collections.unmodifiableSet(new HashSet<>(Arrays.asList("reason", "retry", "attempts")));

    private final RunManifest.Part part;
    private final RunRounds.Judge judge;
    private final Path dir;
    private final OutputStream results;
    private final OutputStream unmatched;
    private final RunManifest.Joined joined = new RunManifest.Joined();
    private final FileLines[] resultFiles = new FileLines[2];
    private final String[] resultFileNames = new String[2];
    private final Index index = new Index();
    /** The line {@link #take} found, and its text. */
    private JsonObject taken;

    private String takenText;

    private RunJoin(RunManifest manifest, RunManifest.Part part, OutputStream results, OutputStream unmatched) {
        this.part = part;
        this.judge = new RunRounds.Judge(manifest, part);
        this.dir = manifest.dir;
        this.results = results;
        this.unmatched = unmatched;
    }

    /**
     * Appends the part's lines to {@code results} and {@code unmatched}.
     *
     * @return the part's counts (the caller sets the end offsets)
     */
    private static RunManifest.Joined join(
            RunManifest manifest, RunManifest.Part part, OutputStream results, OutputStream unmatched) {
        RunJoin join = new RunJoin(manifest, part, results, unmatched);
        try {
            join.run();
        } finally {
            for (FileLines file : join.resultFiles) {
                if (file != null) {
                    file.close();
                }
            }
        }
        return join.joined;
    }

    /**
     * Joins the parts not joined yet (all of the run's current round), in order, into the round's
     * results file ({@link RunRounds#resultsFile}) and {@code unmatched.jsonl}, recording each part in
     * the manifest once its lines are on disk. A part whose join was cut short is joined again from its start.
     */
    static void joinRound(RunManifest manifest) {
        int first = 0;
        while (first < manifest.parts.size() && manifest.parts.get(first).joined != null) {
            first++;
        }
        // With every part joined, the files are still opened: that checks, and cuts back, their ends.
        RunManifest.Part previous = first == 0 ? null : manifest.parts.get(first - 1);
        int round = first < manifest.parts.size() ? manifest.parts.get(first).round() : previous.round();
        long resultsStart = previous == null || previous.round() != round ? 0 : previous.joined.resultsEnd;
        long unmatchedStart = previous == null ? 0 : previous.joined.unmatchedEnd;
        String resultsFile = RunRounds.resultsFile(round);
        try (FileChannel results = openAt(manifest, resultsFile, resultsStart);
                FileChannel unmatched = openAt(manifest, WorkDir.UNMATCHED_FILE, unmatchedStart)) {
            OutputStream resultsOut = new BufferedOutputStream(Channels.newOutputStream(results), 64 * 1024);
            OutputStream unmatchedOut = new BufferedOutputStream(Channels.newOutputStream(unmatched), 16 * 1024);
            for (int i = first; i < manifest.parts.size(); i++) {
                RunManifest.Part part = manifest.parts.get(i);
                RunManifest.Joined joined = join(manifest, part, resultsOut, unmatchedOut);
                joined.resultsEnd = toDisk(manifest, resultsOut, results, resultsFile);
                joined.unmatchedEnd = toDisk(manifest, unmatchedOut, unmatched, WorkDir.UNMATCHED_FILE);
                part.joined = joined;
                manifest.write();
            }
        } catch (IOException e) {
            throw new LocalFileException(LocalFileException.Operation.WRITE, manifest.dir, "the run's results in", e);
        }
    }

    /** Opens a results file and cuts it back to what the joined parts wrote: a half-written part goes. */
    private static FileChannel openAt(RunManifest manifest, String name, long size) {
        Path file = manifest.path(name);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new LocalFileException(LocalFileException.Operation.CREATE, file, "the run's results file", e);
        }
        try {
            long actual = channel.size();
            if (actual < size) {
                throw new IllegalStateException(file + " is shorter (" + actual + " bytes) than the parts the"
                        + " manifest says were joined wrote (" + size + " bytes): the work directory was changed");
            }
            channel.truncate(size);
            channel.position(size);
            return channel;
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof IOException) {
                throw new LocalFileException(
                        LocalFileException.Operation.WRITE, file, "the run's results file", (IOException) e);
            }
            throw (RuntimeException) e;
        }
    }

    /** Flushes a part's lines to disk; @return the file's size with them, for the manifest */
    private static long toDisk(RunManifest manifest, OutputStream out, FileChannel channel, String name) {
        try {
            out.flush();
            channel.force(false);
            return channel.position();
        } catch (IOException e) {
            throw new LocalFileException(
                    LocalFileException.Operation.WRITE, manifest.path(name), "the run's results file", e);
        }
    }

    private void run() {
        if (part.outputFileId != null) {
            index(0, part.outputFile(), "output file " + part.outputFileId);
        }
        if (part.errorFileId != null) {
            index(1, part.errorsFile(), "error file " + part.errorFileId);
        }
        String missingReason = missingReason(part);
        long n = 0;
        try (FileLines inputs = FileLines.open(dir.resolve(part.file))) {
            while (inputs.next()) {
                n++;
                RunInput.checkInterrupt(n);
                String customId = RunInput.customIdOf(inputs.line());
                long location = take(customId);
                JsonObject line = new JsonObject();
                line.addProperty("custom_id", customId);
                RunRounds.Decision decision;
                if (location < 0) {
                    line.addProperty("outcome", "missing");
                    line.addProperty("batch_id", part.batchId);
                    decision = judge.missing(missingReason);
                } else {
                    JsonObject result = taken;
                    boolean success = (location & SUCCESS) != 0;
                    line.addProperty("outcome", success ? "succeeded" : "failed");
                    line.addProperty("batch_id", part.batchId);
                    for (Map.Entry<String, JsonElement> member : result.entrySet()) {
                        if (!line.has(member.getKey()) && !RUN_MEMBERS.contains(member.getKey())) {
                            line.add(member.getKey(), member.getValue()); // the run's own members win
                        }
                    }
                    decision = judge.answered(customId, takenText, success);
                }
                decision.apply(line, joined);
                write(results, line);
            }
        }
        if (n != part.requests) {
            throw new IllegalStateException(dir.resolve(part.file) + " holds " + n + " requests but the run wrote "
                    + part.requests + ": the work directory was changed");
        }
        writeUnanswered();
    }

    /** Indexes the lines of one result file; a malformed line goes to {@code unmatched.jsonl} at once. */
    private void index(int which, String name, String description) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the run's manifest says " + file + " was downloaded, but it is missing");
        }
        resultFiles[which] = FileLines.open(file);
        resultFileNames[which] = description;
        FileLines lines = FileLines.open(file);
        try {
            long lineNumber = 0;
            while (lines.next()) {
                lineNumber++;
                RunInput.checkInterrupt(lineNumber);
                String text = lines.line();
                if (text.trim().isEmpty()) {
                    continue;
                }
                BatchResult result;
                try {
                    result = BatchResult.parse(text, lineNumber);
                } catch (JsonlFormatException e) {
                    JsonObject entry = new JsonObject();
                    entry.addProperty("batch_id", part.batchId);
                    entry.addProperty("problem", "line " + lineNumber + " of " + description + ": " + e.problem());
                    entry.addProperty("raw", text);
                    write(unmatched, entry);
                    joined.unmatched++;
                    continue;
                }
                long location = lines.lineStart() | (which == 1 ? ERRORS_FILE : 0) | (result.isSuccess() ? SUCCESS : 0);
                index.add(CustomIdSet.hash(result.customId()), location);
            }
        } finally {
            lines.close();
        }
    }

    /**
     * Finds the first result line (output file before error file, each in file order) answering
     * {@code customId} and not taken yet, marks it taken and leaves it in {@link #taken}.
     *
     * @return its location, or -1 if there is none
     */
    private long take(String customId) {
        long hash = CustomIdSet.hash(customId);
        int best = -1;
        long bestLocation = Long.MAX_VALUE;
        JsonObject bestLine = null;
        for (int slot = index.home(hash); index.hashes[slot] != 0; slot = index.next(slot)) {
            long location = index.locations[slot];
            if (index.hashes[slot] != hash || location < 0 || (location & ~SUCCESS) > (bestLocation & ~SUCCESS)) {
                continue;
            }
            String text = text(location);
            JsonObject line = parse(location, text);
            JsonElement id = line.get("custom_id");
            if (id != null && id.isJsonPrimitive() && customId.equals(id.getAsString())) {
                best = slot;
                bestLocation = location;
                bestLine = line;
                takenText = text;
            }
        }
        taken = bestLine;
        if (best < 0) {
            return -1;
        }
        index.locations[best] |= MATCHED;
        return bestLocation;
    }

    private JsonObject read(long location) {
        return parse(location, text(location));
    }

    private String text(long location) {
        return resultFiles[(location & ERRORS_FILE) != 0 ? 1 : 0].lineAt(location & OFFSET);
    }

    private JsonObject parse(long location, String text) {
        int which = (location & ERRORS_FILE) != 0 ? 1 : 0;
        try {
            return Json.parse(text).getAsJsonObject();
        } catch (Json.MalformedException | IllegalStateException e) {
            throw new IllegalStateException("the " + resultFileNames[which] + " changed on disk during the join", e);
        }
    }

    /** The result lines no input took, in file order. */
    private void writeUnanswered() {
        long[] left = new long[index.size];
        int count = 0;
        for (int slot = 0; slot < index.hashes.length; slot++) {
            if (index.hashes[slot] != 0 && index.locations[slot] >= 0) {
                left[count++] = index.locations[slot] & ~SUCCESS;
            }
        }
        long[] locations = Arrays.copyOf(left, count);
        Arrays.sort(locations);
        for (long location : locations) {
            JsonObject result = read(location);
            JsonObject entry = new JsonObject();
            entry.addProperty("batch_id", part.batchId);
            JsonElement id = result.get("custom_id");
            entry.add("custom_id", id);
            entry.addProperty(
                    "problem", "no request of this batch has this custom_id, or an earlier line already answered it");
            entry.add("result", result);
            write(unmatched, entry);
            joined.unmatched++;
        }
    }

    /** Why a request of this part has no result line. */
    static String missingReason(RunManifest.Part part) {
        String batch = "batch " + part.batchId;
        switch (part.status) {
            case "expired":
                return batch + " expired before this request ran";
            case "cancelled":
                return batch + " was cancelled before this request ran";
            case "failed":
                return batch + " failed before running any request" + (part.failure == null ? "" : ": " + part.failure);
            default:
                return batch + " " + part.status + " without a result for this request";
        }
    }

    private void write(OutputStream out, JsonObject line) {
        try {
            out.write(Json.GSON.toJson(line).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        } catch (IOException e) {
            Path file = dir.resolve(out == results ? WorkDir.RESULTS_FILE : WorkDir.UNMATCHED_FILE);
            throw new LocalFileException(
                    LocalFileException.Operation.WRITE, file, "the results of part " + part.number + " to", e);
        }
    }

    /** Result lines by hash of custom_id: open addressing, linear probing, 0 = free. */
    private static final class Index {
        long[] hashes = new long[1024];
        /** Where each line starts; bit 62 = the error file; the sign bit = taken by an input. */
        long[] locations = new long[1024];

        int size;

        int home(long hash) {
            return CustomIdSet.slot(hash, hashes.length - 1);
        }

        int next(int slot) {
            return (slot + 1) & (hashes.length - 1);
        }

        void add(long hash, long location) {
            if ((size + 1) * 2 > hashes.length) {
                grow();
            }
            int slot = home(hash);
            while (hashes[slot] != 0) {
                slot = next(slot);
            }
            hashes[slot] = hash;
            locations[slot] = location;
            size++;
        }

        private void grow() {
            long[] oldHashes = hashes;
            long[] oldLocations = locations;
            hashes = new long[oldHashes.length * 2];
            locations = new long[oldHashes.length * 2];
            size = 0;
            for (int i = 0; i < oldHashes.length; i++) {
                if (oldHashes[i] != 0) {
                    add(oldHashes[i], oldLocations[i]);
                }
            }
        }
    }
}
