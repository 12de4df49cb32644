package com.mka1.batches;

import com.mka1.batches.internal.Checks;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which page of batches to list: the query of {@code GET /api/v1/llm/batches}.
 *
 * <pre>{@code
 * Page<BatchObject, ListBatchesParams> page = batches.list(ListBatchesParams.builder().limit(100).build());
 * }</pre>
 *
 * <p>{@code limit} is 1..100; unset, the server's default (20) applies. {@code after} is a batch
 * id: the page starts after it. Immutable.
 */
public final class ListBatchesParams {
    /** The smallest page size the API accepts. */
    public static final int MIN_LIMIT = 1;
    /** The largest page size the API accepts. */
    public static final int MAX_LIMIT = 100;

    private static final ListBatchesParams NONE = builder().build();

    private final String after;
    private final Integer limit;

    private ListBatchesParams(Builder b) {
        this.after = b.after;
        this.limit = b.limit;
    }

    /** @return params that set nothing: the first page in the server's default size */
    public static ListBatchesParams none() {
        return NONE;
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these params */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.after = after;
        b.limit = limit;
        return b;
    }

    /** @return the batch id the page starts after, or {@code null} for the first page */
    public @Nullable String after() {
        return after;
    }

    /** @return the page size, or {@code null} for the server's default */
    public @Nullable Integer limit() {
        return limit;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ListBatchesParams)) {
            return false;
        }
        ListBatchesParams that = (ListBatchesParams) o;
        return Objects.equals(after, that.after) && Objects.equals(limit, that.limit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(after, limit);
    }

    @Override
    public String toString() {
        return "ListBatchesParams{after=" + after + ", limit=" + limit + '}';
    }

    /** Builds {@link ListBatchesParams}. */
    public static final class Builder {
        private String after;
        private Integer limit;

        private Builder() {}

        /**
         * @param after a batch id; the page starts after it
         * @return this builder
         */
        public Builder after(String after) {
            this.after = Checks.notBlank(after, "after");
            return this;
        }

        /**
         * @param limit the page size, 1..100
         * @return this builder
         */
        public Builder limit(int limit) {
            this.limit = Checks.inRange(limit, MIN_LIMIT, MAX_LIMIT, "limit");
            return this;
        }

        /** @return the params */
        public ListBatchesParams build() {
            return new ListBatchesParams(this);
        }
    }
}
