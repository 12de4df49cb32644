package com.mka1.batches;

import com.mka1.batches.internal.Checks;
import com.mka1.batches.models.FilePurpose;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which page of files to list: the query of {@code GET /api/v1/llm/files}.
 *
 * <pre>{@code
 * Page<FileObject, ListFilesParams> page = files.list(ListFilesParams.builder()
 *         .purpose(FilePurpose.BATCH)
 *         .order(ListFilesParams.Order.ASC)
 *         .limit(100)
 *         .build());
 * }</pre>
 *
 * <p>Every field is optional: unset, the server's default applies ({@code limit} 10,000,
 * {@code order} newest first, every purpose). {@code after} is a file id: the page starts after
 * it. Immutable.
 */
public final class ListFilesParams {
    /** The smallest page size the API accepts. */
    public static final int MIN_LIMIT = 1;
    /** The largest page size the API accepts (and its default). */
    public static final int MAX_LIMIT = 10_000;

    /** The order of files by creation time. */
    public enum Order {
        /** Oldest first. */
        ASC,
        /** Newest first: the server's default. */
        DESC
    }

    private static final ListFilesParams NONE = builder().build();

    private final String after;
    private final Integer limit;
    private final Order order;
    private final FilePurpose purpose;

    private ListFilesParams(Builder b) {
        this.after = b.after;
        this.limit = b.limit;
        this.order = b.order;
        this.purpose = b.purpose;
    }

    /** @return params that set nothing: the first page of all files, as the server lists them by default */
    public static ListFilesParams none() {
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
        b.order = order;
        b.purpose = purpose;
        return b;
    }

    /** @return the file id the page starts after, or {@code null} for the first page */
    public @Nullable String after() {
        return after;
    }

    /** @return the page size, or {@code null} for the server's default */
    public @Nullable Integer limit() {
        return limit;
    }

    /** @return the order, or {@code null} for the server's default (newest first) */
    public @Nullable Order order() {
        return order;
    }

    /** @return the purpose files must have, or {@code null} for any */
    public @Nullable FilePurpose purpose() {
        return purpose;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ListFilesParams)) {
            return false;
        }
        ListFilesParams that = (ListFilesParams) o;
        return Objects.equals(after, that.after)
                && Objects.equals(limit, that.limit)
                && order == that.order
                && Objects.equals(purpose, that.purpose);
    }

    @Override
    public int hashCode() {
        return Objects.hash(after, limit, order, purpose);
    }

    @Override
    public String toString() {
        return "ListFilesParams{after=" + after + ", limit=" + limit + ", order=" + order + ", purpose=" + purpose
                + '}';
    }

    /** Builds {@link ListFilesParams}. */
    public static final class Builder {
        private String after;
        private Integer limit;
        private Order order;
        private FilePurpose purpose;

        private Builder() {}

        /**
         * @param after a file id; the page starts after it
         * @return this builder
         */
        public Builder after(String after) {
            this.after = Checks.notBlank(after, "after");
            return this;
        }

        /**
         * @param limit the page size, 1..10,000
         * @return this builder
         */
        public Builder limit(int limit) {
            this.limit = Checks.inRange(limit, MIN_LIMIT, MAX_LIMIT, "limit");
            return this;
        }

        /**
         * @param order oldest or newest first
         * @return this builder
         */
        public Builder order(Order order) {
            this.order = Objects.requireNonNull(order, "order == null");
            return this;
        }

        /**
         * @param purpose only files with this purpose
         * @return this builder
         */
        public Builder purpose(FilePurpose purpose) {
            this.purpose = Objects.requireNonNull(purpose, "purpose == null");
            return this;
        }

        /** @return the params */
        public ListFilesParams build() {
            return new ListFilesParams(this);
        }
    }
}
