package com.mka1.batches;

import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.DeleteFileResponse;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import com.mka1.batches.models.ListBatchesResponse;
import com.mka1.batches.models.ListFilesResponse;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The two ways of calling the API, so that a scenario existing in both is written once:
 * {@code @ParameterizedTest @EnumSource(Mode.class)}, then {@code mode.batches(client)} (or
 * {@code mode.files(client)}) and the same assertions. The interfaces below have the blocking
 * services' signatures; each call goes to the service's method of the same name and parameters
 * ({@link BatchService} or {@link AsyncBatchService}, and their views), and in {@link #ASYNC} its
 * future is awaited (bounded) and what failed it rethrown, unwrapped from
 * {@link ExecutionException}/{@link CompletionException}, so an
 * {@code assertThatThrownBy(..).isInstanceOf(NotFoundException.class)} means the same in both.
 */
enum Mode {
    /** {@code client.llm().batches()}, blocking on the test's thread; paging with {@code autoPager()}. */
    SYNC {
        @Override
        Batches batches(Mka1Client client) {
            return adapt(Batches.class, client.llm().batches());
        }

        @Override
        Files files(Mka1Client client) {
            return adapt(Files.class, client.llm().files());
        }

        @Override
        <T, P> Page<T, P> nextPage(Page<T, P> page) {
            return page.nextPage();
        }
    },

    /** {@code client.async().llm().batches()}, each future awaited; paging with {@code forEachAsync}. */
    ASYNC {
        @Override
        Batches batches(Mka1Client client) {
            return adapt(Batches.class, client.async().llm().batches());
        }

        @Override
        Files files(Mka1Client client) {
            return adapt(Files.class, client.async().llm().files());
        }

        @Override
        <T, P> Page<T, P> nextPage(Page<T, P> page) {
            return await(page.nextPageAsync());
        }
    };

    /** The longest any awaited future may take: far beyond any test's need, short of a hang. */
    static final long AWAIT_SECONDS = 10;

    /** @return the batch operations of {@code client} in this mode */
    abstract Batches batches(Mka1Client client);

    /** @return the file operations of {@code client} in this mode */
    abstract Files files(Mka1Client client);

    /** @return the page after {@code page}: {@code nextPage()} (SYNC) or {@code nextPageAsync()} (ASYNC) */
    abstract <T, P> Page<T, P> nextPage(Page<T, P> page);

    /** @return every item from {@code page} on: {@code autoPager()} (SYNC) or {@code forEachAsync} (ASYNC) */
    <T> List<T> walk(Page<T, ?> page) {
        return walk(page, Integer.MAX_VALUE);
    }

    /**
     * {@link #walk}, failing with an {@link IllegalStateException} once more than {@code limit} items
     * came: a pager that never ends fails the test instead of hanging it (a runtime exception, which
     * ends a {@code forEachAsync} walk as an action's failure).
     */
    <T> List<T> walk(Page<T, ?> page, int limit) {
        List<T> all = new CopyOnWriteArrayList<>();
        Consumer<T> add = item -> {
            if (all.size() >= limit) {
                throw new IllegalStateException("more than " + limit + " items: the pages do not end");
            }
            all.add(item);
        };
        if (this == SYNC) {
            page.autoPager().forEach(add);
        } else {
            await(page.forEachAsync(add));
        }
        return new ArrayList<>(all);
    }

    /**
     * {@code api} over {@code service}: each method calls the service's method of the same name and
     * parameter types, awaits a future it returns, and adapts a view it returns ({@code withOptions},
     * {@code withRawResponse}) to the interface the method declares.
     */
    private static <A> A adapt(Class<A> api, Object service) {
        return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(service, args);
            }
            Method target = service.getClass().getMethod(method.getName(), method.getParameterTypes());
            Object result;
            try {
                result = target.invoke(service, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof CompletableFuture) {
                result = await((CompletableFuture<?>) result);
            }
            return method.getReturnType().getEnclosingClass() == Mode.class
                    ? adapt(method.getReturnType(), result)
                    : result;
        }));
    }

    /**
     * Waits for {@code future} and returns its value, or rethrows the exception that failed it
     * (unwrapped), so the assertions are the same as for a blocking call.
     */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(AWAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                    && cause.getCause() != null) {
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
        Batches withOptions(RequestOptions options);

        RawBatches withRawResponse();

        BatchObject create(CreateBatchParams params);

        BatchObject get(String id);

        BatchObject cancel(String id);

        Page<BatchObject, ListBatchesParams> list(ListBatchesParams params);

        BatchObject waitForCompletion(String id, WaitOptions options);

        BatchResults results(String id);
    }

    /** The batch service's raw view, the same in both modes. */
    interface RawBatches {
        RawResponse<BatchObject> create(CreateBatchParams params);

        RawResponse<BatchObject> get(String id);

        RawResponse<BatchObject> cancel(String id);

        RawResponse<ListBatchesResponse> list(ListBatchesParams params);
    }

    /** The operations of the file service, the same in both modes. */
    interface Files {
        Files withOptions(RequestOptions options);

        RawFiles withRawResponse();

        FileObject upload(Path file, FilePurpose purpose);

        FileObject upload(byte[] content, String filename, FilePurpose purpose);

        FileObject upload(InputStream content, String filename, FilePurpose purpose);

        FileObject get(String id);

        DeleteFileResponse delete(String id);

        Page<FileObject, ListFilesParams> list(ListFilesParams params);

        FileContent content(String id);

        Path download(String id, Path target);
    }

    /** The file service's raw view, the same in both modes. */
    interface RawFiles {
        RawResponse<FileObject> upload(Path file, FilePurpose purpose);

        RawResponse<FileObject> upload(byte[] content, String filename, FilePurpose purpose);

        RawResponse<FileObject> upload(InputStream content, String filename, FilePurpose purpose);

        RawResponse<FileObject> get(String id);

        RawResponse<DeleteFileResponse> delete(String id);

        RawResponse<ListFilesResponse> list(ListFilesParams params);

        RawResponse<FileContent> content(String id);

        RawResponse<Path> download(String id, Path target);
    }
}
