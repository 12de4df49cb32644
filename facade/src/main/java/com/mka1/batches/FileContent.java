package com.mka1.batches;

import java.io.Closeable;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The content of a file as it arrives from the server, from {@link FileService#content(String)}:
 * the bytes are read from the connection as {@link #inputStream()} is read, and no more than a
 * buffer is held. Close it (try-with-resources) to release the connection; reading after
 * {@link #close()} fails.
 *
 * <pre>{@code
 * try (FileContent content = client.llm().files().content(fileId);
 *      BufferedReader lines = new BufferedReader(new InputStreamReader(content.inputStream(), UTF_8))) {
 *     lines.lines().forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Unlike {@link FileService#download(String, java.nio.file.Path)}, a stream that breaks
 * midway (or ends before its {@code Content-Length}) is not resumed: the read throws an
 * {@link java.io.IOException}. An answer whose {@code Content-Length} is not a length is refused
 * before the stream is handed over: {@code content()} retries it, then throws
 * {@link com.mka1.batches.errors.Mka1IoException}. The content's size is never capped.
 */
public final class FileContent implements Closeable {
    private final Response response;
    private final ResponseBody body;

    FileContent(Response response) {
        this.response = response;
        this.body = response.body();
    }

    /** @return the body, read from the connection as it is read; the same stream on every call */
    public InputStream inputStream() {
        return body.byteStream();
    }

    /** @return the {@code Content-Type} the server gave, the stored file's type; empty if none */
    public Optional<String> contentType() {
        return Optional.ofNullable(response.header("Content-Type"));
    }

    /**
     * @return the body's length from {@code Content-Length}; empty if the server did not say, or
     *     sent the body compressed (the stream gives it uncompressed, its length known only at its end)
     */
    public OptionalLong contentLength() {
        long length = body.contentLength();
        return length < 0 ? OptionalLong.empty() : OptionalLong.of(length);
    }

    /** Releases the connection; reading the stream afterwards fails. Idempotent. */
    @Override
    public void close() {
        response.close();
    }

    @Override
    public String toString() {
        return "FileContent{contentType=" + contentType().orElse("none") + ", contentLength="
                + (contentLength().isPresent() ? String.valueOf(contentLength().getAsLong()) : "unknown") + '}';
    }
}
