package com.mka1.batches;

import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.ListBatchesResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The two ways of calling the API, so that a scenario existing in both is written once:
 * {@code @ParameterizedTest @EnumSource(Mode.class)}, then {@code mode.batches(client)} and the
 * same assertions. In {@link #ASYNC} each operation waits for its future (bounded) and rethrows
 * what failed it, unwrapped from {@link ExecutionException}/{@link CompletionException}, so an
 * {@code assertThatThrownBy(..).isInstanceOf(NotFoundException.class)} means the same in both.
 */
enum Mode {
    /** {@code client.llm().batches()}, blocking on the test's thread; paging with {@code autoPager()}. */
    SYNC {
        @Override
        Batches batches(Mka1Client client) {
            BatchService s = client.llm().batches();
            return new Batches() {
                @Override
                public BatchObject create(CreateBatchParams params, RequestOptions options) {
                    return s.create(params, options);
                }

                @Override
                public BatchObject get(String id, RequestOptions options) {
                    return s.get(id, options);
                }

                @Override
                public BatchObject cancel(String id, RequestOptions options) {
                    return s.cancel(id, options);
                }

                @Override
                public BatchPage list(ListBatchesParams params, RequestOptions options) {
                    return s.list(params, options);
                }

                @Override
                public BatchObject waitForCompletion(String id, WaitOptions options) {
                    return s.waitForCompletion(id, options);
                }

                @Override
                public BatchObject create(CreateBatchParams params) {
                    return s.create(params);
                }

                @Override
                public BatchObject get(String id) {
                    return s.get(id);
                }

                @Override
                public BatchObject cancel(String id) {
                    return s.cancel(id);
                }

                @Override
                public BatchPage list() {
                    return s.list();
                }

                @Override
                public BatchPage list(ListBatchesParams params) {
                    return s.list(params);
                }

                @Override
                public BatchObject waitForCompletion(String id) {
                    return s.waitForCompletion(id);
                }

                @Override
                public RawResponse<BatchObject> rawGet(String id) {
                    return s.withRawResponse().get(id);
                }

                @Override
                public RawResponse<BatchObject> rawCreate(CreateBatchParams params, RequestOptions options) {
                    return s.withRawResponse().create(params, options);
                }

                @Override
                public RawResponse<BatchObject> rawGet(String id, RequestOptions options) {
                    return s.withRawResponse().get(id, options);
                }

                @Override
                public RawResponse<BatchObject> rawCancel(String id, RequestOptions options) {
                    return s.withRawResponse().cancel(id, options);
                }

                @Override
                public RawResponse<ListBatchesResponse> rawList(ListBatchesParams params, RequestOptions options) {
                    return s.withRawResponse().list(params, options);
                }
            };
        }

        @Override
        <T> List<T> walk(Page<T> page) {
            List<T> all = new ArrayList<>();
            page.autoPager().forEach(all::add);
            return all;
        }

        @Override
        BatchPage nextPage(BatchPage page) {
            return page.nextPage();
        }
    },

    /** {@code client.async().llm().batches()}, each future awaited; paging with {@code forEachAsync}. */
    ASYNC {
        @Override
        Batches batches(Mka1Client client) {
            AsyncBatchService s = client.async().llm().batches();
            return new Batches() {
                @Override
                public BatchObject create(CreateBatchParams params, RequestOptions options) {
                    return await(s.create(params, options));
                }

                @Override
                public BatchObject get(String id, RequestOptions options) {
                    return await(s.get(id, options));
                }

                @Override
                public BatchObject cancel(String id, RequestOptions options) {
                    return await(s.cancel(id, options));
                }

                @Override
                public BatchPage list(ListBatchesParams params, RequestOptions options) {
                    return await(s.list(params, options));
                }

                @Override
                public BatchObject waitForCompletion(String id, WaitOptions options) {
                    return await(s.waitForCompletion(id, options));
                }

                @Override
                public BatchObject create(CreateBatchParams params) {
                    return await(s.create(params));
                }

                @Override
                public BatchObject get(String id) {
                    return await(s.get(id));
                }

                @Override
                public BatchObject cancel(String id) {
                    return await(s.cancel(id));
                }

                @Override
                public BatchPage list() {
                    return await(s.list());
                }

                @Override
                public BatchPage list(ListBatchesParams params) {
                    return await(s.list(params));
                }

                @Override
                public BatchObject waitForCompletion(String id) {
                    return await(s.waitForCompletion(id));
                }

                @Override
                public RawResponse<BatchObject> rawGet(String id) {
                    return await(s.withRawResponse().get(id));
                }

                @Override
                public RawResponse<BatchObject> rawCreate(CreateBatchParams params, RequestOptions options) {
                    return await(s.withRawResponse().create(params, options));
                }

                @Override
                public RawResponse<BatchObject> rawGet(String id, RequestOptions options) {
                    return await(s.withRawResponse().get(id, options));
                }

                @Override
                public RawResponse<BatchObject> rawCancel(String id, RequestOptions options) {
                    return await(s.withRawResponse().cancel(id, options));
                }

                @Override
                public RawResponse<ListBatchesResponse> rawList(ListBatchesParams params, RequestOptions options) {
                    return await(s.withRawResponse().list(params, options));
                }
            };
        }

        @Override
        <T> List<T> walk(Page<T> page) {
            List<T> all = new java.util.concurrent.CopyOnWriteArrayList<>();
            await(page.forEachAsync(all::add));
            return new ArrayList<>(all);
        }

        @Override
        BatchPage nextPage(BatchPage page) {
            return await(page.nextPageAsync());
        }
    };

    /** The longest any awaited future may take: far beyond any test's need, short of a hang. */
    static final long AWAIT_SECONDS = 10;

    /** @return the batch operations of {@code client} in this mode */
    abstract Batches batches(Mka1Client client);

    /** @return every item from {@code page} on: {@code autoPager()} (SYNC) or {@code forEachAsync} (ASYNC) */
    abstract <T> List<T> walk(Page<T> page);

    /** @return the page after {@code page}: {@code nextPage()} (SYNC) or {@code nextPageAsync()} (ASYNC) */
    abstract BatchPage nextPage(BatchPage page);

    /**
     * Waits for {@code future} and returns its value, or rethrows the exception that failed it
     * (unwrapped), so the assertions are the same as for a blocking call.
     */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(AWAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new AssertionError("future failed with a checked exception", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while awaiting a future", e);
        } catch (TimeoutException e) {
            throw new AssertionError("future not done after " + AWAIT_SECONDS + " s", e);
        }
    }

    /** The operations of the batch service, the same in both modes. */
    interface Batches {
        BatchObject create(CreateBatchParams params, RequestOptions options);

        BatchObject get(String id, RequestOptions options);

        BatchObject cancel(String id, RequestOptions options);

        BatchPage list(ListBatchesParams params, RequestOptions options);

        BatchObject waitForCompletion(String id, WaitOptions options);

        RawResponse<BatchObject> rawCreate(CreateBatchParams params, RequestOptions options);

        RawResponse<BatchObject> rawGet(String id, RequestOptions options);

        RawResponse<BatchObject> rawCancel(String id, RequestOptions options);

        RawResponse<ListBatchesResponse> rawList(ListBatchesParams params, RequestOptions options);

        /** The overloads without options, called as such (not through {@code RequestOptions.none()}). */
        BatchObject create(CreateBatchParams params);

        BatchObject get(String id);

        BatchObject cancel(String id);

        BatchPage list();

        BatchPage list(ListBatchesParams params);

        BatchObject waitForCompletion(String id);

        RawResponse<BatchObject> rawGet(String id);
    }
}
