package com.mka1.batches.sandbox;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.mka1.batches.models.BatchErrors;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import com.mka1.batches.models.RequestCounts;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * One batch as the sandbox stores it: what was asked, and the few events that happened to it
 * (creation, a cancel request). Its status, counts and timestamps are not stored but computed
 * from the clock on every read, so advancing the clock moves every batch at once.
 *
 * <p>Timeline with step {@code d} from creation {@code c}: validating until {@code c+d}, then
 * in_progress (requests complete evenly over the step) until {@code c+2d}, finalizing until
 * {@code c+3d}, then completed. An invalid input fails at {@code c+d}. A cancel at {@code x}
 * shows cancelling until {@code x+d}, then cancelled. Whatever is not terminal at {@code c+24h}
 * is expired then; a batch told to {@linkplain #expireAfterLines expire part-way} expires as soon
 * as it has processed that many lines. Not thread-safe: {@link SandboxState} guards it.
 */
final class BatchRecord {
    static final Duration COMPLETION_WINDOW = Duration.ofHours(24);

    final String id;
    final String scope;
    final String endpoint;
    final String inputFileId;
    final String completionWindow;
    final Map<String, String> metadata;
    final Instant createdAt;
    private final Duration step;
    private final InputFile input;
    /** controlled[k] = whether line k's {@code sandbox_status} or {@code sandbox_error_code} hits this execution. */
    private final boolean[] controlled;
    /** failedBefore[k] = how many of the first k lines fail. */
    private final int[] failedBefore;

    /** The lines processed before the batch expires part-way; -1: it runs its full 24h window. */
    private int expireAfterLines = -1;

    private Instant cancelRequestedAt;
    private boolean filesWritten;
    private String outputFileId;
    private String errorFileId;

    BatchRecord(
            String id,
            String scope,
            String endpoint,
            String inputFileId,
            String completionWindow,
            Map<String, String> metadata,
            Instant createdAt,
            Duration step,
            InputFile input,
            ToIntFunction<String> executions) {
        this.id = id;
        this.scope = scope;
        this.endpoint = endpoint;
        this.inputFileId = inputFileId;
        this.completionWindow = completionWindow;
        this.metadata = metadata;
        this.createdAt = createdAt;
        this.step = step;
        this.input = input;
        this.controlled = new boolean[input.lines.size()];
        this.failedBefore = new int[input.lines.size() + 1];
        for (int i = 0; i < input.lines.size(); i++) {
            InputFile.Line line = input.lines.get(i);
            controlled[i] = line.hasPerLineControl() && executions.applyAsInt(line.customId) <= line.times;
            failedBefore[i + 1] = failedBefore[i] + (line.fails || controlled[i] ? 1 : 0);
        }
    }

    /** What a state dir keeps of this batch: what was asked and what happened, not what is computed. */
    StateSnapshot.SavedBatch saved() {
        StateSnapshot.SavedBatch saved = new StateSnapshot.SavedBatch();
        saved.id = id;
        saved.scope = scope;
        saved.endpoint = endpoint;
        saved.inputFileId = inputFileId;
        saved.completionWindow = completionWindow;
        saved.metadata = metadata;
        saved.createdAt = StateSnapshot.text(createdAt);
        saved.step = step.toString();
        saved.inputErrors = input.isValid() ? null : input.errors;
        saved.cancelRequestedAt = StateSnapshot.text(cancelRequestedAt);
        saved.expireAfterLines = expireAfterLines < 0 ? null : expireAfterLines;
        List<Integer> controlledLines = new ArrayList<>();
        for (int i = 0; i < controlled.length; i++) {
            if (controlled[i]) {
                controlledLines.add(i);
            }
        }
        saved.controlledLines = controlledLines.isEmpty() ? null : controlledLines;
        saved.filesWritten = filesWritten;
        saved.outputFileId = outputFileId;
        saved.errorFileId = errorFileId;
        return saved;
    }

    /**
     * A batch as a state dir kept it.
     *
     * @param input its input, parsed again from the input file's bytes or refused again
     * @throws IllegalArgumentException naming the field if {@code saved} lacks one or has a malformed one
     */
    static BatchRecord restored(StateSnapshot.SavedBatch saved, InputFile input) {
        String id = StateSnapshot.required(saved.id, "a batch's id");
        String field = "batch " + id + ": ";
        // The per-line controls hit the lines they hit at creation: the counts have moved on since.
        Set<String> controlledIds = new HashSet<>();
        if (saved.controlledLines != null) {
            for (Integer index : saved.controlledLines) {
                if (index == null || index < 0 || index >= input.lines.size()) {
                    throw new IllegalArgumentException(field + "controlledLines holds " + index
                            + ", not a line from 0 to fewer than its " + input.lines.size());
                }
                controlledIds.add(input.lines.get(index).customId);
            }
        }
        BatchRecord record = new BatchRecord(
                id,
                StateSnapshot.required(saved.scope, field + "scope"),
                StateSnapshot.required(saved.endpoint, field + "endpoint"),
                StateSnapshot.required(saved.inputFileId, field + "inputFileId"),
                StateSnapshot.required(saved.completionWindow, field + "completionWindow"),
                saved.metadata == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(saved.metadata)),
                StateSnapshot.required(
                        StateSnapshot.instant(saved.createdAt, field + "createdAt"), field + "createdAt"),
                StateSnapshot.duration(saved.step, field + "step"),
                input,
                customId -> controlledIds.contains(customId) ? 0 : Integer.MAX_VALUE);
        record.cancelRequestedAt = StateSnapshot.instant(saved.cancelRequestedAt, field + "cancelRequestedAt");
        if (saved.expireAfterLines != null) {
            if (saved.expireAfterLines < 0 || saved.expireAfterLines >= input.lines.size()) {
                throw new IllegalArgumentException(field + "expireAfterLines " + saved.expireAfterLines
                        + " is not from 0 to fewer than its " + input.lines.size() + " lines");
            }
            record.expireAfterLines = saved.expireAfterLines;
        }
        record.filesWritten = saved.filesWritten;
        record.outputFileId = saved.outputFileId;
        record.errorFileId = saved.errorFileId;
        return record;
    }

    /** Receives the files a batch writes when it ends. */
    interface FileSink {
        /** Stores one result file created at {@code createdAt}; returns its id. */
        String store(String content, String filename, Instant createdAt);

        /** Notes that the request {@code customId} was answered 200 in the output file (the ledger). */
        void succeeded(String customId);
    }

    /** The batch as the API shows it at {@code now}; writes its result files the first time it is seen ended. */
    BatchObject view(Instant now, FileSink files) {
        Timeline t = new Timeline(now);
        int total = input.isValid() ? input.lines.size() : 0;
        int processed = t.processed(total);
        int failed = failedBefore[processed];
        int completed = processed - failed;

        if (t.status.isTerminal() && !filesWritten) {
            writeFiles(t, processed, files);
        }
        BatchObject batch = new BatchObject()
                .id(id)
                ._object("batch")
                .endpoint(endpoint)
                .inputFileId(inputFileId)
                .completionWindow(completionWindow)
                .status(t.status.model)
                .createdAt(createdAt.getEpochSecond())
                .expiresAt(t.expiresAt.getEpochSecond())
                .requestCounts(new RequestCounts()
                        .total((long) total)
                        .completed((long) completed)
                        .failed((long) failed))
                .metadata(metadata);
        batch.setErrors(
                t.status == Status.FAILED ? new BatchErrors()._object("list").data(input.errors) : null);
        batch.setInProgressAt(seconds(t.inProgressAt));
        batch.setFinalizingAt(seconds(t.finalizingAt));
        batch.setCompletedAt(seconds(t.status == Status.COMPLETED ? t.end : null));
        batch.setFailedAt(seconds(t.status == Status.FAILED ? t.end : null));
        batch.setExpiredAt(seconds(t.status == Status.EXPIRED ? t.end : null));
        batch.setCancellingAt(seconds(cancelRequestedAt));
        batch.setCancelledAt(seconds(t.status == Status.CANCELLED ? t.end : null));
        batch.setOutputFileId(t.status.isTerminal() ? outputFileId : null);
        batch.setErrorFileId(t.status.isTerminal() ? errorFileId : null);
        return batch;
    }

    /** Whether the batch was made from an input file's lines (then a state dir keeps that file's bytes). */
    boolean hasInput() {
        return input.isValid();
    }

    /** The status at {@code now}, for the cancel rules. */
    Status statusAt(Instant now) {
        return new Timeline(now).status;
    }

    void requestCancel(Instant now) {
        cancelRequestedAt = now;
    }

    /** The requests this batch holds in its API key's queue while it is active. */
    int queuedRequests() {
        return input.isValid() ? input.lines.size() : 0;
    }

    /**
     * Makes the batch expire once it has processed its first {@code lines} lines (fewer than it
     * has): its window ends then, not 24h after creation.
     */
    void expireAfterLines(int lines) {
        expireAfterLines = lines;
    }

    /**
     * When the window ends: 24h after creation, or, for a batch that expires part-way, the instant
     * its processing reaches {@link #expireAfterLines} lines (lines complete evenly over the
     * in_progress step).
     */
    private Instant expiry() {
        Instant window = createdAt.plus(COMPLETION_WINDOW);
        if (expireAfterLines < 0) {
            return window;
        }
        // Rounded up, so that the lines processed by then are expireAfterLines, not one fewer.
        BigInteger[] split = BigInteger.valueOf(step.toNanos())
                .multiply(BigInteger.valueOf(expireAfterLines))
                .divideAndRemainder(BigInteger.valueOf(input.lines.size()));
        long nanos = split[0].longValueExact() + (split[1].signum() > 0 ? 1 : 0);
        Instant partWay = createdAt.plus(step).plusNanos(nanos);
        return partWay.isBefore(window) ? partWay : window;
    }

    private void writeFiles(Timeline t, int processed, FileSink files) {
        filesWritten = true;
        StringBuilder output = new StringBuilder();
        StringBuilder errors = new StringBuilder();
        long created = t.inProgressAt != null ? t.inProgressAt.getEpochSecond() : createdAt.getEpochSecond();
        for (int i = 0; i < processed; i++) {
            InputFile.Line line = input.lines.get(i);
            String requestHex = Ids.hex();
            JsonObject result = new JsonObject();
            result.addProperty("id", "batch_req_" + requestHex);
            result.addProperty("custom_id", line.customId);
            if (line.fails) {
                JsonObject error = new JsonObject();
                error.addProperty("code", "processing_error");
                error.addProperty(
                        "message", "The sandbox failed this request because its body sets \"sandbox_fail\": true.");
                result.add("response", JsonNull.INSTANCE);
                result.add("error", error);
                errors.append(Json.GSON.toJson(result)).append('\n');
            } else if (controlled[i]) {
                controlledResult(line, result);
                errors.append(Json.GSON.toJson(result)).append('\n');
            } else {
                JsonObject response = new JsonObject();
                response.addProperty("status_code", 200);
                response.addProperty("request_id", "req_" + Ids.hex());
                response.add("body", ResultBodies.forEndpoint(endpoint, line.body, requestHex, created));
                result.add("response", response);
                result.add("error", JsonNull.INSTANCE);
                output.append(Json.GSON.toJson(result)).append('\n');
                files.succeeded(line.customId);
            }
        }
        int failed = failedBefore[processed];
        if (t.status == Status.COMPLETED || processed - failed > 0) {
            outputFileId = files.store(output.toString(), id + "_output.jsonl", t.end);
        }
        if (failed > 0) {
            errorFileId = files.store(errors.toString(), id + "_error.jsonl", t.end);
        }
    }

    /**
     * A line answered as its {@code sandbox_status} (a response of that status with an error body)
     * or its {@code sandbox_error_code} (no response, an {@code error} of that code) ask.
     */
    private static void controlledResult(InputFile.Line line, JsonObject result) {
        String code = line.errorCode != null ? line.errorCode : "sandbox_status";
        String message = "The sandbox answered this request as its body's sandbox_status/sandbox_error_code ask.";
        JsonObject error = new JsonObject();
        error.addProperty("code", code);
        error.addProperty("message", message);
        if (line.status != 0) {
            JsonObject body = new JsonObject();
            body.add("error", error);
            JsonObject response = new JsonObject();
            response.addProperty("status_code", line.status);
            response.addProperty("request_id", "req_" + Ids.hex());
            response.add("body", body);
            result.add("response", response);
            result.add("error", JsonNull.INSTANCE);
        } else {
            result.add("response", JsonNull.INSTANCE);
            result.add("error", error);
        }
    }

    private static Long seconds(Instant instant) {
        return instant == null ? null : instant.getEpochSecond();
    }

    /** The sandbox's own status, with the terminal flag the model enum lacks. */
    // BatchStatus is immutable (a generated final class of final fields), just not annotated so.
    @SuppressWarnings("ImmutableEnumChecker")
    enum Status {
        VALIDATING(BatchStatus.VALIDATING, false),
        FAILED(BatchStatus.FAILED, true),
        IN_PROGRESS(BatchStatus.IN_PROGRESS, false),
        FINALIZING(BatchStatus.FINALIZING, false),
        COMPLETED(BatchStatus.COMPLETED, true),
        EXPIRED(BatchStatus.EXPIRED, true),
        CANCELLING(BatchStatus.CANCELLING, false),
        CANCELLED(BatchStatus.CANCELLED, true);

        final BatchStatus model;
        private final boolean terminal;

        Status(BatchStatus model, boolean terminal) {
            this.model = model;
            this.terminal = terminal;
        }

        boolean isTerminal() {
            return terminal;
        }

        /** Whether a cancel request moves the batch to cancelling. */
        boolean isCancellable() {
            return this == VALIDATING || this == IN_PROGRESS || this == FINALIZING;
        }
    }

    /** Where the batch is at one instant. */
    private final class Timeline {
        final Status status;
        final Instant end;
        final Instant expiresAt = expiry();
        final Instant inProgressAt;
        final Instant finalizingAt;
        private final Instant processedUntil;
        private final Instant inProgressStart = createdAt.plus(step);
        private final Instant finalizingStart = inProgressStart.plus(step);

        Timeline(Instant now) {
            Status endStatus;
            Instant endAt;
            if (cancelRequestedAt != null) {
                endStatus = Status.CANCELLED;
                endAt = cancelRequestedAt.plus(step);
            } else if (!input.isValid()) {
                endStatus = Status.FAILED;
                endAt = inProgressStart;
            } else {
                endStatus = Status.COMPLETED;
                endAt = finalizingStart.plus(step);
            }
            if (endAt.isAfter(expiresAt)) {
                endStatus = Status.EXPIRED;
                endAt = expiresAt;
            }
            end = endAt;
            // Processing stops at a cancel request or at expiry, whichever comes first.
            Instant cutoff =
                    cancelRequestedAt != null && cancelRequestedAt.isBefore(expiresAt) ? cancelRequestedAt : expiresAt;
            if (!now.isBefore(end)) {
                status = endStatus;
            } else if (cancelRequestedAt != null && !now.isBefore(cancelRequestedAt)) {
                status = Status.CANCELLING;
            } else if (!input.isValid() || now.isBefore(inProgressStart)) {
                status = Status.VALIDATING;
            } else if (now.isBefore(finalizingStart)) {
                status = Status.IN_PROGRESS;
            } else {
                status = Status.FINALIZING;
            }
            boolean valid = input.isValid();
            inProgressAt = reached(valid, inProgressStart, now, cutoff);
            finalizingAt = reached(valid, finalizingStart, now, cutoff);
            processedUntil = now.isBefore(cutoff) ? now : cutoff;
        }

        private Instant reached(boolean valid, Instant stage, Instant now, Instant cutoff) {
            return valid && !now.isBefore(stage) && stage.isBefore(cutoff) ? stage : null;
        }

        int processed(int total) {
            if (total == 0 || !processedUntil.isAfter(inProgressStart)) {
                return 0;
            }
            if (!processedUntil.isBefore(finalizingStart)) {
                return total;
            }
            // Exact at the part-way expiry, whatever the rounding of the division below.
            if (expireAfterLines >= 0
                    && expiresAt.isBefore(createdAt.plus(COMPLETION_WINDOW))
                    && !processedUntil.isBefore(expiresAt)) {
                return expireAfterLines;
            }
            double elapsed = Duration.between(inProgressStart, processedUntil).toNanos();
            int processed = (int) Math.floor(total * elapsed / step.toNanos());
            return expireAfterLines >= 0 ? Math.min(processed, expireAfterLines) : processed;
        }
    }
}
