package com.mka1.batches.sandbox;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.mka1.batches.models.BatchObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the sandbox remembers: files, batches per scope, idempotency keys. One lock guards
 * it all; requests are short and the sandbox is a test tool, so contention does not matter.
 */
final class SandboxState {
    private final Clock clock;
    private final Duration step;

    private final Map<String, String> files = new HashMap<>();
    private final Map<String, BatchRecord> batches = new HashMap<>();
    /** Per scope, batches in creation order (the list operation reads it backwards). */
    private final Map<String, List<BatchRecord>> byScope = new HashMap<>();
    private final Map<String, IdempotentCreate> idempotency = new HashMap<>();

    /** What one idempotency key was first used for. */
    private static final class IdempotentCreate {
        final JsonElement body;
        final String batchId;

        IdempotentCreate(JsonElement body, String batchId) {
            this.body = body;
            this.batchId = batchId;
        }
    }

    /** The result of a create: the batch, and whether it was replayed for an idempotency key. */
    static final class Created {
        final BatchObject batch;
        final boolean replayed;

        Created(BatchObject batch, boolean replayed) {
            this.batch = batch;
            this.replayed = replayed;
        }
    }

    SandboxState(Clock clock, Duration step) {
        this.clock = clock;
        this.step = step;
    }

    synchronized String storeFile(String content) {
        return storeFileLocked(content);
    }

    synchronized Optional<String> file(String id) {
        return Optional.ofNullable(files.get(id));
    }

    synchronized Created create(
            String scope,
            String idempotencyKey,
            JsonObject body,
            String inputFileId,
            String endpoint,
            String completionWindow,
            Map<String, String> metadata) {
        String idempotencyScope = idempotencyKey == null ? null : scope + "\n" + idempotencyKey;
        if (idempotencyScope != null) {
            IdempotentCreate earlier = idempotency.get(idempotencyScope);
            if (earlier != null) {
                if (!earlier.body.equals(body)) {
                    throw new ApiError(
                            409,
                            ApiError.INVALID_REQUEST,
                            "idempotency_key_reused",
                            null,
                            "The Idempotency-Key '" + idempotencyKey
                                    + "' was already used with a different request body.");
                }
                return new Created(view(batches.get(earlier.batchId)), true);
            }
        }
        String content = files.get(inputFileId);
        InputFile input =
                content == null ? InputFile.missing(inputFileId) : InputFile.parse(content, endpoint);
        BatchRecord record =
                new BatchRecord(
                        Ids.batch(),
                        scope,
                        endpoint,
                        inputFileId,
                        completionWindow,
                        metadata,
                        clock.instant(),
                        step,
                        input);
        batches.put(record.id, record);
        byScope.computeIfAbsent(scope, s -> new ArrayList<>()).add(record);
        if (idempotencyScope != null) {
            idempotency.put(idempotencyScope, new IdempotentCreate(body.deepCopy(), record.id));
        }
        return new Created(view(record), false);
    }

    synchronized BatchObject get(String scope, String batchId) {
        return view(find(scope, batchId));
    }

    synchronized BatchObject cancel(String scope, String batchId) {
        BatchRecord record = find(scope, batchId);
        BatchRecord.Status status = record.statusAt(clock.instant());
        if (status.isCancellable()) {
            record.requestCancel(clock.instant());
        } else if (status != BatchRecord.Status.CANCELLING) {
            throw new ApiError(
                    409,
                    ApiError.INVALID_REQUEST,
                    "batch_not_cancellable",
                    null,
                    "Batch " + batchId + " cannot be cancelled: its status is "
                            + status.model.getValue() + ".");
        }
        return view(record);
    }

    synchronized JsonObject list(String scope, String after, int limit) {
        List<BatchRecord> own = byScope.getOrDefault(scope, List.of());
        int start = own.size() - 1;
        if (after != null) {
            BatchRecord anchor = batches.get(after);
            if (anchor == null || !anchor.scope.equals(scope)) {
                throw ApiError.invalid(
                        "invalid_value", "after", "No batch found with id " + after + " to list after.");
            }
            start = own.lastIndexOf(anchor) - 1;
        }
        JsonArray data = new JsonArray();
        String firstId = null;
        String lastId = null;
        int i = start;
        for (; i >= 0 && data.size() < limit; i--) {
            BatchRecord record = own.get(i);
            data.add(Json.GSON.toJsonTree(view(record)));
            firstId = firstId == null ? record.id : firstId;
            lastId = record.id;
        }
        JsonObject page = new JsonObject();
        page.addProperty("object", "list");
        page.add("data", data);
        // first_id and last_id are optional but not nullable in the spec: left out of an empty page.
        if (firstId != null) {
            page.addProperty("first_id", firstId);
            page.addProperty("last_id", lastId);
        }
        page.addProperty("has_more", i >= 0);
        return page;
    }

    synchronized void reset() {
        files.clear();
        batches.clear();
        byScope.clear();
        idempotency.clear();
    }

    private BatchRecord find(String scope, String batchId) {
        BatchRecord record = batches.get(batchId);
        if (record == null || !record.scope.equals(scope)) {
            throw ApiError.batchNotFound(batchId);
        }
        return record;
    }

    private BatchObject view(BatchRecord record) {
        return record.view(clock.instant(), this::storeFileLocked);
    }

    private String storeFileLocked(String content) {
        String id = Ids.file();
        files.put(id, content);
        return id;
    }
}
