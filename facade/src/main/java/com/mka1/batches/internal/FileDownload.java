package com.mka1.batches.internal;

import com.mka1.batches.RawResponse;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.errors.LocalFileException;
import com.mka1.batches.internal.api.FilesApi;
import java.io.IOException;
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
import okio.Buffer;
import okio.BufferedSource;

/**
 * One download of a file's content to a path, resuming where a broken connection left it, and
 * never mixing two versions of the file.
 *
 * <p>The bytes go to a temporary file beside the target ({@code .<name>.<random>.part}), moved
 * into place only once complete, so the target never holds part of the file; the temporary file
 * is removed when the download gives up. The answer that brought the first bytes gives the
 * version's validator: its {@code ETag} if strong, else its {@code Last-Modified} (a weak
 * {@code W/} tag can't say two files are the same byte for byte). Each attempt after bytes have
 * arrived asks for {@code Range: bytes=N-}, N being the bytes on disk, with {@code If-Range: <the
 * validator>} so that a server whose file has changed sends the new version whole. Then:
 * <ul>
 * <li>a {@code 206} of the same version (the same validator, or none was given at first) is
 *     appended;
 * <li>a {@code 206} of another version (another validator, or none where one was given) can't be
 *     appended: the bytes on disk are discarded and the attempt fails, so the next one, a retry
 *     of the call, asks for the whole file from byte 0;
 * <li>a {@code 200} is the whole current file (a server that heeds {@code If-Range}, or ignores
 *     {@code Range}): it is written from byte 0 over what was on disk, never skipped into, since
 *     without a validator nothing says it is the version on disk;
 * <li>a {@code 416} whose {@code Content-Range: bytes *}{@code /size} is N says every byte is on
 *     disk already (a body of unknown length, chunked or compressed, broken after its last byte),
 *     unless it gives another validator: then the file starts again like a 206 of another
 *     version.
 * </ul>
 * Every attempt is an attempt of the one call, so resumes and restarts count against its retry
 * budget. The size on disk is checked against what the server said for this version
 * ({@code Content-Length}, or the total of {@code Content-Range}); a body that ends short is a
 * broken connection, resumed like any other. A failure of the local disk (creating, writing or
 * moving the file) is a {@link LocalFileException}, at once, not retried.
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
    /**
     * A strong entity tag: quoted, visible ASCII only (so it can be sent back as a header as it
     * came), and not so long that it is no tag.
     */
    private static final Pattern STRONG_ETAG = Pattern.compile("\"[\\x21\\x23-\\x7e]{0,1024}\"");
    /** A {@code Last-Modified} date sent back as it came: visible ASCII and spaces, of a date's length. */
    private static final Pattern DATE = Pattern.compile("[\\x20-\\x7e]{1,64}");

    /** The most bytes taken from the connection at a time (it gives what it has, a segment or so). */
    private static final int BUFFER = 64 * 1024;
    /** At most 4 bytes a character in UTF-8 (a surrogate pair is 2 of them): 60 stay within 180 bytes. */
    private static final int PART_NAME_CHARS = 60;

    private final String fileId;
    private final Path target;
    private final Path part;
    /** Bytes on disk in {@link #part}; written only by the attempt reading, one at a time. */
    private volatile long written;
    /** The file's size as the server gave it, or -1 while unknown. */
    private volatile long size = -1;
    /** The version of the bytes on disk, or {@code null} while there are none or the server gave none. */
    private volatile Validator validator;
    /** Set once the download has given up: an attempt still writing removes the part file when it stops. */
    private volatile boolean abandoned;

    /** Package-private, like {@link #call()}, {@link #moveIntoPlace()} and {@link #abandon()}: for FileDownloadFuzzTest. */
    FileDownload(String fileId, Path target) {
        this.fileId = Checks.fileId(fileId);
        Objects.requireNonNull(target, "target == null");
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException(
                    "target " + target + " is a directory; give the path of the file to write");
        }
        this.target = target.toAbsolutePath();
        Path dir = this.target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the directory of target " + target + " does not exist");
        }
        try {
            this.part = Files.createTempFile(
                    dir, "." + shortened(this.target.getFileName().toString()) + ".", ".part");
        } catch (IOException e) {
            throw new LocalFileException(
                    LocalFileException.Operation.CREATE,
                    dir,
                    "a temporary file for the download of " + fileId + " in",
                    e);
        }
    }

    /**
     * The target's name as the temporary file's prefix, cut to {@value #PART_NAME_CHARS} characters:
     * with the random number and the suffix, a longer one could pass the file system's limit of 255
     * bytes for a name the target itself stays within.
     */
    private static String shortened(String name) {
        if (name.length() <= PART_NAME_CHARS) {
            return name;
        }
        int end = Character.isHighSurrogate(name.charAt(PART_NAME_CHARS - 1)) ? PART_NAME_CHARS - 1 : PART_NAME_CHARS;
        return name.substring(0, end);
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
    // whenComplete registers a listener; the stage it returns is dropped on purpose: nothing
    // waits on the listener, which has no result to give.
    @SuppressWarnings("FutureReturnValueIgnored")
    public static CompletableFuture<RawResponse<Long>> runAsync(
            CallEngine engine, String fileId, Path target, RequestOptions options) {
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
        ApiCall<Long> call = ApiCall.reading(
                "files.download",
                FilesApi.class,
                this::read,
                (api, onBehalfOf) -> api.getFileContent(fileId, onBehalfOf, null));
        return call.eachAttempt(this::resumeFrom).alsoAnswering(FileDownload::isPastTheEnd);
    }

    /** A 416 to a resume: the range asked for starts at or past the end of the file. */
    private static boolean isPastTheEnd(Response response) {
        return response.code() == 416 && response.request().header("Range") != null;
    }

    /** Every attempt after bytes have arrived asks for the rest only, of the version on disk only. */
    private Request resumeFrom(Request request) {
        long from = written;
        if (from == 0) {
            return request;
        }
        Request.Builder resume = request.newBuilder().header("Range", "bytes=" + from + "-");
        Validator version = validator;
        if (version != null) {
            resume.header("If-Range", version.value);
        }
        return resume.build();
    }

    /** Reads one attempt's body onto the part file; an I/O failure of the connection is resumed by the next attempt. */
    private Long read(Response response) throws IOException {
        if (response.code() == 416) {
            return acceptEnd(response);
        }
        ResponseBody body = response.body();
        if (response.code() == 206) {
            if (written > 0) {
                holdToVersion(response, true);
            }
            acceptRange(response);
        } else {
            // The whole current file: from byte 0, whatever was on disk.
            forgetVersion();
            long length = body.contentLength();
            if (length >= 0) {
                knowSize(response, length);
            }
        }
        if (written == 0) {
            validator = Validator.of(response);
        }
        writeBody(body.source());
        if (size >= 0 && written != size) {
            throw new IOException("the body ended after " + written + " of " + size + " bytes");
        }
        return written;
    }

    /**
     * Appends the body to the bytes on disk ({@link #written} of them; none: the part file is emptied first).
     *
     * <p>The bytes go from OkHttp's buffer segments straight to the file, as Okio's own
     * {@code writeAll} moves them: no array of ours to copy them through.
     */
    // One writer at a time (see the field): the += cannot race; volatile only publishes the count.
    @SuppressWarnings("NonAtomicVolatileUpdate")
    private void writeBody(BufferedSource in) throws IOException {
        try {
            OutputStream out = openPart();
            try {
                Buffer chunk = new Buffer();
                long n;
                while ((n = readSome(in, chunk)) > 0) {
                    write(chunk, out);
                    written += n;
                }
            } catch (IOException | RuntimeException e) {
                closeQuietly(out);
                throw e; // an IOException is the connection's: resumed by the next attempt
            }
            try {
                out.close();
            } catch (IOException e) {
                throw diskFailure(e);
            }
        } finally {
            if (abandoned) {
                deletePart();
            }
        }
    }

    /**
     * Opens the part file to append to, or emptied when nothing of it counts. Not through a
     * {@code FileChannel} of ours: an interrupt would close it and fail the write as if the disk
     * had; the stream {@link Files#newOutputStream} makes is not interruptible.
     *
     * <p>An empty part file (the first attempt's) is opened without
     * {@link StandardOpenOption#TRUNCATE_EXISTING}: on ext4 (with its default {@code auto_da_alloc}),
     * truncating an existing file, even an empty one, marks it so that its close starts the
     * write-back of every byte written, in the closing thread: a gigabyte would go to the disk at
     * once instead of staying in the page cache like any file written from scratch. Only a restart
     * after bytes were written truncates.
     */
    private OutputStream openPart() {
        try {
            if (written > 0) {
                return Files.newOutputStream(part, StandardOpenOption.APPEND);
            }
            return Files.newOutputStream(
                    part, Files.size(part) > 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw diskFailure(e);
        }
    }

    /**
     * Reads what the connection has (a segment or so) into {@code chunk}; past the whole file, a
     * failure closing the stream no longer matters.
     *
     * @return the bytes read, or -1 at the body's end
     */
    private long readSome(BufferedSource in, Buffer chunk) throws IOException {
        try {
            return in.read(chunk, BUFFER);
        } catch (IOException e) {
            if (size >= 0 && written == size) {
                return -1;
            }
            throw e;
        }
    }

    /** A disk failure is not the connection's: it ends the download at once instead of being retried. */
    private void write(Buffer chunk, OutputStream out) {
        try {
            chunk.writeTo(out);
        } catch (IOException e) {
            throw diskFailure(e);
        }
    }

    private LocalFileException diskFailure(IOException e) {
        return new LocalFileException(LocalFileException.Operation.WRITE, part, "the download of " + fileId + " to", e);
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            // The failure that matters is already on its way.
        }
    }

    /**
     * A resume's answer must be of the version on disk: else those bytes are discarded and this
     * attempt fails, so that the next asks for the whole file.
     *
     * @param required whether an answer without the validator is another version too (a 206 must
     *     carry it: it is a representation; a 416 need not)
     */
    private void holdToVersion(Response response, boolean required) throws IOException {
        Validator version = validator;
        if (version == null) {
            return; // nothing to compare: the size is all that can be checked
        }
        String now = response.header(version.header);
        if (now == null ? !required : now.equals(version.value)) {
            return;
        }
        forgetVersion();
        throw new IOException(
                "the file changed on the server during the download (" + version.header + " " + shown(version.value)
                        + ", then " + (now == null ? "none" : shown(now)) + "): it starts again from byte 0");
    }

    /** A validator as a message shows it: visible ASCII only, and short (the server chose it). */
    private static String shown(String value) {
        String visible = value.replaceAll("[^\\x20-\\x7e]", "?");
        return visible.length() <= 64 ? visible : visible.substring(0, 64) + "…";
    }

    /** The bytes on disk are no longer the file's: the next body is written from byte 0, its size and version its own. */
    private void forgetVersion() {
        written = 0;
        size = -1;
        validator = null;
    }

    private void acceptRange(Response response) {
        String header = response.header("Content-Range");
        Matcher range = header == null ? null : CONTENT_RANGE.matcher(header.trim());
        if (range == null || !range.matches() || Long.parseLong(range.group(1)) != written) {
            throw new InvalidResponseException(
                    206,
                    "asked for bytes from " + written + " on, got Content-Range " + quoted(response, header),
                    null,
                    null);
        }
        if (!range.group(3).equals("*")) {
            knowSize(response, Long.parseLong(range.group(3)));
        }
    }

    /** A header the server sent, as a message shows it: the client's key removed, if the server echoed it there. */
    private static String quoted(Response response, String header) {
        return header == null ? "none" : "'" + KeyRedaction.of(response).apply(header) + "'";
    }

    /** Nothing after the bytes on disk: the download is complete if the file has exactly as many. */
    private Long acceptEnd(Response response) throws IOException {
        holdToVersion(response, false);
        String header = response.header("Content-Range");
        Matcher end = header == null ? null : UNSATISFIED_RANGE.matcher(header.trim());
        if (end == null || !end.matches() || Long.parseLong(end.group(1)) != written) {
            throw new InvalidResponseException(
                    416,
                    "asked for bytes from " + written + " on, got Content-Range " + quoted(response, header),
                    null,
                    null);
        }
        knowSize(response, written);
        return written;
    }

    private void knowSize(Response response, long total) {
        if (size >= 0 && size != total) {
            throw new InvalidResponseException(
                    response.code(),
                    "the file's size changed during the download, from " + size + " to " + total + " bytes",
                    null,
                    null);
        }
        size = total;
    }

    void moveIntoPlace() {
        try {
            AtomicFiles.moveIntoPlace(part, target);
        } catch (IOException e) {
            throw new LocalFileException(
                    LocalFileException.Operation.MOVE, target, "the download of " + fileId + " to", e);
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

    /** What tells one version of the file from another: a header's name and its value, sent back in {@code If-Range}. */
    private static final class Validator {
        final String header;
        final String value;

        private Validator(String header, String value) {
            this.header = header;
            this.value = value;
        }

        /** @return the strong {@code ETag} of the answer, else its {@code Last-Modified}, or {@code null} */
        static Validator of(Response response) {
            String etag = response.header("ETag");
            if (etag != null && STRONG_ETAG.matcher(etag).matches()) {
                return new Validator("ETag", etag);
            }
            String lastModified = response.header("Last-Modified");
            if (lastModified != null && DATE.matcher(lastModified).matches()) {
                return new Validator("Last-Modified", lastModified);
            }
            return null;
        }
    }
}
