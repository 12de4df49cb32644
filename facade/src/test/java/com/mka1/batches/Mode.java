package com.mka1.batches;

import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.DeleteFileResponse;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import com.mka1.batches.models.ListBatchesResponse;
import com.mka1.batches.models.ListFilesResponse;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The two ways of calling the API, so that a scenario existing in both is written once:
 * {@code @ParameterizedTest @EnumSource(Mode.class)}, then {@code mode.batches(client)} (or
 * {@code mode.files(client)}) and the same assertions. In {@link #ASYNC} each operation waits for its future (bounded) and rethrows
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
                public BatchResults results(String id) {
                    return s.results(id);
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
        Files files(Mka1Client client) {
            FileService s = client.llm().files();
            return new Files() {
                @Override
                public FileObject upload(Path file, FilePurpose purpose) {
                    return s.upload(file, purpose);
                }

                @Override
                public FileObject upload(Path file, FilePurpose purpose, RequestOptions options) {
                    return s.upload(file, purpose, options);
                }

                @Override
                public FileObject upload(byte[] content, String filename, FilePurpose purpose) {
                    return s.upload(content, filename, purpose);
                }

                @Override
                public FileObject upload(byte[] content, String filename, FilePurpose purpose, RequestOptions options) {
                    return s.upload(content, filename, purpose, options);
                }

                @Override
                public FileObject upload(InputStream content, String filename, FilePurpose purpose) {
                    return s.upload(content, filename, purpose);
                }

                @Override
                public FileObject upload(InputStream content, String filename, FilePurpose purpose, RequestOptions options) {
                    return s.upload(content, filename, purpose, options);
                }

                @Override
                public FileObject get(String id) {
                    return s.get(id);
                }

                @Override
                public FileObject get(String id, RequestOptions options) {
                    return s.get(id, options);
                }

                @Override
                public DeleteFileResponse delete(String id) {
                    return s.delete(id);
                }

                @Override
                public DeleteFileResponse delete(String id, RequestOptions options) {
                    return s.delete(id, options);
                }

                @Override
                public FilePage list() {
                    return s.list();
                }

                @Override
                public FilePage list(ListFilesParams params) {
                    return s.list(params);
                }

                @Override
                public FilePage list(ListFilesParams params, RequestOptions options) {
                    return s.list(params, options);
                }

                @Override
                public FileContent content(String id) {
                    return s.content(id);
                }

                @Override
                public FileContent content(String id, RequestOptions options) {
                    return s.content(id, options);
                }

                @Override
                public Path download(String id, Path target) {
                    return s.download(id, target);
                }

                @Override
                public Path download(String id, Path target, RequestOptions options) {
                    return s.download(id, target, options);
                }

                @Override
                public RawResponse<FileObject> rawUpload(byte[] content, String filename, FilePurpose purpose) {
                    return s.withRawResponse().upload(content, filename, purpose);
                }

                @Override
                public RawResponse<FileObject> rawGet(String id) {
                    return s.withRawResponse().get(id);
                }

                @Override
                public RawResponse<DeleteFileResponse> rawDelete(String id) {
                    return s.withRawResponse().delete(id);
                }

                @Override
                public RawResponse<ListFilesResponse> rawList(ListFilesParams params) {
                    return s.withRawResponse().list(params);
                }

                @Override
                public RawResponse<FileContent> rawContent(String id) {
                    return s.withRawResponse().content(id);
                }

                @Override
                public RawResponse<Path> rawDownload(String id, Path target) {
                    return s.withRawResponse().download(id, target);
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

        @Override
        FilePage nextPage(FilePage page) {
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
                public BatchResults results(String id) {
                    return await(s.results(id));
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
        Files files(Mka1Client client) {
            AsyncFileService s = client.async().llm().files();
            return new Files() {
                @Override
                public FileObject upload(Path file, FilePurpose purpose) {
                    return await(s.upload(file, purpose));
                }

                @Override
                public FileObject upload(Path file, FilePurpose purpose, RequestOptions options) {
                    return await(s.upload(file, purpose, options));
                }

                @Override
                public FileObject upload(byte[] content, String filename, FilePurpose purpose) {
                    return await(s.upload(content, filename, purpose));
                }

                @Override
                public FileObject upload(byte[] content, String filename, FilePurpose purpose, RequestOptions options) {
                    return await(s.upload(content, filename, purpose, options));
                }

                @Override
                public FileObject upload(InputStream content, String filename, FilePurpose purpose) {
                    return await(s.upload(content, filename, purpose));
                }

                @Override
                public FileObject upload(InputStream content, String filename, FilePurpose purpose, RequestOptions options) {
                    return await(s.upload(content, filename, purpose, options));
                }

                @Override
                public FileObject get(String id) {
                    return await(s.get(id));
                }

                @Override
                public FileObject get(String id, RequestOptions options) {
                    return await(s.get(id, options));
                }

                @Override
                public DeleteFileResponse delete(String id) {
                    return await(s.delete(id));
                }

                @Override
                public DeleteFileResponse delete(String id, RequestOptions options) {
                    return await(s.delete(id, options));
                }

                @Override
                public FilePage list() {
                    return await(s.list());
                }

                @Override
                public FilePage list(ListFilesParams params) {
                    return await(s.list(params));
                }

                @Override
                public FilePage list(ListFilesParams params, RequestOptions options) {
                    return await(s.list(params, options));
                }

                @Override
                public FileContent content(String id) {
                    return await(s.content(id));
                }

                @Override
                public FileContent content(String id, RequestOptions options) {
                    return await(s.content(id, options));
                }

                @Override
                public Path download(String id, Path target) {
                    return await(s.download(id, target));
                }

                @Override
                public Path download(String id, Path target, RequestOptions options) {
                    return await(s.download(id, target, options));
                }

                @Override
                public RawResponse<FileObject> rawUpload(byte[] content, String filename, FilePurpose purpose) {
                    return await(s.withRawResponse().upload(content, filename, purpose));
                }

                @Override
                public RawResponse<FileObject> rawGet(String id) {
                    return await(s.withRawResponse().get(id));
                }

                @Override
                public RawResponse<DeleteFileResponse> rawDelete(String id) {
                    return await(s.withRawResponse().delete(id));
                }

                @Override
                public RawResponse<ListFilesResponse> rawList(ListFilesParams params) {
                    return await(s.withRawResponse().list(params));
                }

                @Override
                public RawResponse<FileContent> rawContent(String id) {
                    return await(s.withRawResponse().content(id));
                }

                @Override
                public RawResponse<Path> rawDownload(String id, Path target) {
                    return await(s.withRawResponse().download(id, target));
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

        @Override
        FilePage nextPage(FilePage page) {
            return await(page.nextPageAsync());
        }
    };

    /** The longest any awaited future may take: far beyond any test's need, short of a hang. */
    static final long AWAIT_SECONDS = 10;

    /** @return the batch operations of {@code client} in this mode */
    abstract Batches batches(Mka1Client client);

    /** @return the file operations of {@code client} in this mode */
    abstract Files files(Mka1Client client);

    /** @return every item from {@code page} on: {@code autoPager()} (SYNC) or {@code forEachAsync} (ASYNC) */
    abstract <T> List<T> walk(Page<T> page);

    /**
     * {@link #walk}, failing with an {@link IllegalStateException} once more than {@code limit} items
     * came: a pager that never ends fails the test instead of hanging it (a runtime exception, which
     * ends a {@code forEachAsync} walk as an action's failure).
     */
    <T> List<T> walk(Page<T> page, int limit) {
        List<T> all = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.function.Consumer<T> add = item -> {
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

    /** @return the page after {@code page}: {@code nextPage()} (SYNC) or {@code nextPageAsync()} (ASYNC) */
    abstract BatchPage nextPage(BatchPage page);

    /** @return the page after {@code page}: {@code nextPage()} (SYNC) or {@code nextPageAsync()} (ASYNC) */
    abstract FilePage nextPage(FilePage page);

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

        BatchResults results(String id);

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

    /** The operations of the file service, the same in both modes; each overload called as such. */
    interface Files {
        FileObject upload(Path file, FilePurpose purpose);

        FileObject upload(Path file, FilePurpose purpose, RequestOptions options);

        FileObject upload(byte[] content, String filename, FilePurpose purpose);

        FileObject upload(byte[] content, String filename, FilePurpose purpose, RequestOptions options);

        FileObject upload(InputStream content, String filename, FilePurpose purpose);

        FileObject upload(InputStream content, String filename, FilePurpose purpose, RequestOptions options);

        FileObject get(String id);

        FileObject get(String id, RequestOptions options);

        DeleteFileResponse delete(String id);

        DeleteFileResponse delete(String id, RequestOptions options);

        FilePage list();

        FilePage list(ListFilesParams params);

        FilePage list(ListFilesParams params, RequestOptions options);

        FileContent content(String id);

        FileContent content(String id, RequestOptions options);

        Path download(String id, Path target);

        Path download(String id, Path target, RequestOptions options);

        RawResponse<FileObject> rawUpload(byte[] content, String filename, FilePurpose purpose);

        RawResponse<FileObject> rawGet(String id);

        RawResponse<DeleteFileResponse> rawDelete(String id);

        RawResponse<ListFilesResponse> rawList(ListFilesParams params);

        RawResponse<FileContent> rawContent(String id);

        RawResponse<Path> rawDownload(String id, Path target);
    }
}
