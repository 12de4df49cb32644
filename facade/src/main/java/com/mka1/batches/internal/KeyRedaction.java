package com.mka1.batches.internal;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import okhttp3.Headers;
import okhttp3.Response;

/**
 * Removes one client's API key from text the server sent back before it reaches a message, an
 * exception's accessor, a listener or a log line: a server (or a proxy) may echo the key anywhere
 * ({@code "Incorrect API key provided: <key>"}, a header, an HTML page). Looked for are the key
 * as it is (so its {@code Bearer} form too), percent-encoded (either case of hex digit, as in a URL
 * echoed back), and as it is written inside a JSON string; each occurrence becomes
 * {@value #MARKER}. Any shape of key is found, not only one that looks like a key.
 *
 * <p>A key shorter than {@value #MIN_LENGTH} characters is not looked for: no real key is that
 * short, and such a string would match ordinary words of a message and mangle it.
 *
 * <p>The engine makes one per client and tags every request with it, so that whatever reads a
 * response (an error mapping, a body reader) can find it: {@link #of(Response)}.
 */
public final class KeyRedaction {
    /** What an occurrence of the key becomes. */
    public static final String MARKER = "[redacted]";

    static final int MIN_LENGTH = 8;
    /** Finds nothing: for a client without a key to hide (and tests). */
    static final KeyRedaction NONE = new KeyRedaction(List.of());

    private final List<String> forms;

    private KeyRedaction(List<String> forms) {
        this.forms = forms;
    }

    /** @return the redaction of {@code apiKey} */
    static KeyRedaction of(String apiKey) {
        if (apiKey == null || apiKey.length() < MIN_LENGTH) {
            return NONE;
        }
        Set<String> forms = new LinkedHashSet<>();
        forms.add(apiKey);
        String encoded = URLEncoder.encode(apiKey, StandardCharsets.UTF_8);
        forms.add(encoded);
        forms.add(lowerHex(encoded));
        String jsonString = Json.GSON.toJson(apiKey);
        forms.add(jsonString.substring(1, jsonString.length() - 1));
        forms.add(jsonString.substring(1, jsonString.length() - 1).replace("/", "\\/"));
        return new KeyRedaction(new ArrayList<>(forms));
    }

    /** @return the redaction of the client that sent {@code response}'s request; one that finds nothing if untagged */
    public static KeyRedaction of(Response response) {
        KeyRedaction tagged = response.request().tag(KeyRedaction.class);
        return tagged == null ? NONE : tagged;
    }

    private static String lowerHex(String encoded) {
        StringBuilder lower = new StringBuilder(encoded);
        for (int i = encoded.indexOf('%'); i >= 0; i = encoded.indexOf('%', i + 1)) {
            for (int j = i + 1; j <= i + 2 && j < lower.length(); j++) {
                lower.setCharAt(j, Character.toLowerCase(lower.charAt(j)));
            }
        }
        return lower.toString();
    }

    /** @return whether {@code text} holds the key in any of its forms */
    public boolean isIn(String text) {
        if (text == null) {
            return false;
        }
        for (String form : forms) {
            if (text.contains(form)) {
                return true;
            }
        }
        return false;
    }

    /** @return {@code text} without the key, {@code null} for {@code null} */
    public String apply(String text) {
        if (!isIn(text)) {
            return text;
        }
        String clean = text;
        for (String form : forms) {
            clean = clean.replace(form, MARKER);
        }
        return clean;
    }

    /**
     * Like {@link #apply(String)}, for text that may be the start of a longer one (a body read up
     * to a limit): a key cut off at its end, its first {@value #MIN_LENGTH} characters or more, is
     * removed too.
     *
     * @return {@code text} without the key, {@code null} for {@code null}
     */
    public String applyToStart(String text) {
        String clean = apply(text);
        if (clean == null || forms.isEmpty()) {
            return clean;
        }
        String key = forms.get(0);
        for (int length = Math.min(key.length() - 1, clean.length()); length >= MIN_LENGTH; length--) {
            if (clean.endsWith(key.substring(0, length))) {
                return clean.substring(0, clean.length() - length) + MARKER;
            }
        }
        return clean;
    }

    /** @return the headers with the key removed from every value; the same headers if none holds it */
    public Headers apply(Headers headers) {
        boolean found = false;
        for (int i = 0; i < headers.size() && !found; i++) {
            found = isIn(headers.value(i));
        }
        if (!found) {
            return headers;
        }
        Headers.Builder clean = new Headers.Builder();
        for (int i = 0; i < headers.size(); i++) {
            clean.addUnsafeNonAscii(headers.name(i), apply(headers.value(i)));
        }
        return clean.build();
    }

    /** @return whether the message of {@code failure}, or of one of its causes, holds the key */
    public boolean isIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isIn(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return {@code failure} itself if no message of it or its causes holds the key, else an
     *     {@link IOException} of the same stack trace whose message is its {@code toString()}
     *     redacted, without the causes (their messages hold the key)
     */
    public IOException apply(IOException failure) {
        if (!isIn(failure)) {
            return failure;
        }
        IOException clean = new IOException(apply(failure.toString()));
        clean.setStackTrace(failure.getStackTrace());
        return clean;
    }
}
