package com.mka1.bench;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.mka1.batches.jsonl.BatchResult;
import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * Result lines read as the facade's {@code BatchResultsReader} would read them without its
 * hand-written {@code ResultLineScanner}: issue 24 asks for Gson's {@link JsonReader} over a
 * reader that does not copy the line, with a reused buffer, to be measured before deciding
 * whether the scanner stays.
 *
 * <p>The text is split into lines in one reused {@code char} buffer (grown for a line longer than
 * it), as the API splits them: at {@code \n}, one {@code \r} before it dropped; blank lines
 * skipped but counted. Each line is read by a strict {@link JsonReader} of its own through a
 * {@link Reader} over the line's range of that buffer: no {@code String} of the line, no
 * {@code StringReader}. It takes what a {@code BatchResult} keeps ({@code id}, {@code custom_id},
 * {@code response.status_code}, {@code response.request_id}, {@code error.code},
 * {@code error.message}, and the line's text when it has a body, to be parsed when asked, as the
 * facade keeps it) and skips the rest, the body included.
 *
 * <p>Gson's {@code skipValue} does not look for control characters inside the strings it skips,
 * which the strict tree parse refuses; so a line holding any character below U+0020 (found by the
 * same loop that looks for the line's end: no pass of its own) goes, like any line the
 * {@code JsonReader} refuses or whose members have other types, to {@link BatchResult#parse}: the
 * strict tree parse, which reads it or throws the facade's exception. Not thread-safe.
 */
final class ResultsThroughJsonReader {
    /** What a {@code BatchResult} keeps of one line. */
    static final class Result {
        final String id;
        final String customId;
        final Integer statusCode;
        final String requestId;
        /** The line, kept when it has a body, which the facade parses from it when asked. */
        final String bodySource;

        final String errorCode;
        final String errorMessage;
        final long lineNumber;

        Result(
                String id,
                String customId,
                Integer statusCode,
                String requestId,
                String bodySource,
                String errorCode,
                String errorMessage,
                long lineNumber) {
            this.id = id;
            this.customId = customId;
            this.statusCode = statusCode;
            this.requestId = requestId;
            this.bodySource = bodySource;
            this.errorCode = errorCode;
            this.errorMessage = errorMessage;
            this.lineNumber = lineNumber;
        }
    }

    /** A line this way does not take: the strict tree parse reads it instead. */
    private static final class NotTaken extends Exception {
        private static final long serialVersionUID = 1L;

        NotTaken() {
            super(null, null, false, false); // no stack trace: a signal, not an error
        }
    }

    private final Reader in;
    private final LineRange view = new LineRange();
    private char[] buffer = new char[8192];
    private int pos;
    private int limit;
    /** [pos, scanned) holds no line end. */
    private int scanned;
    /** The index of the last character below U+0020 seen in [pos, scanned), or -1. */
    private int control = -1;

    private boolean end;
    private long lineNumber;
    /** The lines left to the tree parse. */
    private long treeParsed;

    // The line being read.
    private String id;
    private String customId;
    private Integer statusCode;
    private String requestId;
    private boolean hasBody;
    private String errorCode;
    private String errorMessage;

    /** @param in the JSONL text; never closed here */
    ResultsThroughJsonReader(Reader in) {
        this.in = in;
    }

    /**
     * @return the next result, or {@code null} at the end of the text
     * @throws IOException if reading the text fails
     * @throws com.mka1.batches.errors.JsonlFormatException if a line is not a result line
     */
    Result next() throws IOException {
        while (nextLine()) {
            lineNumber++;
            int start = pos;
            int lineEnd = scanned; // the \n, or the text's end
            boolean hasControl = control >= start;
            pos = scanned = Math.min(lineEnd + 1, limit);
            control = -1;
            if (lineEnd > start && buffer[lineEnd - 1] == '\r') {
                lineEnd--;
                hasControl = hasControl && control(start, lineEnd);
            }
            if (!blank(start, lineEnd)) {
                return read(start, lineEnd, hasControl);
            }
        }
        return null;
    }

    /** @return how many lines so far were left to the strict tree parse (for the test: none of the canned file) */
    long treeParsed() {
        return treeParsed;
    }

    /**
     * Finds the next line's end: afterwards [pos, scanned) is the line and {@code scanned} the
     * index of its {@code \n} (or of the text's end).
     *
     * @return whether there is a line
     */
    private boolean nextLine() throws IOException {
        while (true) {
            int at = scanned;
            char[] chars = buffer;
            while (at < limit) {
                char c = chars[at];
                if (c < 0x20) {
                    if (c == '\n') {
                        scanned = at;
                        return true;
                    }
                    control = at;
                }
                at++;
            }
            scanned = at;
            if (end) {
                return pos < limit;
            }
            if (pos > 0) { // the line's start moves to the buffer's
                System.arraycopy(buffer, pos, buffer, 0, limit - pos);
                limit -= pos;
                scanned -= pos;
                control = control >= pos ? control - pos : -1;
                pos = 0;
            } else if (limit == buffer.length) {
                buffer = Arrays.copyOf(buffer, 2 * buffer.length); // a line longer than the buffer
            }
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                end = true;
            } else {
                limit += n;
            }
        }
    }

    private boolean control(int start, int lineEnd) {
        for (int i = start; i < lineEnd; i++) {
            if (buffer[i] < 0x20) {
                return true;
            }
        }
        return false;
    }

    /** As the facade's reader: a line of whitespace only ({@code String.trim()}'s) is no result. */
    private boolean blank(int start, int lineEnd) {
        for (int i = start; i < lineEnd; i++) {
            if (buffer[i] > ' ') {
                return false;
            }
        }
        return true;
    }

    private Result read(int start, int lineEnd, boolean hasControl) {
        if (!hasControl) {
            try {
                readMembers(new JsonReader(view.over(buffer, start, lineEnd)));
                return new Result(
                        id,
                        customId,
                        statusCode,
                        requestId,
                        hasBody ? new String(buffer, start, lineEnd - start) : null,
                        errorCode,
                        errorMessage,
                        lineNumber);
            } catch (NotTaken | IOException | IllegalStateException | NumberFormatException e) {
                // the tree decides, below
            }
        }
        treeParsed++;
        BatchResult tree = BatchResult.parse(new String(buffer, start, lineEnd - start), lineNumber);
        return new Result(
                tree.id(),
                tree.customId(),
                tree.statusCode(),
                tree.requestId(),
                tree.body() == null ? null : new String(buffer, start, lineEnd - start),
                tree.errorCode(),
                tree.errorMessage(),
                lineNumber);
    }

    /** Reads the line's object, a member given twice counting as its last, as in the tree. */
    private void readMembers(JsonReader json) throws IOException, NotTaken {
        json.setStrictness(Strictness.STRICT);
        id = customId = requestId = errorCode = errorMessage = null;
        statusCode = null;
        hasBody = false;
        json.beginObject();
        while (json.hasNext()) {
            switch (json.nextName()) {
                case "custom_id":
                    customId = stringOrNull(json);
                    break;
                case "id":
                    id = stringOrNull(json);
                    break;
                case "response":
                    statusCode = null;
                    requestId = null;
                    hasBody = false;
                    if (objectOrNull(json)) {
                        readResponse(json);
                    }
                    break;
                case "error":
                    errorCode = null;
                    errorMessage = null;
                    if (objectOrNull(json)) {
                        readError(json);
                    }
                    break;
                default:
                    json.skipValue();
            }
        }
        json.endObject();
        if (json.peek() != JsonToken.END_DOCUMENT || customId == null) {
            throw new NotTaken();
        }
    }

    private void readResponse(JsonReader json) throws IOException, NotTaken {
        json.beginObject();
        while (json.hasNext()) {
            switch (json.nextName()) {
                case "status_code":
                    if (json.peek() == JsonToken.NULL) {
                        json.nextNull();
                        statusCode = null;
                    } else if (json.peek() == JsonToken.NUMBER) {
                        statusCode = json.nextInt();
                    } else {
                        throw new NotTaken();
                    }
                    break;
                case "request_id":
                    requestId = stringOrNull(json);
                    break;
                case "body":
                    hasBody = objectOrNull(json);
                    if (hasBody) {
                        json.skipValue();
                    }
                    break;
                default:
                    json.skipValue();
            }
        }
        json.endObject();
    }

    private void readError(JsonReader json) throws IOException, NotTaken {
        json.beginObject();
        while (json.hasNext()) {
            switch (json.nextName()) {
                case "code":
                    errorCode = stringOrNull(json);
                    break;
                case "message":
                    errorMessage = stringOrNull(json);
                    break;
                default:
                    json.skipValue();
            }
        }
        json.endObject();
    }

    /** A string member, or null; anything else (a number Gson would read as text, say) is not taken. */
    private static String stringOrNull(JsonReader json) throws IOException, NotTaken {
        JsonToken token = json.peek();
        if (token == JsonToken.STRING) {
            return json.nextString();
        }
        if (token == JsonToken.NULL) {
            json.nextNull();
            return null;
        }
        throw new NotTaken();
    }

    /**
     * @return true at an object, which is then the caller's to read or skip (from its opening
     *     brace), false for a null (read)
     */
    private static boolean objectOrNull(JsonReader json) throws IOException, NotTaken {
        JsonToken token = json.peek();
        if (token == JsonToken.NULL) {
            json.nextNull();
            return false;
        }
        if (token != JsonToken.BEGIN_OBJECT) {
            throw new NotTaken();
        }
        return true;
    }

    /** A {@link Reader} over a range of a {@code char} array, read where it is: reused for every line. */
    private static final class LineRange extends Reader {
        private char[] chars;
        private int next;
        private int end;

        Reader over(char[] chars, int start, int end) {
            this.chars = chars;
            this.next = start;
            this.end = end;
            return this;
        }

        @Override
        public int read(char[] into, int offset, int length) {
            if (next >= end) {
                return -1;
            }
            int n = Math.min(length, end - next);
            System.arraycopy(chars, next, into, offset, n);
            next += n;
            return n;
        }

        @Override
        public void close() {
            // the buffer is the line reader's
        }
    }
}
