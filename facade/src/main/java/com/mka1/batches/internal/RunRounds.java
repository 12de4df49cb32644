package com.mka1.batches.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.mka1.batches.ResultCheck;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * The rounds of a batch run: which joined lines are final and which go to the next round
 * ({@link Judge}), the next round's parts ({@link #next}), and the one {@code results.jsonl} made
 * of all rounds ({@link #finish}).
 *
 * <p>Every request of round {@code r} is at its {@code r}-th attempt: a round holds exactly the
 * requests the round before left without a final outcome, in input order. Round 1 joins into
 * {@code results.jsonl}, round {@code r > 1} into {@code results-round-r.jsonl}; a line the next
 * round takes carries {@code "retry": true}. At the end, when there was more than one round,
 * round 1's file is renamed {@code results-round-1.jsonl} and the rounds are merged, line by line,
 * into a new {@code results.jsonl}: each request's last line, with the attempts of all its
 * lines. Every step can be cut short and done again: the next round's parts are recorded in the
 * manifest only once all are written, and the merge reads round files that only go once the
 * manifest says the run is done.
 */
final class RunRounds {
    /**
     * The codes of an output line's {@code error} that say nothing about the request itself: the
     * server or its capacity failed. The API documents one code, {@code processing_error}, for
     * any failed request, which is not among them: it does not say a resubmission would do better.
     */
    static final Set<String> TRANSIENT_ERROR_CODES = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
            "rate_limit_exceeded", "server_error", "internal_error", "service_unavailable", "overloaded", "timeout")));

    private RunRounds() {}

    /** @return the file round {@code round}'s parts join into */
    static String resultsFile(int round) {
        return round == 1 ? WorkDir.RESULTS_FILE : WorkDir.roundResultsFile(round);
    }

    /** @return whether an output line's status or error code says a resubmission may succeed */
    static boolean isTransient(BatchResult result) {
        Integer status = result.statusCode();
        if (status != null && status >= 400) {
            return status == 408 || status == 429 || (status >= 500 && status <= 599);
        }
        return result.errorCode() != null && TRANSIENT_ERROR_CODES.contains(result.errorCode());
    }

    /** What happened to a failed attempt, for its {@code attempts} entry: {@code status 500}, {@code error server_error}. */
    static String failure(BatchResult result) {
        Integer status = result.statusCode();
        if (status != null && status >= 400) {
            return "status " + status;
        }
        return result.errorCode() != null ? "error " + result.errorCode() : "failed";
    }

    /** Decides, line by line, what one joined part's requests come to. */
    static final class Judge {
        private final RunManifest.Part part;
        private final int maxAttempts;
        private final ResultCheck check;

        Judge(RunManifest manifest, RunManifest.Part part) {
            this.part = part;
            this.maxAttempts = manifest.maxAttempts();
            this.check = manifest.check;
        }

        /** A request its batch gave no line: sent again if the batch expired or completed without it. */
        Decision missing(String reason) {
            String status = part.status;
            boolean expired = "expired".equals(status);
            String what = expired || "cancelled".equals(status)
                    ? status
                    : "failed".equals(status) ? "batch failed" : "missing";
            return decide("missing", what, expired || "completed".equals(status), reason);
        }

        /** A request with a result line (its {@code text}), which {@code success} says succeeded or not. */
        Decision answered(String customId, String text, boolean success) {
            BatchResult result = BatchResult.parse(text, 0);
            if (!success) {
                return decide("failed", failure(result), isTransient(result), null);
            }
            if (check == null) {
                return decide("succeeded", "completed", false, null);
            }
            ResultCheck.Verdict verdict;
            try {
                verdict = check.check(result);
            } catch (RuntimeException e) {
                throw new IllegalStateException(
                        "the run's result check threw on custom_id \"" + customId + "\" (round " + part.round()
                                + "): the run stopped, and resumeRun continues it (without the check)",
                        e);
            }
            if (verdict == null) {
                throw new IllegalStateException("the run's result check returned null for custom_id \"" + customId
                        + "\": return Verdict.accept(), retry(reason) or fail(reason)");
            }
            if (verdict.reason() == null) {
                return decide("succeeded", "completed", false, null);
            }
            if (verdict.isRetry()) {
                String what = "rejected by check: " + verdict.reason();
                return decide("failed", what, true, what);
            }
            String what = "failed by check: " + verdict.reason();
            return decide("failed", what, false, what);
        }

        private Decision decide(String outcome, String what, boolean retryable, String reason) {
            int round = part.round();
            boolean retry = retryable && round < maxAttempts;
            String finalReason = reason;
            if (retryable && !retry && maxAttempts > 1) {
                finalReason = "attempts exhausted (" + round + " of " + maxAttempts + "), the last: "
                        + (reason == null ? what : reason);
            }
            return new Decision(part, outcome, what, retry, finalReason);
        }
    }

    /** What one attempt of a request came to: its line's outcome and reason, and whether it goes on. */
    static final class Decision {
        private final RunManifest.Part part;
        private final String outcome;
        private final String what;
        private final boolean retry;
        private final String reason;

        Decision(RunManifest.Part part, String outcome, String what, boolean retry, String reason) {
            this.part = part;
            this.outcome = outcome;
            this.what = what;
            this.retry = retry;
            this.reason = reason;
        }

        /** Writes the decision into the request's joined line, and counts it. */
        void apply(JsonObject line, RunManifest.Joined joined) {
            JsonObject attempt = new JsonObject();
            attempt.addProperty("batch_id", part.batchId);
            attempt.addProperty("round", part.round());
            attempt.addProperty("result", what);
            JsonArray attempts = new JsonArray();
            attempts.add(attempt);
            line.add("attempts", attempts);
            if (retry) {
                line.addProperty("retry", true);
                joined.retried++;
                return;
            }
            line.addProperty("outcome", outcome);
            if (reason != null) {
                line.addProperty("reason", reason);
            }
            if (outcome.equals("succeeded")) {
                joined.succeeded++;
            } else if (outcome.equals("failed")) {
                joined.failed++;
            } else {
                joined.missing++;
            }
        }
    }

    /**
     * Once every part of the current round is joined: writes the requests it left to retry into
     * the next round's parts and records them.
     *
     * @return whether there is a next round
     */
    static boolean next(RunManifest manifest) {
        int round = manifest.round();
        long retried = 0;
        for (RunManifest.Part part : manifest.parts) {
            if (part.round() == round) {
                retried += part.joined.retried;
            }
        }
        if (retried == 0) {
            return false;
        }
        RunInput.Parts next = new RunInput.Parts(
                manifest.dir,
                (int) manifest.maxRequestsPerBatch,
                manifest.maxBytesPerBatch,
                manifest.parts.size(),
                round + 1);
        Path resultsFile = manifest.path(resultsFile(round));
        try (FileLines results = FileLines.open(resultsFile)) {
            for (RunManifest.Part part : manifest.parts) {
                if (part.round() != round) {
                    continue;
                }
                try (FileLines inputs = FileLines.open(manifest.path(part.file))) {
                    for (long n = part.firstLine; inputs.next(); n++) {
                        RunInput.checkInterrupt(n);
                        JsonObject line = sameRequest(results, resultsFile, RunInput.customIdOf(inputs.line()));
                        if (line.has("retry")) {
                            next.add(n, inputs.line(), new ArrayList<>());
                        }
                    }
                }
            }
        }
        next.close();
        manifest.parts.addAll(next.written);
        manifest.write();
        return true;
    }

    /** Reads the next line of a round's results, which must answer {@code customId}. */
    private static JsonObject sameRequest(FileLines lines, Path file, String customId) {
        JsonObject line = lines.next() ? parse(lines.line(), file) : null;
        JsonElement id = line == null ? null : line.get("custom_id");
        if (id == null || !id.isJsonPrimitive() || !id.getAsString().equals(customId)) {
            throw new IllegalStateException(file + " does not hold the line of custom_id \"" + customId
                    + "\" where the run wrote it: the work directory was changed");
        }
        return line;
    }

    private static JsonObject parse(String text, Path file) {
        try {
            return Json.parse(text).getAsJsonObject();
        } catch (Json.MalformedException | IllegalStateException e) {
            throw new IllegalStateException(
                    file + " holds a line the run did not write: the work directory was changed", e);
        }
    }

    /** Makes {@code results.jsonl} of all rounds, and marks the run done. */
    static void finish(RunManifest manifest) {
        if (manifest.done) {
            return;
        }
        int rounds = manifest.round();
        if (rounds > 1) {
            merge(manifest, rounds);
        }
        manifest.done = true;
        manifest.write();
        for (int round = 1; round <= rounds; round++) {
            try {
                Files.deleteIfExists(manifest.path(WorkDir.roundResultsFile(round)));
            } catch (IOException e) {
                // Best effort: the merged results are in place; a leftover only takes space.
            }
        }
    }

    private static void merge(RunManifest manifest, int rounds) {
        Path results = manifest.path(WorkDir.RESULTS_FILE);
        Path first = manifest.path(WorkDir.roundResultsFile(1));
        Path temp = manifest.path(WorkDir.RESULTS_FILE + ".tmp");
        FileLines[] sources = new FileLines[rounds];
        try {
            if (!Files.exists(first)) {
                AtomicFiles.moveIntoPlace(results, first);
            }
            for (int round = 1; round <= rounds; round++) {
                sources[round - 1] = FileLines.open(manifest.path(WorkDir.roundResultsFile(round)));
            }
            try (FileChannel channel = FileChannel.open(
                    temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
                for (long n = 1; sources[0].next(); n++) {
                    RunInput.checkInterrupt(n);
                    JsonObject line = parse(sources[0].line(), first);
                    JsonArray attempts = line.getAsJsonArray("attempts");
                    for (int round = 2; line.has("retry"); round++) {
                        Path file = manifest.path(WorkDir.roundResultsFile(round));
                        line = sameRequest(
                                sources[round - 1], file, line.get("custom_id").getAsString());
                        attempts.addAll(line.getAsJsonArray("attempts"));
                    }
                    line.add("attempts", attempts);
                    out.write(Json.GSON.toJson(line).getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                }
                out.flush();
                channel.force(false);
            }
            AtomicFiles.moveIntoPlace(temp, results);
        } catch (IOException e) {
            throw new LocalFileException(LocalFileException.Operation.WRITE, results, "the run's merged results", e);
        } finally {
            for (FileLines source : sources) {
                if (source != null) {
                    source.close();
                }
            }
        }
    }
}
