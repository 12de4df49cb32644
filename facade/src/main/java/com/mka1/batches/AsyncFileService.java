package com.mka1.batches;

import com.mka1.batches.internal.CallEngine;
import com.mka1.batches.internal.FileDownload;
import com.mka1.batches.internal.FileOperations;
import com.mka1.batches.internal.OptionsOverlay;
import com.mka1.batches.internal.Steps;
import com.mka1.batches.models.DeleteFileResponse;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import com.mka1.batches.models.ListFilesResponse;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The file operations without blocking: {@code client.async().llm().files()}. Same arguments,
 * retries, resumes, timeouts and exceptions as {@link FileService}; thread-safe.
 *
 * <pre>{@code
 * AsyncFileService files = client.async().llm().files();
 * files.upload(Paths.get("requests.jsonl"), FilePurpose.BATCH)
 *      .thenAccept(file -> System.out.println(file.getId()));
 * files.download(outputFileId, Paths.get("output.jsonl")).join();
 * // per-call settings, as for FileService
 * files.withOptions(RequestOptions.builder().timeout(Duration.ofMinutes(10)).build())
 *      .download(outputFileId, Paths.get("output.jsonl"));
 * }</pre>
 *
 * <p>Bad arguments, and a call on a closed client, throw at once. Everything else completes the
 * future exceptionally with the exception the blocking call would throw. Cancelling a returned
 * future cancels the transfer in progress; a cancelled download removes its temporary file and
 * leaves the target untouched. A download that can't create, write or move its file on this
 * machine completes with {@link com.mka1.batches.errors.LocalFileException}. Request and response bodies are streamed on the client's
 * dispatcher threads: an upload reads its {@code InputStream}, a download writes to disk there.
 * A {@link FileContent} completes once the response's headers have arrived; reading its stream
 * blocks the reading thread.
 */
public final class AsyncFileService {
    private final CallEngine engine;
    private final RequestOptions options;
    private final WithRawResponse raw;

    AsyncFileService(CallEngine engine) {
        this(engine, RequestOptions.none());
    }

    private AsyncFileService(CallEngine engine, RequestOptions options) {
        this.engine = engine;
        this.options = options;
        this.raw = new WithRawResponse(engine, options);
    }

    /**
     * The same operations, each request sent with {@code options} laid over this view's, as
     * {@link FileService#withOptions(RequestOptions)} does; this service is left unchanged.
     *
     * @param options per-call settings
     * @return a view of the same operations with these options
     */
    public AsyncFileService withOptions(RequestOptions options) {
        return new AsyncFileService(engine, OptionsOverlay.view(options, this.options));
    }

    /** @return the same operations, with this view's options, completing with status code and headers along with each value */
    public WithRawResponse withRawResponse() {
        return raw;
    }

    /** @see FileService#upload(Path, FilePurpose) */
    public CompletableFuture<FileObject> upload(Path file, FilePurpose purpose) {
        return Steps.map(raw.upload(file, purpose), RawResponse::value);
    }

    /** @see FileService#upload(byte[], String, FilePurpose) */
    public CompletableFuture<FileObject> upload(byte[] content, String filename, FilePurpose purpose) {
        return Steps.map(raw.upload(content, filename, purpose), RawResponse::value);
    }

    /** @see FileService#upload(InputStream, String, FilePurpose) */
    public CompletableFuture<FileObject> upload(InputStream content, String filename, FilePurpose purpose) {
        return Steps.map(raw.upload(content, filename, purpose), RawResponse::value);
    }

    /** @see FileService#get(String) */
    public CompletableFuture<FileObject> get(String fileId) {
        return Steps.map(raw.get(fileId), RawResponse::value);
    }

    /** @see FileService#delete(String) */
    public CompletableFuture<DeleteFileResponse> delete(String fileId) {
        return Steps.map(raw.delete(fileId), RawResponse::value);
    }

    /** @see FileService#list(ListFilesParams) */
    public CompletableFuture<Page<FileObject, ListFilesParams>> list(ListFilesParams params) {
        return Steps.map(raw.list(params), r -> Page.ofFiles(engine, options, params, r));
    }

    /** @see FileService#content(String) */
    public CompletableFuture<FileContent> content(String fileId) {
        return Steps.map(raw.content(fileId), RawResponse::value);
    }

    /**
     * Downloads a file's content to {@code target}, as {@link FileService#download(String, Path)}
     * does: one version of the file, whole, or the target untouched.
     *
     * @param fileId the file's id
     * @param target the file to write; its directory must exist
     * @return {@code target}, once the file is in place; completed exceptionally with
     *     {@link com.mka1.batches.errors.LocalFileException} if the file can't be created, written
     *     or moved into place on this machine
     * @see FileService#download(String, Path)
     */
    public CompletableFuture<Path> download(String fileId, Path target) {
        return Steps.map(raw.download(fileId, target), RawResponse::value);
    }

    /**
     * The asynchronous file operations completing with the HTTP status and headers along with the
     * value; see {@link FileService.WithRawResponse}.
     */
    public static final class WithRawResponse {
        private final CallEngine engine;
        private final RequestOptions options;

        WithRawResponse(CallEngine engine, RequestOptions options) {
            this.engine = engine;
            this.options = options;
        }

        /** @see FileService#upload(Path, FilePurpose) */
        public CompletableFuture<RawResponse<FileObject>> upload(Path file, FilePurpose purpose) {
            return engine.executeAsync(FileOperations.upload(file, purpose), options);
        }

        /** @see FileService#upload(byte[], String, FilePurpose) */
        public CompletableFuture<RawResponse<FileObject>> upload(byte[] content, String filename, FilePurpose purpose) {
            return engine.executeAsync(FileOperations.upload(content, filename, purpose), options);
        }

        /** @see FileService#upload(InputStream, String, FilePurpose) */
        public CompletableFuture<RawResponse<FileObject>> upload(
                InputStream content, String filename, FilePurpose purpose) {
            return engine.executeAsync(FileOperations.upload(content, filename, purpose), options);
        }

        /** @see FileService#get(String) */
        public CompletableFuture<RawResponse<FileObject>> get(String fileId) {
            return engine.executeAsync(FileOperations.get(fileId), options);
        }

        /** @see FileService#delete(String) */
        public CompletableFuture<RawResponse<DeleteFileResponse>> delete(String fileId) {
            return engine.executeAsync(FileOperations.delete(fileId), options);
        }

        /** @see FileService#list(ListFilesParams) */
        public CompletableFuture<RawResponse<ListFilesResponse>> list(ListFilesParams params) {
            return engine.executeAsync(FileOperations.list(params), options);
        }

        /** @see FileService#content(String) */
        public CompletableFuture<RawResponse<FileContent>> content(String fileId) {
            return Steps.map(
                    engine.executeAsync(FileOperations.content(fileId), options),
                    open -> open.withValue(new FileContent(open.value())));
        }

        /** @see FileService#download(String, Path) */
        public CompletableFuture<RawResponse<Path>> download(String fileId, Path target) {
            return Steps.map(FileDownload.runAsync(engine, fileId, target, options), last -> last.withValue(target));
        }
    }
}
