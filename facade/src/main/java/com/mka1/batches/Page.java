package com.mka1.batches;

import com.google.gson.JsonElement;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.internal.ServerIds;
import com.mka1.batches.internal.Steps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * One page of a list, with the means to fetch the pages after it: blocking
 * ({@link #nextPage()}, {@link #autoPager()}, {@link #stream()}) or not
 * ({@link #nextPageAsync()}, {@link #forEachAsync}). Every list of the API pages this way;
 * {@link BatchPage} is the page of batches.
 *
 * <pre>{@code
 * // every item, fetched page by page as the loop advances
 * for (BatchObject batch : batches.list().autoPager()) { ... }
 * // or by hand
 * BatchPage page = batches.list();
 * while (true) {
 *     page.data().forEach(this::handle);
 *     if (!page.hasNextPage()) break;
 *     page = page.nextPage();
 * }
 * // or without blocking a thread
 * batches.list().forEachAsync(this::handle).join();
 * }</pre>
 *
 * <p>Immutable: the data is copied from the response, which is never handed out. The next page
 * is requested with {@code after} = this page's {@code last_id} (or, if the server sent none,
 * the id of its last item), the same page size and the same {@link RequestOptions}. The server's
 * cursor is checked first: a page that says more follows but whose cursor is missing, unusable
 * or the one it was itself fetched after is an {@link InvalidResponseException} at that page.
 *
 * @param <T> the item type
 */
public abstract class Page<T> {
    private final List<T> data;
    private final boolean hasMore;
    private final @Nullable String firstId;
    private final @Nullable String lastId;
    private final @Nullable String nextCursor;
    /** The {@code after} this page was fetched with, or {@code null}: the next cursor must move on from it. */
    private final @Nullable String after;
    private final int statusCode;
    private final Map<String, JsonElement> additionalProperties;

    /**
     * @param after the {@code after} this page was fetched with, or {@code null}
     * @param statusCode the status of the answer that carried this page
     * @param additionalProperties the page object's fields that the library does not declare
     */
    Page(List<T> data, @Nullable Boolean hasMore, @Nullable String firstId, @Nullable String lastId,
         Function<T, String> idOf, @Nullable String after, int statusCode,
         Map<String, JsonElement> additionalProperties) {
        this.data = Collections.unmodifiableList(new ArrayList<>(data));
        this.additionalProperties = copy(additionalProperties);
        this.hasMore = Boolean.TRUE.equals(hasMore);
        this.firstId = firstId;
        this.lastId = lastId;
        T last = data.isEmpty() ? null : data.get(data.size() - 1);
        this.nextCursor = lastId != null ? lastId : last == null ? null : idOf.apply(last);
        this.after = after;
        this.statusCode = statusCode;
    }

    /** @return the items of this page, in the server's order; an unmodifiable copy */
    public final List<T> data() {
        return data;
    }

    /**
     * The fields of the page object (beside {@code data}, {@code has_more}, {@code first_id} and
     * {@code last_id}) that this version of the library does not know, exactly as the server sent
     * them; each item keeps its own in {@code getAdditionalProperties()}.
     *
     * @return the undeclared fields by name, in the order sent; an unmodifiable copy, empty when
     *     there are none
     */
    public final Map<String, JsonElement> additionalProperties() {
        return copy(additionalProperties);
    }

    private static Map<String, JsonElement> copy(Map<String, JsonElement> fields) {
        Map<String, JsonElement> copy = new LinkedHashMap<>();
        fields.forEach((name, value) -> copy.put(name, value.deepCopy()));
        return Collections.unmodifiableMap(copy);
    }

    /** @return the server's {@code has_more}: whether items follow this page */
    public final boolean hasMore() {
        return hasMore;
    }

    /** @return the server's {@code first_id}, or {@code null} */
    public final @Nullable String firstId() {
        return firstId;
    }

    /** @return the server's {@code last_id}, or {@code null} */
    public final @Nullable String lastId() {
        return lastId;
    }

    /**
     * @return whether a page follows this one: the server's {@code has_more}. {@link #nextPage()}
     *     then fetches it, or throws {@link InvalidResponseException} if this page gives no usable
     *     cursor to fetch it with
     */
    public final boolean hasNextPage() {
        return hasMore;
    }

    /**
     * Fetches the page after this one (one request, on the calling thread).
     *
     * @return the next page
     * @throws NoSuchElementException if {@link #hasNextPage()} is false
     * @throws InvalidResponseException before any request, if this page says more follows but gives
     *     no cursor that leads on: no {@code last_id} and no items, a blank or otherwise unusable
     *     {@code last_id}, or the very cursor this page was fetched after (the pages would never end)
     */
    public abstract Page<T> nextPage();

    /**
     * Fetches the page after this one without blocking.
     *
     * @return the next page; cancelling the future cancels the request
     * @throws NoSuchElementException if {@link #hasNextPage()} is false
     * @throws InvalidResponseException before any request, as for {@link #nextPage()}
     */
    public abstract CompletableFuture<? extends Page<T>> nextPageAsync();

    /**
     * Every item from this page on, fetching each following page only when the iteration reaches
     * it; only one page is held at a time. Each new iteration starts again from this page.
     *
     * @return a lazy iterable
     */
    public final AutoPager<T> autoPager() {
        return new AutoPager<>(this);
    }

    /** @return every item from this page on, as a sequential, lazy stream (see {@link #autoPager()}) */
    public final Stream<T> stream() {
        return autoPager().stream();
    }

    /**
     * Hands every item from this page on to {@code action}, in order, fetching each following
     * page once the previous one has been handed over, without blocking a thread. Cancelling the
     * returned future stops the walk and cancels the request in flight.
     *
     * @param action called for each item, on the thread that completed its page's request
     * @return completed when the last page has been handed over; failed with the first
     *     {@link com.mka1.batches.errors.Mka1Exception} (or exception thrown by {@code action}),
     *     such as the {@link InvalidResponseException} of a page that gives no cursor that leads on
     */
    public final CompletableFuture<@Nullable Void> forEachAsync(Consumer<? super T> action) {
        Objects.requireNonNull(action, "action == null");
        CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
        visit(this, action, new Steps(done), done);
        return done;
    }

    // whenComplete registers a listener; the stage it returns is dropped on purpose: nothing
    // waits on the listener, which has no result to give.
    @SuppressWarnings("FutureReturnValueIgnored")
    private static <T> void visit(Page<T> page, Consumer<? super T> action, Steps steps, CompletableFuture<@Nullable Void> done) {
        CompletableFuture<? extends Page<T>> next;
        try {
            for (T item : page.data) {
                if (done.isDone()) {
                    return;
                }
                action.accept(item);
            }
            if (!page.hasNextPage()) {
                done.complete(null);
                return;
            }
            next = page.nextPageAsync();
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            return;
        }
        steps.follow(next).whenComplete((nextPage, error) -> {
            if (error != null) {
                done.completeExceptionally(Steps.unwrap(error));
            } else {
                visit(nextPage, action, steps, done);
            }
        });
    }

    /**
     * @return the {@code after} of the next page
     * @throws NoSuchElementException if there is none
     * @throws InvalidResponseException if this page gives no cursor that leads on
     */
    final String nextCursor() {
        if (!hasNextPage()) {
            throw new NoSuchElementException("no page after this one (has_more is " + hasMore + ")");
        }
        return ServerIds.nextCursor(nextCursor, lastId != null ? "last_id" : "last item's id", after, statusCode);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{size=" + data.size() + ", firstId=" + firstId + ", lastId=" + lastId
                + ", hasMore=" + hasMore + '}';
    }

    /**
     * Every item from a first page on, fetched lazily page by page as iteration advances, driven by
     * {@code has_more}. Holds one page at a time, so walking any number of items needs the memory of
     * one page.
     *
     * <pre>{@code
     * batches.list().autoPager().stream()
     *         .filter(b -> b.getStatus() == BatchStatus.FAILED)
     *         .limit(10)
     *         .forEach(b -> System.out.println(b.getId()));
     * }</pre>
     *
     * <p>Reading only the first few items makes no request beyond the first page. A request that
     * fails while iterating throws its {@link com.mka1.batches.errors.Mka1Exception} from
     * {@code hasNext()}; so does a page that says more follows but gives no cursor that leads on
     * ({@link InvalidResponseException}, see {@link Page#nextPage()}): the walk ends there instead
     * of fetching the same page forever.
     *
     * @param <T> the item type
     */
    public static final class AutoPager<T> implements Iterable<T> {
        private final Page<T> first;

        AutoPager(Page<T> first) {
            this.first = first;
        }

        @Override
        public Iterator<T> iterator() {
            return new Iterator<T>() {
                private Page<T> page = first;
                private int index;

                @Override
                public boolean hasNext() {
                    while (index >= page.data().size()) {
                        if (!page.hasNextPage()) {
                            return false;
                        }
                        page = page.nextPage();
                        index = 0;
                    }
                    return true;
                }

                @Override
                public T next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return page.data().get(index++);
                }
            };
        }

        /** @return the items as a sequential, lazy stream */
        public Stream<T> stream() {
            return StreamSupport.stream(
                    Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false);
        }
    }
}
