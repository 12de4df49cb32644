package com.mka1.batches;

import java.io.IOException;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;

/**
 * OkHttp responses built in memory, for fuzz targets that feed thousands of bodies a second to the
 * code a real response goes through: a body of known or unknown length, optionally cut off by the
 * "connection" after some bytes.
 */
public final class FakeResponses {
    /** The request every fake response answers unless a target gives its own. */
    public static final Request REQUEST =
            new Request.Builder().url("http://localhost/api/v1/llm/test").build();

    private FakeResponses() {}

    /** A response of {@code code} with these headers and body. */
    public static Response response(Request request, int code, Headers headers, ResponseBody body) {
        return new Response.Builder()
                .request(request)
                .protocol(Protocol.HTTP_1_1)
                .code(code)
                .message("fake")
                .headers(headers)
                .body(body)
                .build();
    }

    /**
     * @param bytes what the server sends
     * @param contentType the {@code Content-Type}, or {@code null}
     * @param contentLength what {@link ResponseBody#contentLength()} says: the length of a body with
     *     {@code Content-Length}, -1 for a chunked one
     * @param cutAfter how many bytes arrive before the connection fails, or -1 if it doesn't
     */
    public static ResponseBody body(byte[] bytes, String contentType, long contentLength, long cutAfter) {
        MediaType type = contentType == null ? null : MediaType.parse(contentType);
        BufferedSource source = Okio.buffer(new CutSource(bytes, cutAfter));
        return new ResponseBody() {
            @Override
            public MediaType contentType() {
                return type;
            }

            @Override
            public long contentLength() {
                return contentLength;
            }

            @Override
            public BufferedSource source() {
                return source;
            }
        };
    }

    /** Delivers its bytes, then fails like a reset connection if {@code cutAfter} says so. */
    private static final class CutSource implements Source {
        private final Buffer data = new Buffer();
        private final long cutAfter;
        private long delivered;

        CutSource(byte[] bytes, long cutAfter) {
            data.write(bytes);
            this.cutAfter = cutAfter;
        }

        @Override
        public long read(Buffer sink, long byteCount) throws IOException {
            if (cutAfter >= 0 && delivered >= cutAfter) {
                throw new IOException("connection reset (fake, after " + delivered + " bytes)");
            }
            long limit = cutAfter >= 0 ? Math.min(byteCount, cutAfter - delivered) : byteCount;
            long n = data.read(sink, limit);
            if (n > 0) {
                delivered += n;
            } else if (cutAfter >= 0) {
                throw new IOException("connection reset (fake, after " + delivered + " bytes)");
            }
            return n;
        }

        @Override
        public Timeout timeout() {
            return Timeout.NONE;
        }

        @Override
        public void close() {
            data.clear();
        }
    }
}
