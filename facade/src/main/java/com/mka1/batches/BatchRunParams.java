package com.mka1.batches;

import com.google.gson.JsonObject;
import com.mka1.batches.internal.Checks;
import com.mka1.batches.internal.RunInputChecks;
import com.mka1.batches.jsonl.BatchInputLine;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.observability.Outage;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What {@link BatchService#run(BatchRunParams)} runs: the requests (in code, from an
 * {@code Iterable}, or an existing JSONL file), their endpoint, and how the run splits, waits and
 * keeps its state.
 *
 * <pre>{@code
 * BatchRunParams params = BatchRunParams.builder()
 *         .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
 *         .addRequest("q1", Map.of("model", "gpt-4o-mini",
 *                 "messages", List.of(Map.of("role", "user", "content", "Hello"))))
 *         .addRequest("q2", Map.of("model", "gpt-4o-mini",
 *                 "messages", List.of(Map.of("role", "user", "content", "Goodbye"))))
 *         .putMetadata("job", "nightly-eval")
 *         .workDir(Paths.get("runs/nightly"))
 *         .onProgress(p -> System.out.println(p))      // "1/2 batches finished, 60/100 requests done (3 failed)"
 *         .build();
 * }</pre>
 *
 * <p>The requests come from exactly one of {@link Builder#addRequest}, {@link Builder#requests}
 * and {@link Builder#inputFile}. An {@code Iterable} is iterated once, when the run starts, so it
 * can be lazy (read from a database, say) and as long as you like; requests added in code are
 * held in memory until then.
 *
 * <p>Defaults: completion window {@code "24h"}; no metadata; {@link WaitOptions#defaults()};
 * at most {@value #DEFAULT_MAX_REQUESTS_PER_BATCH} requests and {@value #DEFAULT_MAX_BYTES_PER_BATCH}
 * bytes (200 MB) of JSONL per batch; {@value #DEFAULT_MAX_ATTEMPTS} attempts per request, no
 * result check; a new temporary work directory; {@code cancelOnAbort} off. A request left without
 * a final outcome by its round (its batch expired, a transient failure, the check asked to retry)
 * is sent again in the next round, up to {@link #maxAttempts()} times: see {@link BatchService#run}.
 * Immutable (an {@code Iterable} given is kept as it is, not copied).
 */
public final class BatchRunParams {
    /** The most requests one batch takes unless {@link Builder#maxRequestsPerBatch(int)} says otherwise. */
    public static final int DEFAULT_MAX_REQUESTS_PER_BATCH = 50_000;
    /** The largest JSONL input of one batch, in bytes, unless {@link Builder#maxBytesPerBatch(long)} says otherwise. */
    public static final long DEFAULT_MAX_BYTES_PER_BATCH = 200_000_000L;
    /** Attempts per request unless {@link Builder#maxAttempts(int)} says otherwise: two resubmissions cure an expiry or a brief overload, and bound what a request that keeps failing costs. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    private final String endpoint;
    private final List<BatchInputLine> addedRequests;
    private final Iterable<BatchInputLine> requests;
    private final Path inputFile;
    private final Map<String, String> metadata;
    private final String completionWindow;
    private final WaitOptions waitOptions;
    private final Consumer<Progress> onProgress;
    private final int maxRequestsPerBatch;
    private final long maxBytesPerBatch;
    private final Path workDir;
    private final boolean cancelOnAbort;
    private final int maxAttempts;
    private final @Nullable ResultCheck resultCheck;

    private BatchRunParams(Builder b, List<BatchInputLine> addedRequests) {
        this.endpoint = b.endpoint;
        this.addedRequests = addedRequests;
        this.requests = addedRequests != null ? addedRequests : b.requests;
        this.inputFile = b.inputFile;
        this.metadata = b.metadata == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        this.completionWindow = b.completionWindow;
        this.waitOptions = b.waitOptions;
        this.onProgress = b.onProgress;
        this.maxRequestsPerBatch = b.maxRequestsPerBatch;
        this.maxBytesPerBatch = b.maxBytesPerBatch;
        this.workDir = b.workDir;
        this.cancelOnAbort = b.cancelOnAbort;
        this.maxAttempts = b.maxAttempts;
        this.resultCheck = b.resultCheck;
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the endpoint of every request, as sent on the wire, e.g. {@code /v1/chat/completions} */
    public String endpoint() {
        return endpoint;
    }

    /**
     * @return the requests given in code ({@link Builder#addRequest} or {@link Builder#requests}),
     *     or {@code null} when they come from {@link #inputFile()}
     */
    public @Nullable Iterable<BatchInputLine> requests() {
        return requests;
    }

    /** @return the JSONL file the requests come from, or {@code null} when they are given in code */
    public @Nullable Path inputFile() {
        return inputFile;
    }

    /** @return the metadata of every batch of the run, unmodifiable, or {@code null} when none was set */
    public @Nullable Map<String, String> metadata() {
        return metadata;
    }

    /** @return the completion window of every batch, {@code "24h"} unless set */
    public String completionWindow() {
        return completionWindow;
    }

    /** @return how the run polls its batches */
    public WaitOptions waitOptions() {
        return waitOptions;
    }

    /** @return the callback fed the run's progress summed over its batches; never null */
    public Consumer<Progress> onProgress() {
        return onProgress;
    }

    /** @return the most requests one batch takes */
    public int maxRequestsPerBatch() {
        return maxRequestsPerBatch;
    }

    /** @return the largest JSONL input of one batch, in bytes */
    public long maxBytesPerBatch() {
        return maxBytesPerBatch;
    }

    /** @return the work directory, or {@code null} for a new temporary one */
    public @Nullable Path workDir() {
        return workDir;
    }

    /** @return whether aborting the run (an interrupt, a cancelled future) also cancels its batches */
    public boolean cancelOnAbort() {
        return cancelOnAbort;
    }

    /** @return the most times one request is sent, over all rounds */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return the caller's check of successful results, or {@code null} when every success is accepted */
    @Nullable
    ResultCheck resultCheck() {
        return resultCheck;
    }

    @Override
    public String toString() {
        String source = inputFile != null
                ? "inputFile=" + inputFile
                : addedRequests != null ? "requests=" + addedRequests.size() + " added" : "requests=iterable";
        return "BatchRunParams{endpoint=" + endpoint + ", " + source + ", completionWindow=" + completionWindow
                + ", metadata=" + metadata + ", maxRequestsPerBatch=" + maxRequestsPerBatch
                + ", maxBytesPerBatch=" + maxBytesPerBatch + ", workDir=" + (workDir == null ? "temporary" : workDir)
                + ", cancelOnAbort=" + cancelOnAbort + ", maxAttempts=" + maxAttempts + ", waitOptions=" + waitOptions
                + '}';
    }

    /**
     * A run's progress while it waits, summed over its batches: how many batches have finished,
     * and the sum of their {@code request_counts}.
     *
     * <pre>{@code
     * .onProgress(p -> bar.update(p.completed() + p.failed(), p.total()))
     * }</pre>
     *
     * <p>{@link #total()} counts the requests of the batches the server has counted so far (a
     * batch still validating reports 0), so it can grow while the run waits; {@link #requests()}
     * is the run's own count. A run also reports each failure it waits out (see
     * {@link WaitOptions#outageBudget()}), in any stage, with {@link #outage()} set; the next
     * report after the outage has it {@code null} again. With rounds ({@link #maxAttempts()}), the
     * batches of every round count, and a past round's batch counts only its requests' final
     * outcomes: {@code completed() + failed()} reaches {@link #requests()} once the run is done. Immutable.
     */
    public static final class Progress {
        private final int batches;
        private final int batchesFinished;
        private final long requests;
        private final long total;
        private final long completed;
        private final long failed;
        private final @Nullable Outage outage;

        /**
         * Made by the run for each report; public so that code fed a run's progress can be tested
         * without a run. The arguments are what the accessors of the same names return.
         */
        public Progress(
                int batches,
                int batchesFinished,
                long requests,
                long total,
                long completed,
                long failed,
                @Nullable Outage outage) {
            this.batches = batches;
            this.batchesFinished = batchesFinished;
            this.requests = requests;
            this.total = total;
            this.completed = completed;
            this.failed = failed;
            this.outage = outage;
        }

        /** @return how many batches the run has */
        public int batches() {
            return batches;
        }

        /** @return how many of them have ended (completed, failed, expired or cancelled) */
        public int batchesFinished() {
            return batchesFinished;
        }

        /** @return how many requests the run has, in all its batches */
        public long requests() {
            return requests;
        }

        /** @return the sum of the batches' {@code request_counts.total} */
        public long total() {
            return total;
        }

        /** @return the sum of the batches' {@code request_counts.completed} */
        public long completed() {
            return completed;
        }

        /** @return the sum of the batches' {@code request_counts.failed} */
        public long failed() {
            return failed;
        }

        /**
         * @return the failure the run is waiting out (it will try again after
         *     {@link Outage#retryIn()}), or {@code null} when no call has failed since the last success
         */
        public @Nullable Outage outage() {
            return outage;
        }

        @Override
        public boolean equals(@Nullable Object o) {
            if (!(o instanceof Progress)) {
                return false;
            }
            Progress that = (Progress) o;
            return batches == that.batches
                    && batchesFinished == that.batchesFinished
                    && requests == that.requests
                    && total == that.total
                    && completed == that.completed
                    && failed == that.failed
                    && Objects.equals(outage, that.outage);
        }

        @Override
        public int hashCode() {
            return Objects.hash(batches, batchesFinished, requests, total, completed, failed, outage);
        }

        @Override
        public String toString() {
            return batchesFinished + "/" + batches + " batches finished, " + (completed + failed) + "/" + requests
                    + " requests done (" + failed + " failed)"
                    + (outage == null
                            ? ""
                            : ", waiting out an outage: " + outage.failures() + " failed calls in "
                                    + outage.downFor().toSeconds() + " s, next try in "
                                    + outage.retryIn().toSeconds() + " s");
        }
    }

    /** Builds {@link BatchRunParams}: an endpoint and one source of requests are required. */
    public static final class Builder {
        private String endpoint;
        /** The requests added in code, by custom id, kept until the endpoint is known. */
        private List<Map.Entry<String, JsonObject>> added;

        private Iterable<BatchInputLine> requests;
        private Path inputFile;
        private Map<String, String> metadata;
        private String completionWindow = CreateBatchParams.DEFAULT_COMPLETION_WINDOW;
        private WaitOptions waitOptions = WaitOptions.defaults();
        private Consumer<Progress> onProgress = progress -> {};
        private int maxRequestsPerBatch = DEFAULT_MAX_REQUESTS_PER_BATCH;
        private long maxBytesPerBatch = DEFAULT_MAX_BYTES_PER_BATCH;
        private Path workDir;
        private boolean cancelOnAbort;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private ResultCheck resultCheck;

        private Builder() {}

        /**
         * @param endpoint the endpoint every request goes to (a constant, or
         *     {@code BatchEndpoint.of("/v1/responses")} for one newer than the library); required
         * @return this builder
         */
        public Builder endpoint(BatchEndpoint endpoint) {
            this.endpoint = Checks.endpoint(endpoint);
            return this;
        }

        /**
         * @param endpoint the endpoint path as it goes on the wire, such as {@code /v1/embeddings}
         * @return this builder
         */
        public Builder endpoint(String endpoint) {
            this.endpoint = Checks.endpoint(endpoint);
            return this;
        }

        /**
         * Adds one request, kept in memory until the run. Repeated ids are reported by the run's
         * validation, with every other problem, before anything is uploaded.
         *
         * @param customId the request's id, unique within the run; not blank
         * @param body the request body: a Gson {@link JsonObject}, a {@code Map}, or any object
         *     Gson turns into a JSON object (copied now)
         * @return this builder
         * @throws IllegalArgumentException if {@code customId} is blank or {@code body} is not
         *     a JSON object (a string, a number, a list...)
         */
        public Builder addRequest(String customId, Object body) {
            added = RunInputChecks.addRequest(added, customId, body);
            return this;
        }

        /**
         * @param requests the requests, iterated once when the run starts (not copied); each line's
         *     {@code url} must be the run's endpoint
         * @return this builder
         */
        public Builder requests(Iterable<BatchInputLine> requests) {
            this.requests = Objects.requireNonNull(requests, "requests == null");
            return this;
        }

        /**
         * @param inputFile a UTF-8 JSONL batch input file whose lines all target the run's endpoint,
         *     which the run validates (see {@link com.mka1.batches.jsonl.BatchInputValidator}) and
         *     copies into its work directory, leaving it unchanged
         * @return this builder
         */
        public Builder inputFile(Path inputFile) {
            this.inputFile = Objects.requireNonNull(inputFile, "inputFile == null");
            return this;
        }

        /**
         * @param metadata replaces all metadata, which each batch of the run gets: string keys to
         *     string values (copied); no null keys or values
         * @return this builder
         */
        public Builder metadata(Map<String, String> metadata) {
            this.metadata = Checks.metadata(metadata);
            return this;
        }

        /**
         * @param key the key of one more metadata entry; not null
         * @param value a non-null value
         * @return this builder
         */
        public Builder putMetadata(String key, String value) {
            if (metadata == null) {
                metadata = new LinkedHashMap<>();
            }
            Checks.putMetadata(metadata, key, value);
            return this;
        }

        /**
         * @param completionWindow the completion window of every batch (default {@code "24h"})
         * @return this builder
         */
        public Builder completionWindow(String completionWindow) {
            this.completionWindow = Checks.notBlank(completionWindow, "completionWindow");
            return this;
        }

        /**
         * @param waitOptions how the run waits for its batches (default {@link WaitOptions#defaults()}):
         *     poll interval and growth, timeout (from the start of the wait), each poll's options; its
         *     own {@code onProgress} gets each batch whose status or counts changed, as
         *     {@code waitForCompletion}'s does (the sum over the batches: {@link #onProgress(Consumer)})
         * @return this builder
         */
        public Builder waitOptions(WaitOptions waitOptions) {
            this.waitOptions = Objects.requireNonNull(waitOptions, "waitOptions == null");
            return this;
        }

        /**
         * @param onProgress called on the run's thread with the progress summed over the run's
         *     batches: once when the input is checked and split and the run's manifest written (from
         *     then on the run can be resumed), then after each round of polls that changed
         *     something; keep it short
         * @return this builder
         */
        public Builder onProgress(Consumer<Progress> onProgress) {
            this.onProgress = Objects.requireNonNull(onProgress, "onProgress == null");
            return this;
        }

        /**
         * @param maxRequestsPerBatch the most requests one batch takes (default
         *     {@value BatchRunParams#DEFAULT_MAX_REQUESTS_PER_BATCH}); the run splits into as many
         *     batches as it needs. Also bounds the run's memory while joining results.
         * @return this builder
         */
        public Builder maxRequestsPerBatch(int maxRequestsPerBatch) {
            this.maxRequestsPerBatch = (int) RunInputChecks.atLeastOne(maxRequestsPerBatch, "maxRequestsPerBatch");
            return this;
        }

        /**
         * @param maxBytesPerBatch the largest JSONL input of one batch, in bytes, line terminators
         *     included (default {@value BatchRunParams#DEFAULT_MAX_BYTES_PER_BATCH}); a request
         *     larger than this on its own is reported as invalid input
         * @return this builder
         */
        public Builder maxBytesPerBatch(long maxBytesPerBatch) {
            this.maxBytesPerBatch = RunInputChecks.atLeastOne(maxBytesPerBatch, "maxBytesPerBatch");
            return this;
        }

        /**
         * @param maxAttempts the most times one request is sent, over all rounds (default
         *     {@value BatchRunParams#DEFAULT_MAX_ATTEMPTS}); 1 sends each request once, in one round
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = (int) RunInputChecks.atLeastOne(maxAttempts, "maxAttempts");
            return this;
        }

        /**
         * @param resultCheck judges each successful result: accept, retry or fail it (default: none,
         *     every success is accepted)
         * @return this builder
         */
        public Builder resultCheck(ResultCheck resultCheck) {
            this.resultCheck = Objects.requireNonNull(resultCheck, "resultCheck == null");
            return this;
        }

        /**
         * @param workDir where the run keeps its state ({@code manifest.json}), input parts, downloaded
         *     result files and {@code results.jsonl}, for {@link BatchService#resumeRun(Path)} to
         *     continue a run that stopped; created if missing; it must not hold another run (default:
         *     a new temporary directory)
         * @return this builder
         */
        public Builder workDir(Path workDir) {
            this.workDir = Objects.requireNonNull(workDir, "workDir == null");
            return this;
        }

        /**
         * @param cancelOnAbort whether aborting the run — interrupting its thread, or cancelling
         *     the future of {@link AsyncBatchService#run} — also cancels its batches on the server
         *     (default {@code false}: they go on, and {@link BatchService#resumeRun(Path)} can
         *     collect their results later)
         * @return this builder
         */
        public Builder cancelOnAbort(boolean cancelOnAbort) {
            this.cancelOnAbort = cancelOnAbort;
            return this;
        }

        /**
         * @return the params
         * @throws IllegalStateException if the endpoint is not set, or the requests were given
         *     in none or in more than one of the three ways
         */
        public BatchRunParams build() {
            RunInputChecks.runRequests(endpoint, added != null, requests != null, inputFile != null);
            return new BatchRunParams(this, added == null ? null : RunInputChecks.requestLines(added, endpoint));
        }
    }
}
