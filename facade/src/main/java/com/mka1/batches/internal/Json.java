package com.mka1.batches.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.EOFException;
import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;

/**
 * The one Gson configuration of the library (immutable, thread-safe, shared by every client) and
 * the one strict way to read JSON from outside: exactly one value, nothing after it, and failures
 * described in our own words, never with Gson's internals or advice.
 */
public final class Json {
    /** Writes requests and JSONL lines; reads responses. HTML characters are written as they are. */
    public static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private static final TypeAdapter<JsonElement> ELEMENTS = GSON.getAdapter(JsonElement.class);

    /**
     * How a generated model's {@code UnknownFieldsAdapterFactory} words a value of the wrong type:
     * it reads its object as a tree, so the reader has moved past the value, and the message
     * carries the full path instead (generated/templates/additional_properties.mustache).
     */
    private static final String MODEL_WRONG_TYPE = "a value of the wrong type at path ";

    private Json() {}

    /** JSON that could not be read; the message says what and where, in plain words. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean noValue;

        MalformedException(String message, Throwable cause) {
            this(message, cause, false);
        }

        private MalformedException(String message, Throwable cause, boolean noValue) {
            super(message, cause);
            this.noValue = noValue;
        }

        /** @return whether the text holds no JSON value at all: it is empty, or JSON whitespace only */
        public boolean noValue() {
            return noValue;
        }
    }

    /**
     * Reads {@code text} strictly as one {@code type}.
     *
     * @return the value, {@code null} for the JSON literal {@code null}
     * @throws MalformedException if the text is not exactly one valid {@code type}
     */
    public static <T> T read(String text, Class<T> type) throws MalformedException {
        return read(new StringReader(text), GSON.getAdapter(type));
    }

    /**
     * Reads {@code text} strictly as one JSON value of any shape.
     *
     * @throws MalformedException if the text is not exactly one valid JSON value
     */
    public static JsonElement parse(String text) throws MalformedException {
        return read(new StringReader(text), ELEMENTS);
    }

    /**
     * Reads {@code in} strictly as one {@code type}, streamed: no more than a buffer is held besides
     * the value.
     *
     * @return the value, {@code null} for the JSON literal {@code null}
     * @throws IOException if {@code in} itself fails (the connection broke, say)
     * @throws MalformedException if the text is not exactly one valid {@code type}
     */
    public static <T> T read(Input in, Class<T> type) throws IOException, MalformedException {
        try {
            return read(in, GSON.getAdapter(type));
        } catch (MalformedException e) {
            if (in.failure != null) {
                throw in.failure; // not the JSON's fault: Gson saw the source fail
            }
            throw e;
        }
    }

    /**
     * Text to read JSON from, remembering its first {@value #HEAD} characters (for a message about
     * it) and its source's failure (so that a broken connection is not taken for malformed JSON).
     */
    public static final class Input extends FilterReader {
        static final int HEAD = 256;
        private final StringBuilder head = new StringBuilder();
        private IOException failure;

        public Input(Reader in) {
            super(in);
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = super.read(buffer, offset, length);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            if (n > 0 && head.length() < HEAD) {
                head.append(buffer, offset, Math.min(n, HEAD - head.length()));
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            char[] one = new char[1]; // Gson reads whole buffers; this is never on a hot path
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        /** @return the first characters read */
        public String head() {
            return head.toString();
        }

        /**
         * The first {@value #HEAD} characters of the text however early its reading stopped (the
         * parser may fail on its first character, before the rest has even been decoded), read on
         * from the source as far as needed. A failure of the source ends that quietly: the text
         * is refused anyway, and what arrived is shown.
         *
         * @return the first characters, as many as the text has up to {@value #HEAD}
         */
        public String headReadingOn() {
            char[] buffer = new char[HEAD];
            try {
                while (head.length() < HEAD && read(buffer, 0, HEAD - head.length()) >= 0) {
                    // read() keeps what it reads in the head
                }
            } catch (IOException e) {
                // show what arrived
            }
            return head();
        }
    }

    private static <T> T read(Reader in, TypeAdapter<T> adapter) throws MalformedException {
        JsonReader reader = new JsonReader(in);
        reader.setStrictness(Strictness.STRICT);
        try {
            if (isEmpty(reader)) {
                throw new MalformedException("no JSON value (the text is empty or JSON whitespace only)", null, true);
            }
            T value = adapter.read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new MalformedException("unexpected content after the JSON value, at " + reader.getPath(), null);
            }
            return value;
        } catch (MalformedException e) {
            throw e;
        } catch (EOFException e) {
            throw new MalformedException("the JSON ends early, at " + reader.getPath(), e);
        } catch (MalformedJsonException e) {
            throw new MalformedException("malformed JSON at " + reader.getPath(), e);
        } catch (NumberFormatException e) {
            throw new MalformedException("a number out of range at " + reader.getPath(), e);
        } catch (IOException | JsonParseException | IllegalStateException | IllegalArgumentException e) {
            // Gson reports a value of the wrong type (a string where an object belongs, say) this way.
            Throwable cause = e.getCause() instanceof IOException ? e.getCause() : e;
            if (String.valueOf(e.getMessage()).startsWith(MODEL_WRONG_TYPE)) {
                // A generated model read its object whole (to keep undeclared fields) and names the path itself.
                throw new MalformedException(
                        "a value of the wrong type at " + e.getMessage().substring(MODEL_WRONG_TYPE.length()), e);
            }
            String what = cause instanceof MalformedJsonException ? "malformed JSON" : "a value of the wrong type";
            throw new MalformedException(what + " at " + reader.getPath(), e);
        }
    }

    /**
     * Whether the text holds no token at all: strict Gson says so with an {@link EOFException} from
     * the first {@code peek()} (which never answers {@code END_DOCUMENT} before a value).
     */
    private static boolean isEmpty(JsonReader reader) throws IOException {
        try {
            JsonToken unused = reader.peek(); // called for its EOFException only
            return false;
        } catch (EOFException e) {
            return true;
        }
    }
}
