package com.mka1.batches;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.mka1.batches.errors.JsonlFormatException;
import com.mka1.batches.errors.LocalFileException;
import com.mka1.batches.internal.Json;
import com.mka1.batches.internal.RunManifest;
import com.mka1.batches.internal.WorkDir;
import com.mka1.batches.jsonl.BatchResult;
import com.mka1.batches.jsonl.BatchResultsReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * The end of a batch run ({@link BatchService#run}): its batches, its counts, and one
 * {@link Outcome} for every request, in input order, streamed from {@code results.jsonl} in the
 * work directory.
 *
 * <pre>{@code
 * BatchRunResult run = client.llm().batches().run(params);
 * System.out.printf("%d succeeded, %d failed, %d missing%n", run.succeeded(), run.failed(), run.missing());
 * try (Stream<BatchRunResult.Outcome> outcomes = run.outcomes()) {
 *     outcomes.forEach(o -> {
 *         switch (o.kind()) {
 *             case SUCCEEDED: store(o.customId(), o.result().body()); break;
 *             case FAILED:    log.warn("{} failed: {} {}", o.customId(), o.result().statusCode(), o.result().errorMessage()); break;
 *             case MISSING:   retryLater(o.customId(), o.reason()); break;   // e.g. "batch batch_x expired before this request ran"
 *         }
 *     });
 * }
 * }</pre>
 *
 * <p>Every request is accounted for exactly once: {@code total() == succeeded() + failed() +
 * missing()}. A request is <b>failed</b> when its result line says so (no response, an
 * {@code error}, or a {@code status_code} of 400 or more: see {@link BatchResult#isSuccess()})
 * or your {@link ResultCheck} refused its success, and <b>missing</b> when its batch gave no result
 * line for it (the batch expired, was cancelled, failed, or left it out) — each as its last attempt
 * left it: a request without a final outcome is sent again in the next round (see
 * {@link BatchRunParams#maxAttempts()}). Result lines whose {@code custom_id} matches no request of their batch
 * (or repeat one already answered), and lines that are not result lines at all, are not dropped:
 * {@link #unmatchedResults()} counts them and {@link #unmatchedResultsFile()} holds them.
 *
 * <p><b>{@code results.jsonl}</b> (UTF-8, one JSON object a line, one line per request, in input
 * order): {@code custom_id}; {@code outcome}: {@code "succeeded"}, {@code "failed"} or
 * {@code "missing"}; {@code batch_id}, the batch the request was last in; then, for a request with a
 * result line, that (last) line's own members as the server wrote them — {@code id}, {@code response}
 * ({@code status_code}, {@code request_id}, {@code body}) and/or {@code error} ({@code code},
 * {@code message}) — and for a missing one, or a failed one whose line does not say why, {@code reason},
 * a sentence; last {@code attempts}, one entry per round the request was sent in: {@code batch_id},
 * {@code round} and {@code result}, what happened: {@code completed}, {@code status 500},
 * {@code error server_error}, {@code failed}, {@code expired}, {@code cancelled}, {@code batch failed},
 * {@code missing} (a completed batch left it out), {@code rejected by check: <reason>} or
 * {@code failed by check: <reason>}:
 * <pre>
 * {"custom_id":"q1","outcome":"succeeded","batch_id":"batch_…","id":"batch_req_…","response":{"status_code":200,"request_id":"req_…","body":{…}},"attempts":[{"batch_id":"batch_…","round":1,"result":"status 500"},{"batch_id":"batch_…","round":2,"result":"completed"}]}
 * {"custom_id":"q2","outcome":"failed","batch_id":"batch_…","id":"batch_req_…","error":{"code":"processing_error","message":"…"},"attempts":[…]}
 * {"custom_id":"q3","outcome":"missing","batch_id":"batch_…","reason":"attempts exhausted (3 of 3), the last: batch batch_… expired before this request ran","attempts":[…]}
 * </pre>
 * {@code unmatched.jsonl}: one line per unmatched result line: {@code batch_id}, {@code problem},
 * and {@code custom_id} and {@code result} (the line as JSON), or {@code raw} (its text) for a line
 * that is not a result line.
 *
 * <p>Immutable; the files stay in the work directory, which the library never deletes (a run
 * without {@link BatchRunParams.Builder#workDir} uses a new temporary directory: remove it when
 * done). {@link BatchService#resumeRun(Path)} on a finished run's directory returns its result
 * again without a request.
 */
public final class BatchRunResult {
    private final Path workDir;
    private final List<String> batchIds;
    private final long total;
    private final long succeeded;
    private final long failed;
    private final long missing;
    private final long unmatched;

    /** The result of the run whose state is {@code manifest}, once it has joined every part. */
    BatchRunResult(RunManifest manifest) {
        this.workDir = manifest.dir();
        this.batchIds = manifest.batchIds();
        this.total = manifest.requests();
        this.succeeded = manifest.succeeded();
        this.failed = manifest.failed();
        this.missing = manifest.missing();
        this.unmatched = manifest.unmatched();
    }

    /** @return the work directory: manifest, input parts, downloaded result files, {@code results.jsonl} */
    public Path workDir() {
        return workDir;
    }

    /** @return the run's batch ids, one per part, in input order, round after round */
    public List<String> batchIds() {
        return batchIds;
    }

    /** @return how many requests the run had */
    public long total() {
        return total;
    }

    /** @return how many requests succeeded */
    public long succeeded() {
        return succeeded;
    }

    /** @return how many requests have a result line that says they failed */
    public long failed() {
        return failed;
    }

    /** @return how many requests have no result line */
    public long missing() {
        return missing;
    }

    /** @return how many result lines answer no request (see {@link #unmatchedResultsFile()}) */
    public long unmatchedResults() {
        return unmatched;
    }

    /** @return {@code results.jsonl}: one line per request (format in the class comment) */
    public Path resultsFile() {
        return workDir.resolve(WorkDir.RESULTS_FILE);
    }

    /** @return {@code unmatched.jsonl}: the result lines that answer no request; empty when there are none */
    public Path unmatchedResultsFile() {
        return workDir.resolve(WorkDir.UNMATCHED_FILE);
    }

    /**
     * Every request's outcome, in input order, read lazily from {@link #resultsFile()}: memory
     * for one line at a time. May be called again for a new pass.
     *
     * @return the outcomes; close the stream (try-with-resources) to close the file
     * @throws LocalFileException if the file cannot be opened (or, from the stream, read); a malformed line throws
     *     {@link JsonlFormatException} with its line number when the stream reaches it
     */
    public Stream<Outcome> outcomes() {
        Path file = resultsFile();
        BufferedReader raw;
        try {
            raw = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        BatchResultsReader parsed;
        try {
            parsed = BatchResultsReader.open(file);
        } catch (RuntimeException e) {
            try {
                raw.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        Iterator<BatchResult> results = parsed.iterator();
        Iterator<Outcome> outcomes = new Iterator<Outcome>() {
            private long lineNumber;
            private String next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = raw.readLine();
                    } catch (IOException e) {
                        throw unreadable(file, e);
                    }
                }
                return next != null;
            }

            @Override
            public Outcome next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String line = next;
                next = null;
                lineNumber++;
                BatchResult result = results.next();
                return Outcome.parse(line, lineNumber, result);
            }
        };
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(outcomes, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    try {
                        raw.close();
                    } catch (IOException e) {
                        throw unreadable(file, e);
                    } finally {
                        parsed.close();
                    }
                });
    }

    private static LocalFileException unreadable(Path file, IOException e) {
        return new LocalFileException(LocalFileException.Operation.READ, file, "the run's results", e);
    }

    @Override
    public String toString() {
        return "BatchRunResult{workDir=" + workDir + ", batches=" + batchIds.size() + ", total=" + total
                + ", succeeded=" + succeeded + ", failed=" + failed + ", missing=" + missing
                + ", unmatchedResults=" + unmatched + '}';
    }

    /**
     * What became of one request of the run: its id, whether it succeeded, failed or is missing,
     * and its result line or the reason it has none.
     *
     * <pre>{@code
     * if (outcome.kind() == Outcome.Kind.SUCCEEDED) {
     *     MyCompletion c = outcome.result().bodyAs(MyCompletion.class);
     * }
     * }</pre>
     *
     * <p>Immutable.
     */
    public static final class Outcome {
        private final String customId;
        private final Kind kind;
        private final String batchId;
        private final BatchResult result;
        private final String reason;
        private final int attempts;

        private Outcome(String customId, Kind kind, String batchId, BatchResult result, String reason, int attempts) {
            this.customId = customId;
            this.kind = kind;
            this.batchId = batchId;
            this.result = result;
            this.reason = reason;
            this.attempts = attempts;
        }

        static Outcome parse(String line, long lineNumber, BatchResult result) {
            JsonObject json;
            try {
                json = Json.parse(line).getAsJsonObject();
            } catch (Json.MalformedException | IllegalStateException e) {
                throw new JsonlFormatException(lineNumber, "not a line of a batch run's results: " + e.getMessage(), e);
            }
            String outcome = string(json, "outcome");
            Kind kind = outcome == null ? null : Kind.of(outcome);
            if (kind == null) {
                throw new JsonlFormatException(
                        lineNumber,
                        "\"outcome\" must be succeeded, failed or missing, was " + json.get("outcome"),
                        null);
            }
            JsonElement attempts = json.get("attempts");
            return new Outcome(
                    result.customId(),
                    kind,
                    string(json, "batch_id"),
                    kind == Kind.MISSING ? null : result,
                    kind == Kind.SUCCEEDED ? null : string(json, "reason"),
                    attempts != null && attempts.isJsonArray()
                            ? attempts.getAsJsonArray().size()
                            : 1);
        }

        private static String string(JsonObject json, String name) {
            JsonElement value = json.get(name);
            return value != null && value.isJsonPrimitive() ? value.getAsString() : null;
        }

        /** @return the request's {@code custom_id} */
        public String customId() {
            return customId;
        }

        /** @return whether it succeeded, failed or is missing */
        public Kind kind() {
            return kind;
        }

        /** @return the batch the request was last sent in */
        public String batchId() {
            return batchId;
        }

        /** @return how many times the request was sent, one per round it was in (its attempts are in {@code results.jsonl}) */
        public int attempts() {
            return attempts;
        }

        /** @return its result line; {@code null} when {@link #kind()} is {@link Kind#MISSING} */
        public @Nullable BatchResult result() {
            return result;
        }

        /**
         * @return why there is no result, e.g. {@code "batch batch_x expired before this request
         *     ran"}, or why a request failed when its result line alone does not say it (your check
         *     failed it, its attempts were used up: {@code "attempts exhausted (3 of 3), the last:
         *     status 500"}); {@code null} for a success and for a failure its line explains
         */
        public @Nullable String reason() {
            return reason;
        }

        @Override
        public boolean equals(@Nullable Object o) {
            if (!(o instanceof Outcome)) {
                return false;
            }
            Outcome that = (Outcome) o;
            return customId.equals(that.customId)
                    && kind == that.kind
                    && Objects.equals(batchId, that.batchId)
                    && Objects.equals(result, that.result)
                    && Objects.equals(reason, that.reason)
                    && attempts == that.attempts;
        }

        @Override
        public int hashCode() {
            return Objects.hash(customId, kind, batchId, result, reason, attempts);
        }

        @Override
        public String toString() {
            return "Outcome{" + customId + " " + kind + (kind == Kind.MISSING ? ": " + reason : ", " + result) + '}';
        }

        /** What became of a request. */
        public enum Kind {
            /** Its result line says it succeeded ({@link BatchResult#isSuccess()}). */
            SUCCEEDED,
            /**
             * Its result line says it failed (no response, an error, or a status of 400 or more),
             * or your {@link ResultCheck} refused its success.
             */
            FAILED,
            /** Its batch gave no result line for it; {@link Outcome#reason()} says why. */
            MISSING;

            static Kind of(String value) {
                switch (value) {
                    case "succeeded":
                        return SUCCEEDED;
                    case "failed":
                        return FAILED;
                    case "missing":
                        return MISSING;
                    default:
                        return null;
                }
            }
        }
    }
}
