package com.mka1.batches;

import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.ListBatchesResponse;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One page of batches from {@link AsyncBatchService#list}, with the means to fetch the next one
 * without blocking.
 *
 * <pre>{@code
 * // every batch from the first page on; one request per page, none blocking a thread
 * CompletableFuture<Void> done = batches.list(ListBatchesParams.builder().limit(100).build())
 *         .thenCompose(page -> page.forEachAsync(b -> System.out.println(b.getId())));
 * // or page by page
 * batches.list().thenCompose(page -> page.hasNextPage() ? page.nextPage() : CompletableFuture.completedFuture(page));
 * }</pre>
 *
 * <p>Immutable. Pages follow each other exactly as in {@link BatchPage}: {@code after} = this
 * page's {@code last_id} (or its last batch's id), the same {@code limit} and the same
 * {@link RequestOptions}.
 */
public final class AsyncBatchPage {
    private final AsyncBatchService service;
    private final ListBatchesParams params;
    private final RequestOptions options;
    private final ListBatchesResponse response;
    private final List<BatchObject> data;

    AsyncBatchPage(AsyncBatchService service, ListBatchesParams params, RequestOptions options,
                   ListBatchesResponse response) {
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
        return hasMore() && BatchPage.nextCursor(response) != null;
    }

    /**
     * Fetches the page after this one (one request).
     *
     * @return the next page
     * @throws NoSuchElementException if {@link #hasNextPage()} is false
     */
    public CompletableFuture<AsyncBatchPage> nextPage() {
        if (!hasNextPage()) {
            throw new NoSuchElementException("no page after this one (has_more is false)");
        }
        return service.list(params.toBuilder().after(BatchPage.nextCursor(response)).build(), options);
    }

    /**
     * Hands every batch from this page on to {@code action}, in order, fetching each following
     * page once the previous one has been handed over. Cancelling the returned future stops the
     * walk and cancels the request in flight.
     *
     * @param action called for each batch, on the thread that completed its page's request
     * @return completed when the last page has been handed over; failed with the first
     *     {@link com.mka1.batches.errors.Mka1Exception} (or exception thrown by {@code action})
     */
    public CompletableFuture<Void> forEachAsync(Consumer<? super BatchObject> action) {
        Objects.requireNonNull(action, "action == null");
        Walk walk = new Walk(action);
        walk.visit(this);
        return walk.done;
    }

    /** One {@link #forEachAsync} walk: the overall future and the page request in flight. */
    private static final class Walk {
        final Consumer<? super BatchObject> action;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final Futures.Steps requests = new Futures.Steps(done);

        Walk(Consumer<? super BatchObject> action) {
            this.action = action;
        }

        void visit(AsyncBatchPage page) {
            CompletableFuture<AsyncBatchPage> next;
            try {
                for (BatchObject batch : page.data) {
                    if (done.isDone()) {
                        return;
                    }
                    action.accept(batch);
                }
                if (!page.hasNextPage()) {
                    done.complete(null);
                    return;
                }
                next = page.nextPage();
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
                return;
            }
            requests.follow(next).whenComplete((nextPage, error) -> {
                if (error != null) {
                    done.completeExceptionally(Futures.unwrap(error));
                } else {
                    visit(nextPage);
                }
            });
        }
    }

    @Override
    public String toString() {
        return "AsyncBatchPage{size=" + data.size() + ", firstId=" + response.getFirstId() + ", lastId="
                + response.getLastId() + ", hasMore=" + hasMore() + '}';
    }
}
