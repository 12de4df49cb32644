package com.mka1.batches;

import com.mka1.batches.internal.Checks;
import com.mka1.batches.models.BatchEndpoint;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to run as a batch: the body of {@code POST /api/v1/llm/batches}.
 *
 * <pre>{@code
 * CreateBatchParams params = CreateBatchParams.builder()
 *         .inputFileId("file_abc123")
 *         .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
 *         .putMetadata("description", "evaluation job")
 *         .build();
 * }</pre>
 *
 * <p>{@code inputFileId} and {@code endpoint} are required; {@code completionWindow} defaults to
 * {@code "24h"}; metadata is optional. An endpoint newer than {@link BatchEndpoint} can be sent
 * with {@link Builder#endpoint(String)}. Immutable.
 */
public final class CreateBatchParams {
    /** The completion window used when none is set. */
    public static final String DEFAULT_COMPLETION_WINDOW = "24h";

    private final String inputFileId;
    private final String endpoint;
    private final String completionWindow;
    private final Map<String, String> metadata;

    private CreateBatchParams(Builder b) {
        this.inputFileId = b.inputFileId;
        this.endpoint = b.endpoint;
        this.completionWindow = b.completionWindow;
        this.metadata = b.metadata == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these params */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.inputFileId = inputFileId;
        b.endpoint = endpoint;
        b.completionWindow = completionWindow;
        b.metadata = metadata == null ? null : new LinkedHashMap<>(metadata);
        return b;
    }

    /** @return the id of the uploaded JSONL input file */
    public String inputFileId() {
        return inputFileId;
    }

    /** @return the endpoint as sent on the wire, e.g. {@code /v1/chat/completions} */
    public String endpoint() {
        return endpoint;
    }

    /** @return the completion window, {@code "24h"} unless set */
    public String completionWindow() {
        return completionWindow;
    }

    /** @return the metadata, unmodifiable, or {@code null} when none was set */
    public @Nullable Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CreateBatchParams)) {
            return false;
        }
        CreateBatchParams that = (CreateBatchParams) o;
        return inputFileId.equals(that.inputFileId)
                && endpoint.equals(that.endpoint)
                && completionWindow.equals(that.completionWindow)
                && Objects.equals(metadata, that.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputFileId, endpoint, completionWindow, metadata);
    }

    @Override
    public String toString() {
        return "CreateBatchParams{inputFileId=" + inputFileId + ", endpoint=" + endpoint + ", completionWindow="
                + completionWindow + ", metadata=" + metadata + '}';
    }

    /** Builds {@link CreateBatchParams}. */
    public static final class Builder {
        private String inputFileId;
        private String endpoint;
        private String completionWindow = DEFAULT_COMPLETION_WINDOW;
        private Map<String, String> metadata;

        private Builder() {}

        /**
         * @param inputFileId the id of an uploaded JSONL file (purpose {@code batch}); required
         * @return this builder
         */
        public Builder inputFileId(String inputFileId) {
            this.inputFileId = Checks.notBlank(inputFileId, "inputFileId");
            return this;
        }

        /**
         * @param endpoint the endpoint every request of the batch goes to (a constant, or
         *     {@code BatchEndpoint.of("/v1/responses")} for one newer than the library); required
         * @return this builder
         */
        public Builder endpoint(BatchEndpoint endpoint) {
            this.endpoint = Checks.endpoint(endpoint);
            return this;
        }

        /**
         * Sets the endpoint as it goes on the wire; use this for an endpoint newer than
         * {@link BatchEndpoint}.
         *
         * @param endpoint a path such as {@code /v1/chat/completions}
         * @return this builder
         */
        public Builder endpoint(String endpoint) {
            this.endpoint = Checks.endpoint(endpoint);
            return this;
        }

        /**
         * @param completionWindow the time frame for processing; the API documents {@code "24h"}
         * @return this builder
         */
        public Builder completionWindow(String completionWindow) {
            this.completionWindow = Checks.notBlank(completionWindow, "completionWindow");
            return this;
        }

        /**
         * Replaces all metadata.
         *
         * @param metadata string keys to string values (copied); no null keys or values
         * @return this builder
         */
        public Builder metadata(Map<String, String> metadata) {
            this.metadata = Checks.metadata(metadata);
            return this;
        }

        /**
         * Adds one metadata entry.
         *
         * @param key a non-null key
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
         * @return the params
         * @throws IllegalStateException naming the first required field not set
         */
        public CreateBatchParams build() {
            if (inputFileId == null) {
                throw new IllegalStateException("inputFileId is required but was not set");
            }
            if (endpoint == null) {
                throw new IllegalStateException("endpoint is required but was not set");
            }
            return new CreateBatchParams(this);
        }
    }
}
