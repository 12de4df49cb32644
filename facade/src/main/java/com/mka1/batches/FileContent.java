package com.mka1.batches;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
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
    private final InputStream stream;

    FileContent(Response response) {
        this.response = response;
        this.body = response.body();
        this.stream = new BodyStream(body.byteStream());
    }

    /**
     * @return the body, read from the connection as it is read; the same stream on every call.
     *     Its reads (and its close) fail with an {@link java.io.IOException} only.
     */
    public InputStream inputStream() {
        return stream;
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

    /** Releases the connection; reading the stream afterwards fails. Idempotent; never throws. */
    @Override
    public void close() {
        try {
            response.close();
        } catch (RuntimeException e) {
            // The stream is abandoned either way; a failure to drain or release it is not the caller's.
        }
    }

    /**
     * The connection's stream, whose failures are all {@link IOException}s: an I/O library that
     * throws anything else (okio's {@link IllegalArgumentException} for a broken length, say) is
     * turned into one, as {@link FileContent} promises.
     */
    private static final class BodyStream extends FilterInputStream {
        BodyStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (RuntimeException e) {
                throw failed(e);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, buffer.length); // the caller's mistake stays theirs
            try {
                return super.read(buffer, offset, length);
            } catch (RuntimeException e) {
                throw failed(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (RuntimeException e) {
                throw failed(e);
            }
        }

        @Override
        public int available() throws IOException {
            try {
                return super.available();
            } catch (RuntimeException e) {
                throw failed(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (RuntimeException e) {
                throw failed(e);
            }
        }

        private static IOException failed(RuntimeException e) {
            return new IOException(
                    "reading the file's content failed: " + e.getClass().getName(), e);
        }
    }

    @Override
    public String toString() {
        return "FileContent{contentType=" + contentType().orElse("none") + ", contentLength="
                + (contentLength().isPresent() ? String.valueOf(contentLength().getAsLong()) : "unknown") + '}';
    }
}
