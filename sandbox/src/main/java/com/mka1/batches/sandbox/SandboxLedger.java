package com.mka1.batches.sandbox;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.mka1.batches.models.BatchStatus;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a sandbox did, as the server saw it, for a test to check a client against: every batch
 * created (under any API key or user) and, per {@code custom_id}, how many times a request was
 * executed successfully, that is answered {@code 200} in a batch's output file. An immutable
 * snapshot taken by {@link Mka1Sandbox#ledger()}; {@link Mka1Sandbox#reset()} empties the ledger.
 *
 * <pre>{@code
 * SandboxLedger ledger = sandbox.ledger();
 * assertThat(ledger.batches()).hasSize(2);
 * assertThat(ledger.successfulExecutions().values()).allMatch(count -> count == 1);   // exactly once
 * }</pre>
 *
 * <p>A batch's result lines are written, and counted here, when the batch has ended; the snapshot
 * sees every batch that has ended by the sandbox clock's {@code now}, whether or not a client
 * looked at it. Counts are per {@code custom_id} across every batch, API key and user. Over HTTP,
 * for a sandbox in another process (the runnable jar), {@code GET /sandbox/ledger} with any
 * accepted API key answers the same as JSON: {@code {"batches":[{"id", "input_file_id",
 * "endpoint", "metadata", "status", "error_codes", "completed", "failed"}],
 * "successful_executions":{"<custom_id>": n}}}.
 */
public final class SandboxLedger {
    private final List<Batch> batches;
    private final Map<String, Integer> successes;

    SandboxLedger(List<Batch> batches, Map<String, Integer> successes) {
        this.batches = List.copyOf(batches);
        this.successes = Collections.unmodifiableMap(new LinkedHashMap<>(successes));
    }

    /**
     * Every batch created since the sandbox started or was reset, refused and failed ones included.
     *
     * @return an unmodifiable list, oldest first
     */
    public List<Batch> batches() {
        return batches;
    }

    /**
     * Per {@code custom_id}, how many times it was answered {@code 200} in an output file; an id
     * never answered so is absent.
     *
     * @return an unmodifiable map, in the order each id first succeeded
     */
    public Map<String, Integer> successfulExecutions() {
        return successes;
    }

    /**
     * How many times one request was answered {@code 200} in an output file.
     *
     * @param customId the request's {@code custom_id}
     * @return zero or more
     * @throws NullPointerException if {@code customId} is null
     */
    public int successfulExecutions(String customId) {
        Objects.requireNonNull(customId, "customId == null");
        return successes.getOrDefault(customId, 0);
    }

    /**
     * The ledger as JSON, as {@code GET /sandbox/ledger} answers it: {@code {"batches":[{"id",
     * "input_file_id", "endpoint", "metadata", "status", "error_codes", "completed", "failed"}],
     * "successful_executions":{custom_id: count}}}.
     */
    String toJson() {
        JsonArray list = new JsonArray();
        for (Batch batch : batches) {
            JsonObject each = new JsonObject();
            each.addProperty("id", batch.id);
            each.addProperty("input_file_id", batch.inputFileId);
            each.addProperty("endpoint", batch.endpoint);
            each.add("metadata", Json.GSON.toJsonTree(batch.metadata));
            each.addProperty("status", batch.status.getValue());
            each.add("error_codes", Json.GSON.toJsonTree(batch.errorCodes));
            each.addProperty("completed", batch.completed);
            each.addProperty("failed", batch.failed);
            list.add(each);
        }
        JsonObject ledger = new JsonObject();
        ledger.add("batches", list);
        ledger.add("successful_executions", Json.GSON.toJsonTree(successes));
        return Json.GSON.toJson(ledger);
    }

    @Override
    public String toString() {
        return "SandboxLedger[" + batches.size() + " batches, " + successes.size() + " requests succeeded]";
    }

    /** One batch as the sandbox holds it, at the snapshot's time. Immutable. */
    public static final class Batch {
        private final String id;
        private final String inputFileId;
        private final String endpoint;
        private final Map<String, String> metadata;
        private final BatchStatus status;
        private final List<String> errorCodes;
        private final long completed;
        private final long failed;

        Batch(
                String id,
                String inputFileId,
                String endpoint,
                Map<String, String> metadata,
                BatchStatus status,
                List<String> errorCodes,
                long completed,
                long failed) {
            this.id = id;
            this.inputFileId = inputFileId;
            this.endpoint = endpoint;
            this.metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            this.status = status;
            this.errorCodes = List.copyOf(errorCodes);
            this.completed = completed;
            this.failed = failed;
        }

        /** @return the batch id */
        public String id() {
            return id;
        }

        /** @return the {@code input_file_id} it was created with */
        public String inputFileId() {
            return inputFileId;
        }

        /** @return the {@code endpoint} it was created with */
        public String endpoint() {
            return endpoint;
        }

        /** @return the {@code metadata} it was created with; empty if it had none */
        public Map<String, String> metadata() {
            return metadata;
        }

        /** @return its status at the snapshot's time */
        public BatchStatus status() {
            return status;
        }

        /**
         * The codes of its {@code errors}, e.g. {@code token_limit_exceeded} for a batch refused
         * because its API key's queue was full.
         *
         * @return an unmodifiable list; empty unless the batch failed
         */
        public List<String> errorCodes() {
            return errorCodes;
        }

        /** @return {@code request_counts.completed} at the snapshot's time */
        public long completed() {
            return completed;
        }

        /** @return {@code request_counts.failed} at the snapshot's time */
        public long failed() {
            return failed;
        }

        @Override
        public String toString() {
            return "Batch[" + id + " " + status + " input " + inputFileId + " metadata " + metadata
                    + (errorCodes.isEmpty() ? "" : " errors " + errorCodes) + "]";
        }
    }
}
