package com.mka1.batches;

import com.mka1.batches.internal.CallEngine;
import com.mka1.batches.internal.FileDownload;
import com.mka1.batches.internal.FileOperations;
import com.mka1.batches.models.DeleteFileResponse;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import com.mka1.batches.models.ListFilesResponse;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The file operations: {@code client.llm().files()}. A batch starts from an uploaded JSONL file
 * (purpose {@link FilePurpose#BATCH}) and ends in output and error files, which are ordinary
 * files too. Thread-safe; get it once and share it.
 *
 * <pre>{@code
 * FileService files = client.llm().files();
 * FileObject input = files.upload(Paths.get("requests.jsonl"), FilePurpose.BATCH);
 * BatchObject batch = client.llm().batches().create(CreateBatchParams.builder()
 *         .inputFileId(input.getId())
 *         .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
 *         .build());
 * batch = client.llm().batches().waitForCompletion(batch.getId());
 * if (batch.getOutputFileId() != null) {
 *     files.download(batch.getOutputFileId(), Paths.get("output.jsonl"));
 * }
 * }</pre>
 *
 * <p><b>Uploads</b> are streamed from their source, never read whole into memory. A
 * {@code Path} or {@code byte[]} can be sent again, so its upload is retried like any call, with
 * the same {@code Idempotency-Key} each time. An {@code InputStream} can be read once only: its
 * upload is retried only while none of it can have been sent (the connection was never made);
 * after that a failure is thrown, never a second, empty or partial body. The stream is read to
 * its end but not closed: it is the caller's.
 *
 * <p><b>Downloads</b>: {@link #download(String, Path)} writes a file to disk, resuming after a
 * broken connection, never leaving part of a file at the target and never mixing two versions of
 * a file that changes on the server; {@link #content(String)} streams the bytes to the caller
 * instead.
 *
 * <p>Every operation has an overload taking {@link RequestOptions}. Arguments are checked before
 * any request: {@code null} throws {@link NullPointerException}, a blank id or a missing file
 * {@link IllegalArgumentException}. Failures are the same unchecked
 * {@link com.mka1.batches.errors.Mka1Exception}s as for batches.
 */
public final class FileService {
    private final CallEngine engine;
    private final WithRawResponse raw;

    FileService(CallEngine engine) {
        this.engine = engine;
        this.raw = new WithRawResponse(engine);
    }

    /** @return the same operations, returning status code and headers with each value */
    public WithRawResponse withRawResponse() {
        return raw;
    }

    /**
     * Uploads a file from disk, streamed; the file's name becomes the uploaded {@code filename}.
     *
     * @param file a readable regular file
     * @param purpose what the file is for; {@link FilePurpose#BATCH} for a batch's input
     * @return the stored file; its id is a batch's {@code input_file_id}
     * @throws IllegalArgumentException if the file does not exist or can't be read, or
     *     {@code purpose} is {@link FilePurpose#EVALS} (a purpose to list by, not to upload)
     * @throws com.mka1.batches.errors.InvalidResponseException if the answer's {@code id} is not a usable
     *     file id (blank, {@code .} or {@code ..}, holding {@code /}, {@code \} or a control
     *     character, or over 256 characters), for every {@code upload}
     */
    public FileObject upload(Path file, FilePurpose purpose) {
        return raw.upload(file, purpose).value();
    }

    /**
     * @param file a readable regular file
     * @param purpose what the file is for
     * @param options per-call settings
     * @return the stored file
     * @see #upload(Path, FilePurpose)
     */
    public FileObject upload(Path file, FilePurpose purpose, RequestOptions options) {
        return raw.upload(file, purpose, options).value();
    }

    /**
     * Uploads bytes held in memory.
     *
     * @param content the file's bytes
     * @param filename the name to store them under, e.g. {@code requests.jsonl}
     * @param purpose what the file is for
     * @return the stored file
     */
    public FileObject upload(byte[] content, String filename, FilePurpose purpose) {
        return raw.upload(content, filename, purpose).value();
    }

    /**
     * @param content the file's bytes
     * @param filename the name to store them under
     * @param purpose what the file is for
     * @param options per-call settings
     * @return the stored file
     * @see #upload(byte[], String, FilePurpose)
     */
    public FileObject upload(byte[] content, String filename, FilePurpose purpose, RequestOptions options) {
        return raw.upload(content, filename, purpose, options).value();
    }

    /**
     * Uploads a stream, read as it is sent. It is sent at most once: a failure after the
     * connection was made is thrown, not retried (see the class comment).
     *
     * @param content the file's bytes; read to its end, not closed
     * @param filename the name to store them under
     * @param purpose what the file is for
     * @return the stored file
     */
    public FileObject upload(InputStream content, String filename, FilePurpose purpose) {
        return raw.upload(content, filename, purpose).value();
    }

    /**
     * @param content the file's bytes; read to its end, not closed
     * @param filename the name to store them under
     * @param purpose what the file is for
     * @param options per-call settings
     * @return the stored file
     * @see #upload(InputStream, String, FilePurpose)
     */
    public FileObject upload(InputStream content, String filename, FilePurpose purpose, RequestOptions options) {
        return raw.upload(content, filename, purpose, options).value();
    }

    /**
     * @param fileId the file's id
     * @return the file's metadata
     * @throws com.mka1.batches.errors.NotFoundException if there is no such file for this key
     */
    public FileObject get(String fileId) {
        return raw.get(fileId).value();
    }

    /**
     * @param fileId the file's id
     * @param options per-call settings
     * @return the file's metadata
     */
    public FileObject get(String fileId, RequestOptions options) {
        return raw.get(fileId, options).value();
    }

    /**
     * Deletes a file; a later {@code get} of it is a {@link com.mka1.batches.errors.NotFoundException}.
     *
     * @param fileId the file's id
     * @return the server's confirmation
     */
    public DeleteFileResponse delete(String fileId) {
        return raw.delete(fileId).value();
    }

    /**
     * @param fileId the file's id
     * @param options per-call settings
     * @return the server's confirmation
     */
    public DeleteFileResponse delete(String fileId, RequestOptions options) {
        return raw.delete(fileId, options).value();
    }

    /** @return the first page of files, newest first, in the server's default page size (10,000) */
    public FilePage list() {
        return list(ListFilesParams.none());
    }

    /**
     * @param params which page
     * @return the page; {@link FilePage#autoPager()} walks the rest, and throws
     *     {@link com.mka1.batches.errors.InvalidResponseException} at a page that says more follows
     *     but gives no cursor that leads on (see {@link Page#nextPage()})
     */
    public FilePage list(ListFilesParams params) {
        return list(params, RequestOptions.none());
    }

    /**
     * @param params which page
     * @param options per-call settings, used for the following pages too
     * @return the page
     */
    public FilePage list(ListFilesParams params, RequestOptions options) {
        return new FilePage(engine, params, options, raw.list(params, options));
    }

    /**
     * Opens the file's content as a stream. Close it to release the connection.
     *
     * @param fileId the file's id
     * @return the content, read from the connection as it is read
     */
    public FileContent content(String fileId) {
        return raw.content(fileId).value();
    }

    /**
     * @param fileId the file's id
     * @param options per-call settings (the timeouts cover the response's headers; reading the
     *     stream is bounded by the read timeout between bytes)
     * @return the content
     */
    public FileContent content(String fileId, RequestOptions options) {
        return raw.content(fileId, options).value();
    }

    /**
     * Downloads a file's content to {@code target}, replacing any file there. The bytes go to a
     * temporary file beside the target, moved into place only once complete: when the download
     * fails or is interrupted, the target is untouched and the temporary file is removed. A
     * connection that breaks midway is resumed from the last byte received
     * ({@code Range: bytes=N-}), and each resume is one retry of the call's budget
     * ({@link RetryPolicy}). The size written is checked against the size the server gave.
     *
     * <p>The file written is always one version of the file, whole. A resume names the version on
     * disk with {@code If-Range} (the first answer's {@code ETag} if strong, else its
     * {@code Last-Modified}); an answer that is the whole file ({@code 200}: the file changed, or
     * the server ignores {@code Range}) is written from byte 0 instead of being appended, and a
     * resumed answer from another version (another validator) discards the bytes on disk and
     * starts again from byte 0, one more retry of the budget.
     *
     * @param fileId the file's id
     * @param target the file to write; its directory must exist
     * @return {@code target}
     * @throws IllegalArgumentException if {@code target} is a directory or its directory does not exist
     * @throws com.mka1.batches.errors.LocalFileException if the temporary file can't be created or
     *     written (the disk is full, say) or moved to {@code target}: not retried, the target
     *     untouched, the temporary file removed
     * @throws com.mka1.batches.errors.Mka1IoException if the connection fails, or the file keeps
     *     changing, beyond the retry budget
     * @throws com.mka1.batches.errors.InvalidResponseException if the server's answer contradicts
     *     itself (a range that does not start where asked, a size that changes within one version)
     */
    public Path download(String fileId, Path target) {
        return raw.download(fileId, target).value();
    }

    /**
     * @param fileId the file's id
     * @param target the file to write
     * @param options per-call settings; {@link RequestOptions.Builder#timeout} bounds the whole
     *     download, resumes included
     * @return {@code target}
     * @throws com.mka1.batches.errors.LocalFileException if the file can't be created, written or
     *     moved into place on this machine
     * @see #download(String, Path)
     */
    public Path download(String fileId, Path target, RequestOptions options) {
        return raw.download(fileId, target, options).value();
    }

    /**
     * The file operations returning the HTTP status and headers along with the value; same
     * arguments, checks and exceptions as {@link FileService}. For a download, the response is
     * the last one (of the last resume).
     */
    public static final class WithRawResponse {
        private final CallEngine engine;

        WithRawResponse(CallEngine engine) {
            this.engine = engine;
        }

        /** @see FileService#upload(Path, FilePurpose) */
        public RawResponse<FileObject> upload(Path file, FilePurpose purpose) {
            return upload(file, purpose, RequestOptions.none());
        }

        /** @see FileService#upload(Path, FilePurpose, RequestOptions) */
        public RawResponse<FileObject> upload(Path file, FilePurpose purpose, RequestOptions options) {
            return engine.execute(FileOperations.upload(file, purpose), options);
        }

        /** @see FileService#upload(byte[], String, FilePurpose) */
        public RawResponse<FileObject> upload(byte[] content, String filename, FilePurpose purpose) {
            return upload(content, filename, purpose, RequestOptions.none());
        }

        /** @see FileService#upload(byte[], String, FilePurpose, RequestOptions) */
        public RawResponse<FileObject> upload(byte[] content, String filename, FilePurpose purpose,
                                              RequestOptions options) {
            return engine.execute(FileOperations.upload(content, filename, purpose), options);
        }

        /** @see FileService#upload(InputStream, String, FilePurpose) */
        public RawResponse<FileObject> upload(InputStream content, String filename, FilePurpose purpose) {
            return upload(content, filename, purpose, RequestOptions.none());
        }

        /** @see FileService#upload(InputStream, String, FilePurpose, RequestOptions) */
        public RawResponse<FileObject> upload(InputStream content, String filename, FilePurpose purpose,
                                              RequestOptions options) {
            return engine.execute(FileOperations.upload(content, filename, purpose), options);
        }

        /** @see FileService#get(String) */
        public RawResponse<FileObject> get(String fileId) {
            return get(fileId, RequestOptions.none());
        }

        /** @see FileService#get(String, RequestOptions) */
        public RawResponse<FileObject> get(String fileId, RequestOptions options) {
            return engine.execute(FileOperations.get(fileId), options);
        }

        /** @see FileService#delete(String) */
        public RawResponse<DeleteFileResponse> delete(String fileId) {
            return delete(fileId, RequestOptions.none());
        }

        /** @see FileService#delete(String, RequestOptions) */
        public RawResponse<DeleteFileResponse> delete(String fileId, RequestOptions options) {
            return engine.execute(FileOperations.delete(fileId), options);
        }

        /** @see FileService#list(ListFilesParams) */
        public RawResponse<ListFilesResponse> list(ListFilesParams params) {
            return list(params, RequestOptions.none());
        }

        /** @see FileService#list(ListFilesParams, RequestOptions) */
        public RawResponse<ListFilesResponse> list(ListFilesParams params, RequestOptions options) {
            return engine.execute(FileOperations.list(params), options);
        }

        /** @see FileService#content(String) */
        public RawResponse<FileContent> content(String fileId) {
            return content(fileId, RequestOptions.none());
        }

        /** @see FileService#content(String, RequestOptions) */
        public RawResponse<FileContent> content(String fileId, RequestOptions options) {
            RawResponse<okhttp3.Response> open = engine.execute(FileOperations.content(fileId), options);
            return open.withValue(new FileContent(open.value()));
        }

        /** @see FileService#download(String, Path) */
        public RawResponse<Path> download(String fileId, Path target) {
            return download(fileId, target, RequestOptions.none());
        }

        /** @see FileService#download(String, Path, RequestOptions) */
        public RawResponse<Path> download(String fileId, Path target, RequestOptions options) {
            return FileDownload.run(engine, fileId, target, options).withValue(target);
        }
    }
}
