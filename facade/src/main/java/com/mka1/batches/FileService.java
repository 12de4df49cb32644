package com.mka1.batches;

import com.mka1.batches.internal.CallEngine;
import com.mka1.batches.internal.FileDownload;
import com.mka1.batches.internal.FileOperations;
import com.mka1.batches.internal.OptionsOverlay;
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
 * <p><b>Per-call settings</b> go through {@link #withOptions(RequestOptions)}, a view of the same
 * operations sending each request with those options, as for {@link BatchService}:
 *
 * <pre>{@code
 * files.withOptions(RequestOptions.builder().timeout(Duration.ofMinutes(10)).build())
 *      .download(fileId, Paths.get("output.jsonl"));
 * }</pre>
 *
 * <p>Arguments are checked before any request: {@code null} throws {@link NullPointerException}, a blank id or a missing file
 * {@link IllegalArgumentException}. Failures are the same unchecked
 * {@link com.mka1.batches.errors.Mka1Exception}s as for batches.
 */
public final class FileService {
    private final CallEngine engine;
    private final RequestOptions options;
    private final WithRawResponse raw;

    FileService(CallEngine engine) {
        this(engine, RequestOptions.none());
    }

    private FileService(CallEngine engine, RequestOptions options) {
        this.engine = engine;
        this.options = options;
        this.raw = new WithRawResponse(engine, options);
    }

    /**
     * The same operations, each request sent with {@code options} laid over this view's (a value
     * set in {@code options} wins, headers merge by name), the pages after a listed one too. For
     * a {@code download}, {@link RequestOptions.Builder#timeout} bounds the whole download,
     * resumes included; for {@code content}, the timeouts cover the response's headers, and
     * reading the stream is bounded by the read timeout between bytes. This service is left
     * unchanged; the view is as thread-safe and can be kept.
     *
     * @param options per-call settings
     * @return a view of the same operations with these options
     */
    public FileService withOptions(RequestOptions options) {
        return new FileService(engine, OptionsOverlay.view(options, this.options));
    }

    /** @return the same operations, with this view's options, returning status code and headers with each value */
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
     * @param fileId the file's id
     * @return the file's metadata
     * @throws com.mka1.batches.errors.NotFoundException if there is no such file for this key
     */
    public FileObject get(String fileId) {
        return raw.get(fileId).value();
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
     * A page of files, newest first; {@link ListFilesParams#none()} asks for the first, in the
     * server's default page size (10,000).
     *
     * @param params which page
     * @return the page; {@link Page#autoPager()} walks the rest, and throws
     *     {@link com.mka1.batches.errors.InvalidResponseException} at a page that says more follows
     *     but gives no cursor that leads on (see {@link Page#nextPage()})
     */
    public Page<FileObject, ListFilesParams> list(ListFilesParams params) {
        return Page.ofFiles(engine, options, params, raw.list(params));
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
     * The file operations returning the HTTP status and headers along with the value; same
     * arguments, checks and exceptions as {@link FileService}. For a download, the response is
     * the last one (of the last resume).
     */
    public static final class WithRawResponse {
        private final CallEngine engine;
        private final RequestOptions options;

        WithRawResponse(CallEngine engine, RequestOptions options) {
            this.engine = engine;
            this.options = options;
        }

        /** @see FileService#upload(Path, FilePurpose) */
        public RawResponse<FileObject> upload(Path file, FilePurpose purpose) {
            return engine.execute(FileOperations.upload(file, purpose), options);
        }

        /** @see FileService#upload(byte[], String, FilePurpose) */
        public RawResponse<FileObject> upload(byte[] content, String filename, FilePurpose purpose) {
            return engine.execute(FileOperations.upload(content, filename, purpose), options);
        }

        /** @see FileService#upload(InputStream, String, FilePurpose) */
        public RawResponse<FileObject> upload(InputStream content, String filename, FilePurpose purpose) {
            return engine.execute(FileOperations.upload(content, filename, purpose), options);
        }

        /** @see FileService#get(String) */
        public RawResponse<FileObject> get(String fileId) {
            return engine.execute(FileOperations.get(fileId), options);
        }

        /** @see FileService#delete(String) */
        public RawResponse<DeleteFileResponse> delete(String fileId) {
            return engine.execute(FileOperations.delete(fileId), options);
        }

        /** @see FileService#list(ListFilesParams) */
        public RawResponse<ListFilesResponse> list(ListFilesParams params) {
            return engine.execute(FileOperations.list(params), options);
        }

        /** @see FileService#content(String) */
        public RawResponse<FileContent> content(String fileId) {
            RawResponse<okhttp3.Response> open = engine.execute(FileOperations.content(fileId), options);
            return open.withValue(new FileContent(open.value()));
        }

        /** @see FileService#download(String, Path) */
        public RawResponse<Path> download(String fileId, Path target) {
            return FileDownload.run(engine, fileId, target, options).withValue(target);
        }
    }
}
