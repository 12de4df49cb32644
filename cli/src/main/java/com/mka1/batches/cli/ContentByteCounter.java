package com.mka1.batches.cli;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * Counts the bytes of file content as they arrive, for {@code files download}'s progress: an
 * OkHttp network interceptor on the command's client that wraps the body of each successful
 * {@code GET .../content} response. It reports the position in the file the bytes reached, so a
 * resumed attempt ({@code Range: bytes=N-}, answered {@code 206}) continues from N, and one whose
 * server ignored the range (a {@code 200}, whose first N bytes the download skips) counts from 0
 * again. It reports on the thread reading the body, as it reads.
 */
final class ContentByteCounter implements Interceptor {
    private static final Pattern RANGE_START = Pattern.compile("bytes=(\\d+)-.*");
    private static final Pattern CONTENT_RANGE_START = Pattern.compile("bytes (\\d+)-.*");

    /** What the counter reports. */
    interface Listener {
        /** An attempt asked for the rest of the file from {@code offset}, after a connection broke. */
        void resumingFrom(long offset);

        /** The bytes received so far reach {@code position} in the file. */
        void reached(long position);
    }

    private volatile Listener listener;

    /** Reports to {@code listener} from now on. */
    void listen(Listener listener) {
        this.listener = listener;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Response response = chain.proceed(request);
        Listener to = listener;
        ResponseBody body = response.body();
        if (to == null
                || body == null
                || !response.isSuccessful()
                || !"GET".equals(request.method())
                || !request.url().encodedPath().endsWith("/content")) {
            return response;
        }
        Long resumeOffset = start(RANGE_START, request.header("Range"));
        if (resumeOffset != null) {
            to.resumingFrom(resumeOffset);
        }
        long start = 0;
        if (response.code() == 206) {
            Long from = start(CONTENT_RANGE_START, response.header("Content-Range"));
            start = from == null ? 0 : from;
        }
        return response.newBuilder().body(new CountingBody(body, start, to)).build();
    }

    private static Long start(Pattern pattern, String header) {
        if (header == null) {
            return null;
        }
        Matcher matcher = pattern.matcher(header.trim());
        try {
            return matcher.matches() ? Long.parseLong(matcher.group(1)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static final class CountingBody extends ResponseBody {
        private final ResponseBody body;
        private final BufferedSource source;

        CountingBody(ResponseBody body, long start, Listener listener) {
            this.body = body;
            this.source = Okio.buffer(new ForwardingSource(body.source()) {
                private long position = start;

                @Override
                public long read(Buffer sink, long byteCount) throws IOException {
                    long read = super.read(sink, byteCount);
                    if (read > 0) {
                        position += read;
                        listener.reached(position);
                    }
                    return read;
                }
            });
        }

        @Override
        public MediaType contentType() {
            return body.contentType();
        }

        @Override
        public long contentLength() {
            return body.contentLength();
        }

        @Override
        public BufferedSource source() {
            return source;
        }
    }
}
