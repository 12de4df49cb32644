package com.mka1.batches.sandbox;

import com.mka1.batches.models.FilePurpose;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Keeps a {@link SandboxState} in a {@link StateDir}: converts the state to a {@link StateSnapshot}
 * and back, and tells the directory which files' bytes to keep. Called under the state's lock.
 */
final class SandboxPersistence {
    private final StateDir dir;

    SandboxPersistence(StateDir dir) {
        this.dir = dir;
    }

    /**
     * Replaces {@code state} with the one saved in the directory, if any.
     *
     * @throws StateDir.StateDirException naming the path if the saved state cannot be used
     */
    void load(SandboxState state) {
        StateSnapshot saved = dir.load();
        if (saved != null) {
            try {
                restore(state, saved, dir::content);
            } catch (IllegalArgumentException e) {
                state.reset();
                throw dir.corrupt(e.getMessage(), e);
            }
        }
    }

    /**
     * Writes {@code state} to the directory if it changed, with the bytes of every file and of
     * every batch's input file (kept while the batch exists, even if the file is deleted).
     *
     * @throws java.io.UncheckedIOException naming the path if writing fails
     */
    void save(SandboxState state) {
        Set<String> needed = new HashSet<>(state.files.keySet());
        for (BatchRecord record : state.batches.values()) {
            if (record.hasInput()) {
                needed.add(record.inputFileId);
            }
        }
        dir.save(snapshot(state), needed, id -> {
            StoredFile file = state.files.get(id);
            return file == null ? null : file.contentUnsafe();
        });
    }

    private static StateSnapshot snapshot(SandboxState state) {
        StateSnapshot snapshot = new StateSnapshot();
        snapshot.fileSequence = state.fileSequence;
        List<StoredFile> stored = new ArrayList<>(state.files.values());
        stored.sort(Comparator.comparingLong(f -> f.sequence));
        for (StoredFile file : stored) {
            StateSnapshot.SavedFile saved = new StateSnapshot.SavedFile();
            saved.id = file.id;
            saved.scope = file.scope;
            saved.filename = file.filename;
            saved.purpose = file.purpose.getValue();
            saved.contentType = file.contentType;
            saved.createdAt = file.createdAt;
            saved.sequence = file.sequence;
            snapshot.files.add(saved);
        }
        for (List<BatchRecord> own : new TreeMap<>(state.byScope).values()) {
            for (BatchRecord record : own) {
                snapshot.batches.add(record.saved());
            }
        }
        for (Map.Entry<String, SandboxState.IdempotentUpload> entry : new TreeMap<>(state.uploads).entrySet()) {
            StateSnapshot.SavedUpload saved = new StateSnapshot.SavedUpload();
            saved.key = entry.getKey();
            saved.fingerprint = Base64.getEncoder().encodeToString(entry.getValue().fingerprint);
            saved.file = entry.getValue().file;
            snapshot.uploads.add(saved);
        }
        for (Map.Entry<String, SandboxState.IdempotentCreate> entry : new TreeMap<>(state.idempotency).entrySet()) {
            StateSnapshot.SavedCreate saved = new StateSnapshot.SavedCreate();
            saved.key = entry.getKey();
            saved.body = entry.getValue().body;
            saved.batchId = entry.getValue().batchId;
            snapshot.creates.add(saved);
        }
        snapshot.successes.putAll(state.successes);
        snapshot.expiredPartWay = state.expiredPartWay;
        snapshot.executions.putAll(new TreeMap<>(state.executions));
        return snapshot;
    }

    /**
     * Replaces the state with a saved one.
     *
     * @param content the bytes of a file, by id
     * @throws IllegalArgumentException naming the field if the snapshot lacks one or has a malformed one
     */
    private static void restore(SandboxState state, StateSnapshot snapshot, Function<String, byte[]> content) {
        state.reset();
        state.fileSequence = snapshot.fileSequence;
        for (StateSnapshot.SavedFile saved : StateSnapshot.list(snapshot.files)) {
            String id = StateSnapshot.required(saved.id, "a file's id");
            StoredFile file = new StoredFile(
                    id,
                    StateSnapshot.required(saved.scope, "file " + id + ": scope"),
                    StateSnapshot.required(saved.filename, "file " + id + ": filename"),
                    FilePurpose.fromValue(StateSnapshot.required(saved.purpose, "file " + id + ": purpose")),
                    StateSnapshot.required(saved.contentType, "file " + id + ": contentType"),
                    content.apply(id),
                    saved.createdAt,
                    saved.sequence);
            state.files.put(id, file);
            state.fileSequence = Math.max(state.fileSequence, file.sequence + 1);
        }
        for (StateSnapshot.SavedBatch saved : StateSnapshot.list(snapshot.batches)) {
            InputFile input;
            if (saved.inputErrors == null) {
                String inputFileId = StateSnapshot.required(saved.inputFileId, "batch " + saved.id + ": inputFileId");
                String endpoint = StateSnapshot.required(saved.endpoint, "batch " + saved.id + ": endpoint");
                StoredFile stored = state.files.get(inputFileId);
                byte[] bytes = stored != null ? stored.contentUnsafe() : content.apply(inputFileId);
                input = InputFile.parse(new String(bytes, StandardCharsets.UTF_8), endpoint);
            } else if (saved.inputErrors.isEmpty()) {
                throw new IllegalArgumentException("batch " + saved.id + ": inputErrors is empty");
            } else {
                input = InputFile.refused(saved.inputErrors);
            }
            BatchRecord record = BatchRecord.restored(saved, input);
            state.batches.put(record.id, record);
            state.byScope.computeIfAbsent(record.scope, s -> new ArrayList<>()).add(record);
        }
        for (StateSnapshot.SavedUpload saved : StateSnapshot.list(snapshot.uploads)) {
            String key = StateSnapshot.required(saved.key, "an upload's idempotency key");
            byte[] fingerprint;
            try {
                fingerprint = Base64.getDecoder()
                        .decode(StateSnapshot.required(saved.fingerprint, "upload " + key + ": fingerprint"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("upload " + key + ": fingerprint is not Base64", e);
            }
            state.uploads.put(
                    key,
                    new SandboxState.IdempotentUpload(
                            fingerprint, StateSnapshot.required(saved.file, "upload " + key + ": file")));
        }
        for (StateSnapshot.SavedCreate saved : StateSnapshot.list(snapshot.creates)) {
            String key = StateSnapshot.required(saved.key, "a create's idempotency key");
            String batchId = StateSnapshot.required(saved.batchId, "create " + key + ": batchId");
            if (!state.batches.containsKey(batchId)) {
                throw new IllegalArgumentException("create " + key + ": batch " + batchId + " is not in the state");
            }
            state.idempotency.put(
                    key,
                    new SandboxState.IdempotentCreate(
                            StateSnapshot.required(saved.body, "create " + key + ": body"), batchId));
        }
        if (snapshot.successes != null) {
            snapshot.successes.forEach((customId, count) -> {
                if (count == null || count < 1) {
                    throw new IllegalArgumentException(
                            "successes of " + customId + " is not a positive count: " + count);
                }
                state.successes.put(customId, count);
            });
        }
        if (snapshot.expiredPartWay < 0) {
            throw new IllegalArgumentException("expiredPartWay is negative: " + snapshot.expiredPartWay);
        }
        state.expiredPartWay = snapshot.expiredPartWay;
        if (snapshot.executions != null) {
            snapshot.executions.forEach((key, count) -> {
                if (count == null || count < 1) {
                    throw new IllegalArgumentException("executions of " + key + " is not a positive count: " + count);
                }
                state.executions.put(key, count);
            });
        }
    }
}
