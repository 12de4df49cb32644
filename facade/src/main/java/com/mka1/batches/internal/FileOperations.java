package com.mka1.batches.internal;

import com.mka1.batches.ListFilesParams;
import com.mka1.batches.internal.api.FilesApi;
import com.mka1.batches.models.DeleteFileResponse;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import com.mka1.batches.models.ListFilesResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;

/**
 * The file operations as {@link ApiCall}s: argument checks and the generated Retrofit method of
 * each, written once for the blocking and the asynchronous services. Downloads are
 * {@link FileDownload}s.
 */
public final class FileOperations {
    private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");
    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

    private FileOperations() {}

    /** Uploads a file from disk, streamed; the body can be sent again, so the call is retried like any other. */
    public static ApiCall<FileObject> upload(Path file, FilePurpose purpose) {
        Objects.requireNonNull(file, "file == null");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("file " + file + " does not exist or is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("file " + file + " is not readable");
        }
        Path name = file.getFileName();
        return upload(RequestBody.create(file.toFile(), mediaTypeOf(name.toString())), name.toString(), purpose, true);
    }

    /** Uploads bytes held in memory; retried like any other call. */
    public static ApiCall<FileObject> upload(byte[] content, String filename, FilePurpose purpose) {
        Objects.requireNonNull(content, "content == null");
        return upload(RequestBody.create(content, mediaTypeOf(filename)), filename, purpose, true);
    }

    /**
     * Uploads a stream, read as it is sent; it can't be read twice, so once any of it may have
     * been sent the call is not retried.
     */
    public static ApiCall<FileObject> upload(InputStream content, String filename, FilePurpose purpose) {
        Objects.requireNonNull(content, "content == null");
        return upload(new StreamBody(content, mediaTypeOf(filename)), filename, purpose, false);
    }

    private static ApiCall<FileObject> upload(
            RequestBody body, String filename, FilePurpose purpose, boolean resendable) {
        Checks.notBlank(filename, "filename");
        String purposeValue = uploadPurpose(purpose);
        ApiCall<FileObject> call = ApiCall.creating(
                        "files.upload",
                        FilesApi.class,
                        FileObject.class,
                        // Idempotency-Key: null here, set by the engine on each attempt (the same on every retry).
                        (api, onBehalfOf) -> api.uploadFile(
                                MultipartBody.Part.createFormData("file", filename, body),
                                RequestBody.create(purposeValue, TEXT),
                                onBehalfOf,
                                null))
                .checking((file, status) -> ServerIds.fileId(file.getId(), "the uploaded file's id", status));
        return resendable ? call : call.sentOnce();
    }

    private static String uploadPurpose(FilePurpose purpose) {
        Objects.requireNonNull(purpose, "purpose == null");
        if (FilePurpose.EVALS.equals(purpose)) {
            throw new IllegalArgumentException("purpose EVALS can't be uploaded; use one of ASSISTANTS, BATCH,"
                    + " FINE_TUNE, VISION or USER_DATA");
        }
        // A purpose newer than this library (FilePurpose.of) goes as given: the server decides.
        return Checks.notBlank(purpose.asString(), "purpose");
    }

    /** The part's type, from the file name's extension; the server keeps it and serves the content with it. */
    private static MediaType mediaTypeOf(String filename) {
        String lower = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jsonl")) {
            return MediaType.get("application/jsonl");
        }
        if (lower.endsWith(".json")) {
            return MediaType.get("application/json");
        }
        if (lower.endsWith(".txt")) {
            return TEXT;
        }
        return OCTET_STREAM;
    }

    public static ApiCall<FileObject> get(String fileId) {
        String id = Checks.fileId(fileId);
        return ApiCall.of(
                "files.get", FilesApi.class, FileObject.class, (api, onBehalfOf) -> api.getFile(id, onBehalfOf));
    }

    public static ApiCall<DeleteFileResponse> delete(String fileId) {
        String id = Checks.fileId(fileId);
        return ApiCall.of(
                "files.delete",
                FilesApi.class,
                DeleteFileResponse.class,
                (api, onBehalfOf) -> api.deleteFile(id, onBehalfOf));
    }

    public static ApiCall<ListFilesResponse> list(ListFilesParams params) {
        Objects.requireNonNull(params, "params == null");
        String order = params.order() == null ? null : params.order().name().toLowerCase(Locale.ROOT);
        return ApiCall.of(
                "files.list",
                FilesApi.class,
                ListFilesResponse.class,
                (api, onBehalfOf) ->
                        api.listFiles(onBehalfOf, params.after(), params.limit(), order, params.purpose()));
    }

    /** The content as an open response: the value holds the connection until it is closed. */
    public static ApiCall<Response> content(String fileId) {
        String id = Checks.fileId(fileId);
        ApiCall<Response> call = ApiCall.reading(
                "files.content",
                FilesApi.class,
                response -> response,
                (api, onBehalfOf) -> api.getFileContent(id, onBehalfOf, null));
        return call.keepingResponseOpen();
    }

    /** A body read from a stream as it is written: one-shot, of unknown length. */
    private static final class StreamBody extends RequestBody {
        private final InputStream content;
        private final MediaType type;

        StreamBody(InputStream content, MediaType type) {
            this.content = content;
            this.type = type;
        }

        @Override
        public MediaType contentType() {
            return type;
        }

        @Override
        public boolean isOneShot() {
            return true;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            Source source = Okio.source(content);
            sink.writeAll(source);
        }
    }
}
