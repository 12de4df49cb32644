package com.mka1.batches;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

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
 * {@code hasNext()}.
 *
 * @param <T> the item type
 */
public final class AutoPager<T> implements Iterable<T> {
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
