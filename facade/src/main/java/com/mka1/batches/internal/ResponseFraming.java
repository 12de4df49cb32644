package com.mka1.batches.internal;

import java.io.IOException;
import java.net.ProtocolException;
import java.util.List;
import java.util.regex.Pattern;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * The network interceptor that refuses a response whose framing can't be trusted, before anyone
 * reads its body: a {@code Content-Length} that is not a number of bytes ({@code -5},
 * {@code 12abc}, a number too long for a {@code long}), or two of them that disagree. OkHttp
 * would otherwise read such a body with a negative length (its stream then throws
 * {@link IllegalArgumentException} from every read and from {@code close()}) or as a body of
 * unknown length.
 *
 * <p>The refusal is a {@link ProtocolException}: a failed attempt, like a broken connection, retried
 * as the call allows (the next answer may well be framed right). Thrown from here, before the
 * response is handed on, it lets OkHttp drop the exchange and its connection itself, which a
 * response whose close throws never would.
 */
public final class ResponseFraming implements Interceptor {
    /** The one instance: it holds nothing. */
    public static final ResponseFraming INSTANCE = new ResponseFraming();
    /** A length: digits only, at most 18 of them (more would not fit a {@code long}). */
    private static final Pattern LENGTH = Pattern.compile("\\d{1,18}");

    private static final int MAX_SHOWN = 40;

    private ResponseFraming() {}

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        List<String> lengths = response.headers("Content-Length");
        for (String length : lengths) {
            if (!LENGTH.matcher(length.trim()).matches()
                    || !length.trim().equals(lengths.get(0).trim())) {
                // The value is the server's: cut short here; the engine removes the key from messages.
                String shown = String.join(", ", lengths);
                shown = shown.length() <= MAX_SHOWN ? shown : shown.substring(0, MAX_SHOWN) + "…";
                throw new ProtocolException("the response's Content-Length '" + shown + "' is not a length in bytes");
            }
        }
        return response;
    }
}
