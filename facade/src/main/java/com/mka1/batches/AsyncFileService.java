package com.mka1.batches;

import com.mka1.batches.internal.CallEngine;
import com.mka1.batches.internal.FileDownload;
import com.mka1.batches.internal.FileOperations;
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
    private final WithRawResponse raw;

    AsyncFileService(CallEngine engine) {
        this.engine = engine;
        this.raw = new WithRawResponse(engine);
    }

    /** @return the same operations, completing with status code and headers along with each value */
    public WithRawResponse withRawResponse() {
        return raw;
    }

    /** @see FileService#upload(Path, FilePurpose) */
    public CompletableFuture<FileObject> upload(Path file, FilePurpose purpose) {
        return upload(file, purpose, RequestOptions.none());
    }

    /** @see FileService#upload(Path, FilePurpose, RequestOptions) */
    public CompletableFuture<FileObject> upload(Path file, FilePurpose purpose, RequestOptions options) {
        return Steps.map(raw.upload(file, purpose, options), RawResponse::value);
    }

    /** @see FileService#upload(byte[], String, FilePurpose) */
    public CompletableFuture<FileObject> upload(byte[] content, String filename, FilePurpose purpose) {
        return upload(content, filename, purpose, RequestOptions.none());
    }

    /** @see FileService#upload(byte[], String, FilePurpose, RequestOptions) */
    public CompletableFuture<FileObject> upload(byte[] content, String filename, FilePurpose purpose,
                                                RequestOptions options) {
        return Steps.map(raw.upload(content, filename, purpose, options), RawResponse::value);
    }

    /** @see FileService#upload(InputStream, String, FilePurpose) */
    public CompletableFuture<FileObject> upload(InputStream content, String filename, FilePurpose purpose) {
        return upload(content, filename, purpose, RequestOptions.none());
    }

    /** @see FileService#upload(InputStream, String, FilePurpose, RequestOptions) */
    public CompletableFuture<FileObject> upload(InputStream content, String filename, FilePurpose purpose,
                                                RequestOptions options) {
        return Steps.map(raw.upload(content, filename, purpose, options), RawResponse::value);
    }

    /** @see FileService#get(String) */
    public CompletableFuture<FileObject> get(String fileId) {
        return get(fileId, RequestOptions.none());
    }

    /** @see FileService#get(String, RequestOptions) */
    public CompletableFuture<FileObject> get(String fileId, RequestOptions options) {
        return Steps.map(raw.get(fileId, options), RawResponse::value);
    }

    /** @see FileService#delete(String) */
    public CompletableFuture<DeleteFileResponse> delete(String fileId) {
        return delete(fileId, RequestOptions.none());
    }

    /** @see FileService#delete(String, RequestOptions) */
    public CompletableFuture<DeleteFileResponse> delete(String fileId, RequestOptions options) {
        return Steps.map(raw.delete(fileId, options), RawResponse::value);
    }

    /** @see FileService#list() */
    public CompletableFuture<FilePage> list() {
        return list(ListFilesParams.none());
    }

    /** @see FileService#list(ListFilesParams) */
    public CompletableFuture<FilePage> list(ListFilesParams params) {
        return list(params, RequestOptions.none());
    }

    /** @see FileService#list(ListFilesParams, RequestOptions) */
    public CompletableFuture<FilePage> list(ListFilesParams params, RequestOptions options) {
        return Steps.map(raw.list(params, options), r -> new FilePage(engine, params, options, r));
    }

    /** @see FileService#content(String) */
    public CompletableFuture<FileContent> content(String fileId) {
        return content(fileId, RequestOptions.none());
    }

    /** @see FileService#content(String, RequestOptions) */
    public CompletableFuture<FileContent> content(String fileId, RequestOptions options) {
        return Steps.map(raw.content(fileId, options), RawResponse::value);
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
        return download(fileId, target, RequestOptions.none());
    }

    /**
     * @param fileId the file's id
     * @param target the file to write
     * @param options per-call settings
     * @return {@code target}; completed exceptionally with
     *     {@link com.mka1.batches.errors.LocalFileException} on a local file-system failure
     * @see FileService#download(String, Path, RequestOptions)
     */
    public CompletableFuture<Path> download(String fileId, Path target, RequestOptions options) {
        return Steps.map(raw.download(fileId, target, options), RawResponse::value);
    }

    /**
     * The asynchronous file operations completing with the HTTP status and headers along with the
     * value; see {@link FileService.WithRawResponse}.
     */
    public static final class WithRawResponse {
        private final CallEngine engine;

        WithRawResponse(CallEngine engine) {
            this.engine = engine;
        }

        /** @see FileService#upload(Path, FilePurpose) */
        public CompletableFuture<RawResponse<FileObject>> upload(Path file, FilePurpose purpose) {
            return upload(file, purpose, RequestOptions.none());
        }

        /** @see FileService#upload(Path, FilePurpose, RequestOptions) */
        public CompletableFuture<RawResponse<FileObject>> upload(Path file, FilePurpose purpose, RequestOptions options) {
            return engine.executeAsync(FileOperations.upload(file, purpose), options);
        }

        /** @see FileService#upload(byte[], String, FilePurpose) */
        public CompletableFuture<RawResponse<FileObject>> upload(byte[] content, String filename, FilePurpose purpose) {
            return upload(content, filename, purpose, RequestOptions.none());
        }

        /** @see FileService#upload(byte[], String, FilePurpose, RequestOptions) */
        public CompletableFuture<RawResponse<FileObject>> upload(byte[] content, String filename, FilePurpose purpose,
                                                                 RequestOptions options) {
            return engine.executeAsync(FileOperations.upload(content, filename, purpose), options);
        }

        /** @see FileService#upload(InputStream, String, FilePurpose) */
        public CompletableFuture<RawResponse<FileObject>> upload(InputStream content, String filename,
                                                                 FilePurpose purpose) {
            return upload(content, filename, purpose, RequestOptions.none());
        }

        /** @see FileService#upload(InputStream, String, FilePurpose, RequestOptions) */
        public CompletableFuture<RawResponse<FileObject>> upload(InputStream content, String filename,
                                                                 FilePurpose purpose, RequestOptions options) {
            return engine.executeAsync(FileOperations.upload(content, filename, purpose), options);
        }

        /** @see FileService#get(String) */
        public CompletableFuture<RawResponse<FileObject>> get(String fileId) {
            return get(fileId, RequestOptions.none());
        }

        /** @see FileService#get(String, RequestOptions) */
        public CompletableFuture<RawResponse<FileObject>> get(String fileId, RequestOptions options) {
            return engine.executeAsync(FileOperations.get(fileId), options);
        }

        /** @see FileService#delete(String) */
        public CompletableFuture<RawResponse<DeleteFileResponse>> delete(String fileId) {
            return delete(fileId, RequestOptions.none());
        }

        /** @see FileService#delete(String, RequestOptions) */
        public CompletableFuture<RawResponse<DeleteFileResponse>> delete(String fileId, RequestOptions options) {
            return engine.executeAsync(FileOperations.delete(fileId), options);
        }

        /** @see FileService#list(ListFilesParams) */
        public CompletableFuture<RawResponse<ListFilesResponse>> list(ListFilesParams params) {
            return list(params, RequestOptions.none());
        }

        /** @see FileService#list(ListFilesParams, RequestOptions) */
        public CompletableFuture<RawResponse<ListFilesResponse>> list(ListFilesParams params, RequestOptions options) {
            return engine.executeAsync(FileOperations.list(params), options);
        }

        /** @see FileService#content(String) */
        public CompletableFuture<RawResponse<FileContent>> content(String fileId) {
            return content(fileId, RequestOptions.none());
        }

        /** @see FileService#content(String, RequestOptions) */
        public CompletableFuture<RawResponse<FileContent>> content(String fileId, RequestOptions options) {
            return Steps.map(engine.executeAsync(FileOperations.content(fileId), options),
                    open -> open.withValue(new FileContent(open.value())));
        }

        /** @see FileService#download(String, Path) */
        public CompletableFuture<RawResponse<Path>> download(String fileId, Path target) {
            return download(fileId, target, RequestOptions.none());
        }

        /** @see FileService#download(String, Path, RequestOptions) */
        public CompletableFuture<RawResponse<Path>> download(String fileId, Path target, RequestOptions options) {
            return Steps.map(FileDownload.runAsync(engine, fileId, target, options), last -> last.withValue(target));
        }
    }
}
