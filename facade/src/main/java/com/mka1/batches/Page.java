package com.mka1.batches;

import com.google.gson.JsonElement;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.internal.BatchOperations;
import com.mka1.batches.internal.CallEngine;
import com.mka1.batches.internal.FileOperations;
import com.mka1.batches.internal.ServerIds;
import com.mka1.batches.internal.StepLoop;
import com.mka1.batches.internal.Steps;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.ListBatchesResponse;
import com.mka1.batches.models.ListFilesResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * One page of a list, with the means to fetch the pages after it: blocking
 * ({@link #nextPage()}, {@link #autoPager()}) or not
 * ({@link #nextPageAsync()}, {@link #forEachAsync}). Every list of the API pages this way:
 * {@code Page<BatchObject, ListBatchesParams>} from {@code batches().list}, {@code Page<FileObject,
 * ListFilesParams>} from {@code files().list}, in either mode.
 *
 * <pre>{@code
 * // every item, fetched page by page as the loop advances
 * for (BatchObject batch : batches.list().autoPager()) { ... }
 * // or by hand
 * Page<BatchObject, ListBatchesParams> page = batches.list();
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
 * @param <P> the type of the list's parameters ({@link ListBatchesParams}, {@link ListFilesParams})
 */
public final class Page<T, P> {
    private final Listing<T, P> listing;
    /** The parameters this page was fetched with. */
    private final P params;

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
     * @param params the parameters this page was fetched with
     * @param statusCode the status of the answer that carried this page
     * @param additionalProperties the page object's fields that the library does not declare
     */
    private Page(
            Listing<T, P> listing,
            P params,
            List<T> data,
            @Nullable Boolean hasMore,
            @Nullable String firstId,
            @Nullable String lastId,
            int statusCode,
            Map<String, JsonElement> additionalProperties) {
        this.listing = listing;
        this.params = params;
        this.data = Collections.unmodifiableList(new ArrayList<>(data));
        this.additionalProperties = copy(additionalProperties);
        this.hasMore = Boolean.TRUE.equals(hasMore);
        this.firstId = firstId;
        this.lastId = lastId;
        T last = data.isEmpty() ? null : data.get(data.size() - 1);
        this.nextCursor = lastId != null ? lastId : last == null ? null : listing.idOf.apply(last);
        this.after = listing.afterOf.apply(params);
        this.statusCode = statusCode;
    }

    /** The page of batches that {@code answer} carries, fetched with {@code params}; its next pages with {@code options}. */
    static Page<BatchObject, ListBatchesParams> ofBatches(
            CallEngine engine,
            RequestOptions options,
            ListBatchesParams params,
            RawResponse<ListBatchesResponse> answer) {
        Listing<BatchObject, ListBatchesParams> listing = new Listing<>(
                BatchObject::getId,
                ListBatchesParams::after,
                (p, after) -> p.toBuilder().after(after).build(),
                p -> ofBatches(engine, options, p, engine.execute(BatchOperations.list(p), options)),
                p -> Steps.map(
                        engine.executeAsync(BatchOperations.list(p), options),
                        raw -> ofBatches(engine, options, p, raw)));
        ListBatchesResponse page = answer.value();
        return new Page<>(
                listing,
                params,
                page.getData(),
                page.getHasMore(),
                page.getFirstId(),
                page.getLastId(),
                answer.statusCode(),
                page.getAdditionalProperties());
    }

    /** The page of files that {@code answer} carries, fetched with {@code params}; its next pages with {@code options}. */
    static Page<FileObject, ListFilesParams> ofFiles(
            CallEngine engine, RequestOptions options, ListFilesParams params, RawResponse<ListFilesResponse> answer) {
        Listing<FileObject, ListFilesParams> listing = new Listing<>(
                FileObject::getId,
                ListFilesParams::after,
                (p, after) -> p.toBuilder().after(after).build(),
                p -> ofFiles(engine, options, p, engine.execute(FileOperations.list(p), options)),
                p -> Steps.map(
                        engine.executeAsync(FileOperations.list(p), options), raw -> ofFiles(engine, options, p, raw)));
        ListFilesResponse page = answer.value();
        return new Page<>(
                listing,
                params,
                page.getData(),
                page.getHasMore(),
                page.getFirstId(),
                page.getLastId(),
                answer.statusCode(),
                page.getAdditionalProperties());
    }

    /** @return the items of this page, in the server's order; an unmodifiable copy */
    public List<T> data() {
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
    public Map<String, JsonElement> additionalProperties() {
        return copy(additionalProperties);
    }

    private static Map<String, JsonElement> copy(Map<String, JsonElement> fields) {
        Map<String, JsonElement> copy = new LinkedHashMap<>();
        fields.forEach((name, value) -> copy.put(name, value.deepCopy()));
        return Collections.unmodifiableMap(copy);
    }

    /** @return the server's {@code first_id}, or {@code null} */
    public @Nullable String firstId() {
        return firstId;
    }

    /** @return the server's {@code last_id}, or {@code null} */
    public @Nullable String lastId() {
        return lastId;
    }

    /**
     * @return whether a page follows this one: the server's {@code has_more}. {@link #nextPage()}
     *     then fetches it, or throws {@link InvalidResponseException} if this page gives no usable
     *     cursor to fetch it with
     */
    public boolean hasNextPage() {
        return hasMore;
    }

    /**
     * @return the parameters of the next page: this page's with {@code after} set to its cursor,
     *     to fetch it later with the service's {@code list}
     * @throws NoSuchElementException if {@link #hasNextPage()} is false
     * @throws InvalidResponseException if this page gives no cursor that leads on (see
     *     {@link #nextPage()})
     */
    public P nextPageParams() {
        return listing.withAfter.apply(params, nextCursor());
    }

    /**
     * Fetches the page after this one (one request, on the calling thread), with the same
     * parameters but {@code after} and the same {@link RequestOptions}.
     *
     * @return the next page
     * @throws NoSuchElementException if {@link #hasNextPage()} is false
     * @throws InvalidResponseException before any request, if this page says more follows but gives
     *     no cursor that leads on: no {@code last_id} and no items, a blank or otherwise unusable
     *     {@code last_id}, or the very cursor this page was fetched after (the pages would never end)
     */
    public Page<T, P> nextPage() {
        return listing.fetch.apply(nextPageParams());
    }

    /**
     * Fetches the page after this one without blocking.
     *
     * @return the next page; cancelling the future cancels the request
     * @throws NoSuchElementException if {@link #hasNextPage()} is false
     * @throws InvalidResponseException before any request, as for {@link #nextPage()}
     */
    public CompletableFuture<Page<T, P>> nextPageAsync() {
        return listing.fetchAsync.apply(nextPageParams());
    }

    /**
     * Every item from this page on, fetching each following page only when the iteration reaches
     * it; only one page is held at a time. Each new iteration starts again from this page.
     *
     * @return a lazy iterable
     */
    public AutoPager<T> autoPager() {
        return new AutoPager<>(this);
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
    public CompletableFuture<@Nullable Void> forEachAsync(Consumer<? super T> action) {
        Objects.requireNonNull(action, "action == null");
        return new Walk<>(this, action).start();
    }

    /** The asynchronous walk: each step a page (this one, then each next), handed over in full before the next is fetched. */
    private static final class Walk<T, P> extends StepLoop<Page<T, P>, @Nullable Void> {
        private final Page<T, P> first;
        private final Consumer<? super T> action;
        /** The page last handed over, or {@code null} before the first. */
        private @Nullable Page<T, P> handed;

        Walk(Page<T, P> first, Consumer<? super T> action) {
            this.first = first;
            this.action = action;
        }

        @Override
        protected CompletableFuture<? extends Page<T, P>> step() {
            return handed == null ? CompletableFuture.completedFuture(first) : handed.nextPageAsync();
        }

        @Override
        protected @Nullable CompletableFuture<?> after(@Nullable Page<T, P> page, @Nullable Throwable error) {
            if (error != null) {
                fail(Steps.unwrap(error));
                return null;
            }
            for (T item : page.data) {
                if (result().isDone()) {
                    return null;
                }
                action.accept(item);
            }
            if (!page.hasNextPage()) {
                succeed(null);
                return null;
            }
            handed = page;
            return CompletableFuture.completedFuture(null); // no wait between pages
        }
    }

    /**
     * @return the {@code after} of the next page
     * @throws NoSuchElementException if there is none
     * @throws InvalidResponseException if this page gives no cursor that leads on
     */
    private String nextCursor() {
        if (!hasNextPage()) {
            throw new NoSuchElementException("no page after this one (has_more is " + hasMore + ")");
        }
        return ServerIds.nextCursor(nextCursor, lastId != null ? "last_id" : "last item's id", after, statusCode);
    }

    @Override
    public String toString() {
        return "Page{size=" + data.size() + ", firstId=" + firstId + ", lastId=" + lastId + ", hasMore=" + hasMore
                + '}';
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
        private final Page<T, ?> first;

        AutoPager(Page<T, ?> first) {
            this.first = first;
        }

        @Override
        public Iterator<T> iterator() {
            return new Iterator<T>() {
                private Page<T, ?> page = first;
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
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false);
        }
    }

    /** What the pages of one list differ in: how an item names itself, and how the next page is asked for. */
    private static final class Listing<T, P> {
        final Function<T, String> idOf;
        final Function<P, @Nullable String> afterOf;
        final BiFunction<P, String, P> withAfter;
        final Function<P, Page<T, P>> fetch;
        final Function<P, CompletableFuture<Page<T, P>>> fetchAsync;

        Listing(
                Function<T, String> idOf,
                Function<P, @Nullable String> afterOf,
                BiFunction<P, String, P> withAfter,
                Function<P, Page<T, P>> fetch,
                Function<P, CompletableFuture<Page<T, P>>> fetchAsync) {
            this.idOf = idOf;
            this.afterOf = afterOf;
            this.withAfter = withAfter;
            this.fetch = fetch;
            this.fetchAsync = fetchAsync;
        }
    }
}
