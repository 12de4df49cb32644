package com.mka1.batches.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * JSONL text read the same way everywhere in the library (the input validator, a batch run's
 * input, the result reader) and as the API reads it: a line ends at {@code \n}, one {@code \r}
 * just before it is dropped, and a lone {@code \r} belongs to its line (JSON whitespace there, or
 * an error in that line). {@link java.io.BufferedReader#readLine()} would end a line at a lone
 * {@code \r} too, and so count other lines than the API.
 */
public final class JsonlText {
    /**
     * What {@link #markingMalformed} puts for each byte sequence that is not UTF-8: a lone low
     * surrogate, which decoding UTF-8 never produces otherwise, and which {@link #notUtf8} finds.
     */
    static final char NOT_UTF8 = '\uDC00';

    private JsonlText() {}

    /** @return {@code in} decoded as UTF-8, a sequence that is not UTF-8 read as U+FFFD */
    public static Reader lenient(InputStream in) {
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }

    /** @return {@code in} decoded as UTF-8, a sequence that is not UTF-8 read as a mark {@link #notUtf8} finds */
    public static Reader markingMalformed(InputStream in) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(String.valueOf(NOT_UTF8));
        return new InputStreamReader(in, decoder);
    }

    /**
     * @param line a line
     * @return the index of the first character that is not UTF-8 text (an unpaired surrogate:
     *     bytes that were not UTF-8, or text that has no UTF-8 form), or -1 if there is none
     */
    public static int notUtf8(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < line.length() && Character.isLowSurrogate(line.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The lines of a text, one at a time, with a buffer's memory besides the line. A line that
     * fits in the buffer is made from it directly (what is left of a line at the buffer's end moves
     * to its start before it is refilled); only a longer one is gathered in a builder. Not
     * thread-safe.
     */
    public static final class Lines {
        private final Reader in;
        private final char[] buffer;
        private int pos;
        private int limit;
        private boolean end;

        /** @param in the text; never closed here */
        public Lines(Reader in) {
            this(in, 8192);
        }

        /** With a buffer of {@code bufferSize} characters: tests use a small one to see lines cross it. */
        Lines(Reader in, int bufferSize) {
            this.in = in;
            this.buffer = new char[bufferSize];
        }

        /**
         * @return the next line without its terminator, or {@code null} at the end of the text (a
         *     final {@code \n} does not start a line)
         * @throws IOException if reading the text fails
         */
        public String next() throws IOException {
            StringBuilder longLine = null; // the start of a line longer than the buffer
            int scanned = pos; // [pos, scanned) holds no \n
            while (true) {
                int at = scanned;
                while (at < limit && buffer[at] != '\n') {
                    at++;
                }
                if (at < limit) {
                    int start = pos;
                    pos = at + 1; // past the \n
                    if (longLine != null) {
                        return withoutCr(
                                longLine.append(buffer, start, at - start).toString());
                    }
                    return new String(buffer, start, (at > start && buffer[at - 1] == '\r' ? at - 1 : at) - start);
                }
                // No \n in [pos, limit): make room, and read on.
                if (pos == 0 && limit == buffer.length) {
                    if (longLine == null) {
                        longLine = new StringBuilder(2 * buffer.length);
                    }
                    longLine.append(buffer, 0, limit); // a line longer than the buffer
                    limit = 0;
                } else if (pos > 0) {
                    System.arraycopy(buffer, pos, buffer, 0, limit - pos); // the line's start moves to the buffer's
                    limit -= pos;
                    pos = 0;
                }
                scanned = limit;
                int n = end ? -1 : in.read(buffer, limit, buffer.length - limit);
                if (n < 0) {
                    end = true;
                    if (longLine == null && limit == 0) {
                        return null;
                    }
                    String last = longLine == null
                            ? new String(buffer, 0, limit)
                            : longLine.append(buffer, 0, limit).toString();
                    limit = 0;
                    return withoutCr(last);
                }
                limit += n;
            }
        }

        private static String withoutCr(String line) {
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        }
    }
}
