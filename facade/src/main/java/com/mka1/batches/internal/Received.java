package com.mka1.batches.internal;

import com.mka1.batches.errors.Mka1Exception;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.AsyncTimeout;
import okio.BufferedSource;
import okio.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One response read, the same in both drivers: the value of a success (or of another answer of
 * the call), or the bounded prefix of an error body. Invariant: once read, the response is closed
 * unless the call's value holds it open, and a response not read to its end has its call
 * cancelled first (closing would drain the rest, however long).
 */
final class Received<T> {
    private static final Logger LOG = LoggerFactory.getLogger("com.mka1.batches");

    final int code;
    final Headers headers;
    final T value;
    /** The error body's prefix, or {@code null} for a value. */
    final String errorBody;

    private Received(int code, Headers headers, T value, String errorBody) {
        this.code = code;
        this.headers = headers;
        this.value = value;
        this.errorBody = errorBody;
    }

    /**
     * Reads a success (or another answer of the call) with the call's reader, an error body up
     * to its first {@value Responses#MAX_ERROR_BODY} bytes; closes the response unless the
     * call's value holds it open. A response held open leaves the attempt's timeout behind:
     * OkHttp's call timeout would otherwise go on running while the caller reads the stream.
     *
     * @param trace told that the response arrived, or {@code null}
     * @throws IOException if the body can't be read, a RuntimeException while reading it (a bug
     *     in an interceptor, say) included: a failed attempt, in both drivers
     * @throws Mka1Exception if the body is not what the operation answers: final
     */
    static <T> Received<T> read(
            Call httpCall, Response response, ApiCall<T> call, CallTrace trace, KeyRedaction redaction)
            throws IOException {
        if (trace != null) {
            trace.responseArrived(response.code(), redaction.apply(response.header("X-Request-ID")));
        }
        boolean keepOpen = false;
        boolean readToTheEnd = false;
        try {
            if (call.answers(response)) {
                T value = call.reader.read(response);
                keepOpen = call.keepsResponseOpen;
                readToTheEnd = !keepOpen;
                if (keepOpen) {
                    endTimeout(httpCall);
                }
                return new Received<>(response.code(), response.headers(), value, null);
            }
            ResponseBody body = response.body();
            if (body == null) {
                readToTheEnd = true;
                return new Received<>(response.code(), response.headers(), null, "");
            }
            BufferedSource source = body.source();
            readToTheEnd = !source.request(Responses.MAX_ERROR_BODY + 1L);
            long prefix = Math.min(source.getBuffer().size(), Responses.MAX_ERROR_BODY);
            MediaType type = body.contentType();
            Charset charset = type == null ? StandardCharsets.UTF_8 : type.charset(StandardCharsets.UTF_8);
            return new Received<>(
                    response.code(),
                    response.headers(),
                    null,
                    source.getBuffer().readString(prefix, charset));
        } catch (Mka1Exception e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException(
                    "the response could not be read: " + e.getClass().getName(), e);
        } finally {
            if (!keepOpen) {
                close(httpCall, response, readToTheEnd);
            }
        }
    }

    /**
     * Closes a response, first dropping its connection if its body was not read to its end;
     * a failure to close is no failure of the answer, which has been read.
     */
    private static void close(Call httpCall, Response response, boolean readToTheEnd) {
        if (!readToTheEnd) {
            httpCall.cancel();
        }
        try {
            response.close();
        } catch (RuntimeException e) {
            httpCall.cancel();
            LOG.debug("closing a response failed", e);
        }
    }

    /**
     * Ends the per-attempt or overall timeout of a call whose response is handed over open: it
     * covered the wait for the headers; the caller reads the stream at its own pace, each read
     * bounded by the read timeout. (OkHttp's call timeout is an {@link AsyncTimeout}; exiting it
     * early is what OkHttp itself does for web sockets.)
     */
    private static void endTimeout(Call httpCall) {
        Timeout timeout = httpCall.timeout();
        if (timeout instanceof AsyncTimeout) {
            ((AsyncTimeout) timeout).exit();
        }
    }

    /** Releases a value nobody will receive (its call was cancelled) if it holds the response open. */
    void discard() {
        if (value instanceof AutoCloseable) {
            try {
                ((AutoCloseable) value).close();
            } catch (Exception e) {
                LOG.debug("closing a response nobody will read failed", e);
            }
        }
    }
}
