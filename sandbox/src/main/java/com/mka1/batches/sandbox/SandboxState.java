package com.mka1.batches.sandbox;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.mka1.batches.models.BatchError;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.DeleteFileResponse;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the sandbox remembers: files and batches per scope, idempotency keys. One lock
 * guards it all; requests are short and the sandbox is a test tool, so contention does not matter.
 * A scope is an API key and an {@code X-On-Behalf-Of} user (see {@link #scope(String, String)}).
 * With a {@link StateDir} ({@link #persistTo}) it is saved after every change and survives restarts.
 */
final class SandboxState {
    private final Clock clock;
    private final Duration step;
    private final SandboxRules rules;

    // The state below is package-private for SandboxPersistence, which reads and fills it under
    // this object's lock; nothing else outside this class touches it.
    /** Files by id; a deleted file is removed. */
    final Map<String, StoredFile> files = new HashMap<>();

    long fileSequence;
    /** Per scope and Idempotency-Key, the upload it was first used for. */
    final Map<String, IdempotentUpload> uploads = new HashMap<>();

    /** Batches by id, in creation order (the ledger's order). */
    final Map<String, BatchRecord> batches = new LinkedHashMap<>();
    /** Per scope, batches in creation order (the list operation reads it backwards). */
    final Map<String, List<BatchRecord>> byScope = new HashMap<>();

    final Map<String, IdempotentCreate> idempotency = new HashMap<>();

    /** Per custom_id, how many times it was answered 200 in an output file (the ledger). */
    final Map<String, Integer> successes = new LinkedHashMap<>();
    /** How many batches were made to expire part-way, for {@link SandboxRules#expiringBatches}. */
    int expiredPartWay;
    /** How many batches took each custom_id with a per-line control, by scope and custom_id (see {@link Mka1Sandbox}). */
    final Map<String, Integer> executions = new HashMap<>();

    /** What one idempotency key was first used for. */
    static final class IdempotentCreate {
        final JsonElement body;
        final String batchId;

        IdempotentCreate(JsonElement body, String batchId) {
            this.body = body;
            this.batchId = batchId;
        }
    }

    /** What one idempotency key was first used for on upload. */
    static final class IdempotentUpload {
        final byte[] fingerprint;
        final FileObject file;

        IdempotentUpload(byte[] fingerprint, FileObject file) {
            this.fingerprint = fingerprint;
            this.file = file;
        }
    }

    /** The result of an upload: the file, and whether it was replayed for an idempotency key. */
    static final class Uploaded {
        final FileObject file;
        final boolean replayed;

        Uploaded(FileObject file, boolean replayed) {
            this.file = file;
            this.replayed = replayed;
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

    /** Where every change is saved, or null to keep the state in memory only. */
    private SandboxPersistence persistence;

    SandboxState(Clock clock, Duration step) {
        this(clock, step, SandboxRules.DEFAULT);
    }

    SandboxState(Clock clock, Duration step, SandboxRules rules) {
        this.clock = clock;
        this.step = step;
        this.rules = rules;
    }

    /**
     * Takes over the state saved in {@code dir}, if any, and saves every later change there (see
     * {@link #save()}). Called once, before the first request.
     *
     * @throws StateDir.StateDirException naming the path if the saved state cannot be used
     */
    synchronized void persistTo(StateDir dir) {
        SandboxPersistence loaded = new SandboxPersistence(dir);
        loaded.load(this);
        persistence = loaded;
    }

    /**
     * Writes the state to the state dir if it changed: called after each request (a read can change
     * it too, when a batch writes its result files on being first seen ended). A no-op without a
     * state dir.
     *
     * @throws java.io.UncheckedIOException naming the path if writing fails
     */
    synchronized void save() {
        if (persistence != null) {
            persistence.save(this);
        }
    }

    /**
     * The scope of a call: its API key and its trimmed X-On-Behalf-Of user (null: none). The key is
     * kept as its SHA-256 digest, so that a state dir never holds a key.
     */
    static String scope(String apiKey, String onBehalfOf) {
        return hex(sha256(apiKey.getBytes(StandardCharsets.UTF_8))) + "\n"
                + (onBehalfOf == null ? "" : onBehalfOf.trim());
    }

    /** Stores an upload (or the Java shortcut for one); replays an earlier upload with the same key. */
    synchronized Uploaded upload(
            String scope,
            String idempotencyKey,
            String filename,
            FilePurpose purpose,
            String contentType,
            byte[] content) {
        String idempotencyScope = idempotencyScope(scope, idempotencyKey);
        byte[] fingerprint = null;
        if (idempotencyScope != null) {
            fingerprint = fingerprint(filename, purpose, content);
            IdempotentUpload earlier = uploads.get(idempotencyScope);
            if (earlier != null) {
                if (!Arrays.equals(earlier.fingerprint, fingerprint)) {
                    throw new ApiError(
                            409,
                            ApiError.INVALID_REQUEST,
                            "idempotency_key_reused",
                            null,
                            "The Idempotency-Key '" + idempotencyKey
                                    + "' was already used with a different file, file name or purpose.");
                }
                return new Uploaded(earlier.file, true);
            }
        }
        StoredFile file = storeFileLocked(scope, filename, purpose, contentType, content, clock.instant());
        FileObject view = file.view();
        if (idempotencyScope != null) {
            uploads.put(idempotencyScope, new IdempotentUpload(fingerprint, view));
        }
        return new Uploaded(view, false);
    }

    /** Any file's content, whatever its scope: the Java accessor for tests. */
    synchronized Optional<byte[]> fileContent(String id) {
        materializeAll();
        StoredFile file = files.get(id);
        return file == null
                ? Optional.empty()
                : Optional.of(file.contentUnsafe().clone());
    }

    /** A file of the scope, for get and content. */
    synchronized StoredFile file(String scope, String fileId) {
        materialize(scope);
        StoredFile file = files.get(fileId);
        if (file == null || !file.scope.equals(scope)) {
            throw ApiError.fileNotFound(fileId);
        }
        return file;
    }

    synchronized DeleteFileResponse delete(String scope, String fileId) {
        StoredFile file = file(scope, fileId);
        files.remove(file.id);
        return new DeleteFileResponse().id(file.id)._object("file").deleted(true);
    }

    /**
     * One page of the scope's files.
     *
     * @param purpose only files of this purpose, or null for all
     */
    synchronized JsonObject listFiles(String scope, String after, int limit, boolean ascending, FilePurpose purpose) {
        materialize(scope);
        List<StoredFile> own = new ArrayList<>();
        for (StoredFile file : files.values()) {
            if (file.scope.equals(scope)) {
                own.add(file);
            }
        }
        Comparator<StoredFile> order =
                Comparator.comparingLong((StoredFile f) -> f.createdAt).thenComparingLong(f -> f.sequence);
        own.sort(ascending ? order : order.reversed());
        int start = 0;
        if (after != null) {
            StoredFile anchor = files.get(after);
            if (anchor == null || !anchor.scope.equals(scope)) {
                throw ApiError.invalid("invalid_value", "after", "No file found with id " + after + " to list after.");
            }
            start = own.indexOf(anchor) + 1;
        }
        JsonArray data = new JsonArray();
        String firstId = null;
        String lastId = null;
        boolean hasMore = false;
        for (int i = start; i < own.size(); i++) {
            StoredFile file = own.get(i);
            if (purpose != null && !purpose.equals(file.purpose)) {
                continue;
            }
            if (data.size() == limit) {
                hasMore = true;
                break;
            }
            data.add(Json.GSON.toJsonTree(file.view()));
            firstId = firstId == null ? file.id : firstId;
            lastId = file.id;
        }
        JsonObject page = new JsonObject();
        page.addProperty("object", "list");
        page.add("data", data);
        if (firstId != null) {
            page.addProperty("first_id", firstId);
            page.addProperty("last_id", lastId);
        }
        page.addProperty("has_more", hasMore);
        return page;
    }

    synchronized Created create(
            String scope,
            String idempotencyKey,
            JsonObject body,
            String inputFileId,
            String endpoint,
            String completionWindow,
            Map<String, String> metadata) {
        String idempotencyScope = idempotencyScope(scope, idempotencyKey);
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
        StoredFile inputFile = files.get(inputFileId);
        InputFile input;
        if (inputFile == null || !inputFile.scope.equals(scope)) {
            input = InputFile.missing(inputFileId);
        } else if (!FilePurpose.BATCH.equals(inputFile.purpose)) {
            input = InputFile.wrongPurpose(inputFileId, inputFile.purpose.getValue());
        } else {
            input = InputFile.parse(new String(inputFile.contentUnsafe(), StandardCharsets.UTF_8), endpoint);
        }
        input = rules.admit(scope, input, batches.values(), clock.instant());
        BatchRecord record = new BatchRecord(
                Ids.batch(),
                scope,
                endpoint,
                inputFileId,
                completionWindow,
                metadata,
                clock.instant(),
                step,
                input,
                customId -> executions.merge(scope + "\n" + customId, 1, Integer::sum));
        if (rules.expiresPartWay(input, expiredPartWay)) {
            expiredPartWay++;
            record.expireAfterLines(rules.expireAfterLines);
        }
        batches.put(record.id, record);
        byScope.computeIfAbsent(scope, s -> new ArrayList<>()).add(record);
        if (idempotencyScope != null) {
            idempotency.put(idempotencyScope, new IdempotentCreate(body.deepCopy(), record.id));
        }
        return new Created(view(record), false);
    }

    /** Where an Idempotency-Key is remembered, or null when there is none or the sandbox ignores keys. */
    private String idempotencyScope(String scope, String idempotencyKey) {
        return idempotencyKey == null || rules.ignoreIdempotencyKeys ? null : scope + "\n" + idempotencyKey;
    }

    /** What the sandbox did, for {@link Mka1Sandbox#ledger()}: every batch at its current status. */
    synchronized SandboxLedger ledger() {
        materializeAll();
        List<SandboxLedger.Batch> list = new ArrayList<>();
        for (BatchRecord record : batches.values()) {
            BatchObject batch = view(record);
            List<String> errorCodes = new ArrayList<>();
            if (batch.getErrors() != null && batch.getErrors().getData() != null) {
                for (BatchError error : batch.getErrors().getData()) {
                    errorCodes.add(error.getCode());
                }
            }
            list.add(new SandboxLedger.Batch(
                    record.id,
                    record.inputFileId,
                    record.endpoint,
                    record.metadata,
                    batch.getStatus(),
                    errorCodes,
                    batch.getRequestCounts().getCompleted(),
                    batch.getRequestCounts().getFailed()));
        }
        return new SandboxLedger(list, successes);
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
                    "Batch " + batchId + " cannot be cancelled: its status is " + status.model.getValue() + ".");
        }
        return view(record);
    }

    synchronized JsonObject list(String scope, String after, int limit) {
        List<BatchRecord> own = byScope.getOrDefault(scope, List.of());
        int start = own.size() - 1;
        if (after != null) {
            BatchRecord anchor = batches.get(after);
            if (anchor == null || !anchor.scope.equals(scope)) {
                throw ApiError.invalid("invalid_value", "after", "No batch found with id " + after + " to list after.");
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
        uploads.clear();
        fileSequence = 0;
        batches.clear();
        byScope.clear();
        idempotency.clear();
        successes.clear();
        expiredPartWay = 0;
        executions.clear();
    }

    private BatchRecord find(String scope, String batchId) {
        BatchRecord record = batches.get(batchId);
        if (record == null || !record.scope.equals(scope)) {
            throw ApiError.batchNotFound(batchId);
        }
        return record;
    }

    private BatchObject view(BatchRecord record) {
        return record.view(clock.instant(), new BatchRecord.FileSink() {
            @Override
            public String store(String content, String filename, Instant createdAt) {
                return storeFileLocked(
                                record.scope,
                                filename,
                                FilePurpose.BATCH,
                                "application/jsonl",
                                content.getBytes(StandardCharsets.UTF_8),
                                createdAt)
                        .id;
            }

            @Override
            public void succeeded(String customId) {
                successes.merge(customId, 1, Integer::sum);
            }
        });
    }

    /**
     * Lets the scope's ended batches write their result files: they are written when a batch is
     * first seen ended, and a file listing must not depend on whether anyone looked at the batch.
     */
    private void materialize(String scope) {
        for (BatchRecord record : byScope.getOrDefault(scope, List.of())) {
            view(record);
        }
    }

    private void materializeAll() {
        for (BatchRecord record : batches.values()) {
            view(record);
        }
    }

    private StoredFile storeFileLocked(
            String scope, String filename, FilePurpose purpose, String contentType, byte[] content, Instant createdAt) {
        StoredFile file = new StoredFile(
                Ids.file(), scope, filename, purpose, contentType, content, createdAt.getEpochSecond(), fileSequence++);
        files.put(file.id, file);
        return file;
    }

    private static byte[] fingerprint(String filename, FilePurpose purpose, byte[] content) {
        return sha256(
                filename.getBytes(StandardCharsets.UTF_8),
                new byte[] {0},
                purpose.getValue().getBytes(StandardCharsets.UTF_8),
                new byte[] {0},
                content);
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder hex = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }
}
