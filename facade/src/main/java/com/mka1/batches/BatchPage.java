package com.mka1.batches;

import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.ListBatchesResponse;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * One page of batches, newest first, with the means to fetch the next one.
 *
 * <pre>{@code
 * // every batch, fetched page by page as the loop advances
 * for (BatchObject batch : batches.list(ListBatchesParams.builder().limit(100).build()).autoPager()) {
 *     ...
 * }
 * // or by hand
 * BatchPage page = batches.list();
 * while (true) {
 *     page.data().forEach(this::handle);
 *     if (!page.hasNextPage()) break;
 *     page = page.nextPage();
 * }
 * }</pre>
 *
 * <p>Immutable. The next page is requested with {@code after} = this page's {@code last_id} (or,
 * if the server sent none, the id of its last batch), the same {@code limit} and the same
 * {@link RequestOptions}.
 */
public final class BatchPage {
    private final BatchService service;
    private final ListBatchesParams params;
    private final RequestOptions options;
    private final ListBatchesResponse response;
    private final List<BatchObject> data;

    BatchPage(BatchService service, ListBatchesParams params, RequestOptions options, ListBatchesResponse response) {
        this.service = service;
        this.params = params;
        this.options = options;
        this.response = response;
        this.data = Collections.unmodifiableList(response.getData());
    }

    /** @return the batches of this page, unmodifiable */
    public List<BatchObject> data() {
        return data;
    }

    /** @return the server's {@code has_more}: whether batches follow this page */
    public boolean hasMore() {
        return Boolean.TRUE.equals(response.getHasMore());
    }

    /** @return the server's {@code first_id}, or {@code null} */
    public String firstId() {
        return response.getFirstId();
    }

    /** @return the server's {@code last_id}, or {@code null} */
    public String lastId() {
        return response.getLastId();
    }

    /** @return the page as the server sent it */
    public ListBatchesResponse response() {
        return response;
    }

    /** @return whether {@link #nextPage()} can fetch another page */
    public boolean hasNextPage() {
        return hasMore() && nextCursor() != null;
    }

    /**
     * Fetches the page after this one (one request).
     *
     * @return the next page
     * @throws NoSuchElementException if {@link #hasNextPage()} is false
     */
    public BatchPage nextPage() {
        String cursor = nextCursor();
        if (!hasMore() || cursor == null) {
            throw new NoSuchElementException("no page after this one (has_more is false)");
        }
        return service.list(params.toBuilder().after(cursor).build(), options);
    }

    /**
     * Every batch from this page on, fetching each following page only when the iteration
     * reaches it; only one page is held at a time. Walking N pages makes N - 1 requests after
     * this page; each new iteration starts again from this page.
     *
     * @return a lazy iterable, with {@link AutoPager#stream()}
     */
    public AutoPager autoPager() {
        return new AutoPager(this);
    }

    private String nextCursor() {
        return nextCursor(response);
    }

    /** The {@code after} of the page following {@code response}: its {@code last_id}, else its last batch's id. */
    static String nextCursor(ListBatchesResponse response) {
        if (response.getLastId() != null) {
            return response.getLastId();
        }
        List<BatchObject> data = response.getData();
        return data.isEmpty() ? null : data.get(data.size() - 1).getId();
    }

    @Override
    public String toString() {
        return "BatchPage{size=" + data.size() + ", firstId=" + firstId() + ", lastId=" + lastId()
                + ", hasMore=" + hasMore() + '}';
    }
}
