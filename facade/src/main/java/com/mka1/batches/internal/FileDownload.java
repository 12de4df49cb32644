package com.mka1.batches.internal;

import com.mka1.batches.RawResponse;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.internal.api.FilesApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * One download of a file's content to a path, resuming where a broken connection left it.
 *
 * <p>The bytes go to a temporary file beside the target ({@code .<name>.<random>.part}), moved
 * into place only once complete, so the target never holds part of the file; the temporary file
 * is removed when the download gives up. Each attempt after the first asks for
 * {@code Range: bytes=N-}, N being the bytes already on disk: a {@code 206} is appended, a
 * {@code 200} (a server that ignores {@code Range}) has its first N bytes skipped, and a
 * {@code 416} whose {@code Content-Range: bytes *}{@code /size} is N says every byte is on disk
 * already (a body of unknown length, chunked or compressed, broken after its last byte). Every
 * attempt is an attempt of the one call, so resumes count against its retry budget. The size on
 * disk is checked against what the server said ({@code Content-Length}, or the total of
 * {@code Content-Range}); a body that ends short is a broken connection, resumed like any other.
 *
 * <p>Not thread-safe; made for one call.
 */
public final class FileDownload {
    /**
     * The {@code Content-Range} of a 206. Numbers have at most 18 digits: anything longer is no
     * size or offset of a file (it would not fit a {@code long}), so the header is refused like
     * any other it can't be.
     */
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)");
    /** The {@code Content-Range} of a 416: the file's size. */
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d{1,18})");
    private static final int BUFFER = 64 * 1024;

    private final String fileId;
    private final Path target;
    private final Path part;
    /** Bytes on disk in {@link #part}; written only by the attempt reading, one at a time. */
    private volatile long written;
    /** The file's size as the server gave it, or -1 while unknown. */
    private volatile long size = -1;
    /** Set once the download has given up: an attempt still writing removes the part file when it stops. */
    private volatile boolean abandoned;

    /** Package-private, like {@link #call()}, {@link #moveIntoPlace()} and {@link #abandon()}: for FileDownloadFuzzTest. */
    FileDownload(String fileId, Path target) {
        this.fileId = Checks.fileId(fileId);
        Objects.requireNonNull(target, "target == null");
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException("target " + target + " is a directory; give the path of the file to write");
        }
        this.target = target.toAbsolutePath();
        Path dir = this.target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the directory of target " + target + " does not exist");
        }
        try {
            this.part = Files.createTempFile(dir, "." + this.target.getFileName() + ".", ".part");
        } catch (IOException e) {
            throw new Mka1IoException("could not create a temporary file in " + dir + ": " + e, e);
        }
    }

    /**
     * Downloads, blocking the caller's thread.
     *
     * @return the last response, its value the bytes written
     */
    public static RawResponse<Long> run(CallEngine engine, String fileId, Path target, RequestOptions options) {
        FileDownload download = new FileDownload(fileId, target);
        boolean done = false;
        try {
            RawResponse<Long> last = engine.execute(download.call(), options);
            download.moveIntoPlace();
            done = true;
            return last;
        } finally {
            if (!done) {
                download.abandon();
            }
        }
    }

    /**
     * Downloads without blocking; cancelling the returned future stops the transfer and removes
     * the temporary file.
     */
    public static CompletableFuture<RawResponse<Long>> runAsync(CallEngine engine, String fileId, Path target,
                                                                RequestOptions options) {
        FileDownload download = new FileDownload(fileId, target);
        CompletableFuture<RawResponse<Long>> result = new CompletableFuture<>();
        CompletableFuture<RawResponse<Long>> transfer;
        try {
            transfer = engine.executeAsync(download.call(), options);
        } catch (RuntimeException e) {
            download.abandon();
            throw e;
        }
        new Steps(result).follow(transfer).whenComplete((last, error) -> {
            if (error != null || result.isDone()) {
                download.abandon();
                if (error != null) {
                    result.completeExceptionally(Steps.unwrap(error));
                }
                return;
            }
            try {
                download.moveIntoPlace();
                result.complete(last);
            } catch (RuntimeException e) {
                download.abandon();
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    ApiCall<Long> call() {
        ApiCall<Long> call = ApiCall.reading("files.download", FilesApi.class, this::read,
                (api, onBehalfOf) -> api.getFileContent(fileId, onBehalfOf, null));
        return call.eachAttempt(this::resumeFrom).alsoAnswering(FileDownload::isPastTheEnd);
    }

    /** A 416 to a resume: the range asked for starts at or past the end of the file. */
    private static boolean isPastTheEnd(Response response) {
        return response.code() == 416 && response.request().header("Range") != null;
    }

    /** Every attempt after bytes have arrived asks for the rest only. */
    private Request resumeFrom(Request request) {
        long from = written;
        return from == 0 ? request : request.newBuilder().header("Range", "bytes=" + from + "-").build();
    }

    /** Reads one attempt's body onto the part file; an I/O failure of the connection is resumed by the next attempt. */
    private Long read(Response response) throws IOException {
        if (response.code() == 416) {
            return acceptEnd(response);
        }
        ResponseBody body = response.body();
        InputStream in = body.byteStream();
        if (response.code() == 206) {
            acceptRange(response);
        } else {
            long length = body.contentLength();
            if (length >= 0) {
                knowSize(response, length);
            }
            skip(in, written);
        }
        byte[] buffer = new byte[BUFFER];
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.APPEND)) {
            int n;
            while ((n = readSome(in, buffer)) > 0) {
                write(out, buffer, n);
                written += n;
            }
        } finally {
            if (abandoned) {
                deletePart();
            }
        }
        if (size >= 0 && written != size) {
            throw new IOException("the body ended after " + written + " of " + size + " bytes");
        }
        return written;
    }

    /** Reads from the connection; past the whole file, a failure closing the stream no longer matters. */
    private int readSome(InputStream in, byte[] buffer) throws IOException {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            if (size >= 0 && written == size) {
                return -1;
            }
            throw e;
        }
    }

    /** A disk failure is not the connection's: it ends the download at once instead of being retried. */
    private void write(OutputStream out, byte[] buffer, int n) {
        try {
            out.write(buffer, 0, n);
        } catch (IOException e) {
            throw new Mka1IoException("could not write the download of " + fileId + " to " + part + ": " + e, e);
        }
    }

    private void acceptRange(Response response) {
        String header = response.header("Content-Range");
        Matcher range = header == null ? null : CONTENT_RANGE.matcher(header.trim());
        if (range == null || !range.matches() || Long.parseLong(range.group(1)) != written) {
            throw new InvalidResponseException(206, "asked for bytes from " + written + " on, got Content-Range "
                    + (header == null ? "none" : "'" + header + "'"), null, null);
        }
        if (!range.group(3).equals("*")) {
            knowSize(response, Long.parseLong(range.group(3)));
        }
    }

    /** Nothing after the bytes on disk: the download is complete if the file has exactly as many. */
    private Long acceptEnd(Response response) {
        String header = response.header("Content-Range");
        Matcher end = header == null ? null : UNSATISFIED_RANGE.matcher(header.trim());
        if (end == null || !end.matches() || Long.parseLong(end.group(1)) != written) {
            throw new InvalidResponseException(416, "asked for bytes from " + written + " on, got Content-Range "
                    + (header == null ? "none" : "'" + header + "'"), null, null);
        }
        knowSize(response, written);
        return written;
    }

    private void knowSize(Response response, long total) {
        if (size >= 0 && size != total) {
            throw new InvalidResponseException(response.code(), "the file's size changed during the download, from "
                    + size + " to " + total + " bytes", null, null);
        }
        size = total;
    }

    /** Skips what is already on disk in the body of a server that sent the whole file again. */
    private static void skip(InputStream in, long count) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("the body ended before byte " + count + ", where the download resumes");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    void moveIntoPlace() {
        try {
            AtomicFiles.moveIntoPlace(part, target);
        } catch (IOException e) {
            throw new Mka1IoException("downloaded " + fileId + " but could not move it to " + target + ": " + e, e);
        }
    }

    void abandon() {
        abandoned = true;
        deletePart();
    }

    private void deletePart() {
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            // Nothing more to do: the target was never touched.
        }
    }
}
