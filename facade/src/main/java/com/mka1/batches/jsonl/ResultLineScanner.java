package com.mka1.batches.jsonl;

/**
 * The fast read of one result line: a single pass over its characters, by hand, that takes the
 * members a {@link BatchResult} keeps and checks (without keeping) everything else, the body
 * included, without recursion. Besides itself it allocates only the strings it keeps.
 *
 * <p>It is a fast path only. It takes a line only when it is sure the strict tree parse
 * ({@link BatchResult#parseTree}) would take it too, with the same values, and otherwise says so
 * ({@link #scan} returns false) and leaves the line to the tree parse, which reads or rejects it
 * with its reason. So it reads strict JSON by the grammar of RFC 8259 and nothing more, its
 * tokens as {@link StrictJsonTokens} passes over them (spaces only between them, strict strings,
 * numbers and literals, skipped values nested at most {@value StrictJsonTokens#MAX_SKIP_DEPTH}
 * deep, well below Gson's nesting limit of 255), and besides:
 * <ul>
 *   <li>nothing but spaces after the line's object;</li>
 *   <li>the names of the members of the objects it interprets (the line's, {@code response},
 *       {@code error}) without any escape (one could spell a name it reads);</li>
 *   <li>{@code response.status_code} a plain integer that fits an {@code int}, or null;
 *       {@code id}, {@code custom_id}, {@code request_id}, {@code code}, {@code message} strings
 *       or null; {@code response}, {@code error}, {@code response.body} objects or null; a
 *       {@code custom_id}.</li>
 * </ul>
 * A member given twice counts as its last, as in the tree (the tree checks only the last one's
 * type; here each must fit, or the line goes to the tree). Not thread-safe: one per line.
 */
final class ResultLineScanner extends StrictJsonTokens {
    /** The levels whose members it reads: the line's object, its {@code response}, its {@code error}. */
    private static final int LINE = 0;

    private static final int RESPONSE = 1;
    private static final int ERROR = 2;

    /** Status codes 100 to 599 boxed once: each line would otherwise box its own (beyond Integer's cache). */
    private static final Integer[] STATUS_CODES = new Integer[500];

    static {
        for (int i = 0; i < STATUS_CODES.length; i++) {
            STATUS_CODES[i] = 100 + i;
        }
    }

    /** The string just read ({@link #stringOrNull}), null for JSON null. */
    private String string;

    private String id;
    private String customId;
    private Integer statusCode;
    private String requestId;
    private boolean hasBody;
    private String errorCode;
    private String errorMessage;

    /** @param line one line, without its terminator */
    ResultLineScanner(String line) {
        super(line);
    }

    /** @return whether the line is taken; its members are then in the getters */
    boolean scan() {
        int p = spaces(0);
        if (at(p) != '{') {
            return false;
        }
        p = object(p + 1, LINE);
        return p >= 0 && spaces(p) == end && customId != null;
    }

    String id() {
        return id;
    }

    String customId() {
        return customId;
    }

    Integer statusCode() {
        return statusCode;
    }

    String requestId() {
        return requestId;
    }

    boolean hasBody() {
        return hasBody;
    }

    String errorCode() {
        return errorCode;
    }

    String errorMessage() {
        return errorMessage;
    }

    /**
     * Reads the members of an object at one of the levels it interprets.
     *
     * @param p the index just past the object's opening brace
     * @param level {@link #LINE}, {@link #RESPONSE} or {@link #ERROR}
     * @return the index just past its closing brace, or -1 if the object is not for this scanner
     */
    private int object(int p, int level) {
        p = spaces(p);
        if (at(p) == '}') {
            return p + 1;
        }
        while (true) {
            if (at(p) != '"') {
                return -1;
            }
            int nameStart = p + 1;
            int nameEnd = stringEnd(nameStart);
            if (nameEnd < 0 || escaped) {
                return -1; // an escape could spell a name this reads: the tree decides
            }
            p = spaces(nameEnd + 1);
            if (at(p) != ':') {
                return -1;
            }
            p = member(level, nameStart, nameEnd - nameStart, spaces(p + 1));
            if (p < 0) {
                return -1;
            }
            p = spaces(p);
            char c = at(p);
            if (c == '}') {
                return p + 1;
            }
            if (c != ',') {
                return -1;
            }
            p = spaces(p + 1);
        }
    }

    /**
     * Reads one member's value, keeping it if it is one of the level's, else skipping it.
     *
     * @param p the index of the value's first character
     * @return the index just past the value, or -1 if it is not for this scanner
     */
    private int member(int level, int nameStart, int nameLength, int p) {
        if (level == LINE) {
            if (isName("custom_id", nameStart, nameLength)) {
                p = stringOrNull(p);
                customId = string;
                return p;
            }
            if (isName("id", nameStart, nameLength)) {
                p = stringOrNull(p);
                id = string;
                return p;
            }
            if (isName("response", nameStart, nameLength)) {
                statusCode = null;
                requestId = null;
                hasBody = false;
                return nullOrObject(p, RESPONSE);
            }
            if (isName("error", nameStart, nameLength)) {
                errorCode = null;
                errorMessage = null;
                return nullOrObject(p, ERROR);
            }
        } else if (level == RESPONSE) {
            if (isName("status_code", nameStart, nameLength)) {
                return statusCode(p);
            }
            if (isName("request_id", nameStart, nameLength)) {
                p = stringOrNull(p);
                requestId = string;
                return p;
            }
            if (isName("body", nameStart, nameLength)) {
                char c = at(p);
                hasBody = c == '{';
                return c == '{' ? skipValue(p) : literal("null", p);
            }
        } else {
            if (isName("code", nameStart, nameLength)) {
                p = stringOrNull(p);
                errorCode = string;
                return p;
            }
            if (isName("message", nameStart, nameLength)) {
                p = stringOrNull(p);
                errorMessage = string;
                return p;
            }
        }
        return skipValue(p);
    }

    private boolean isName(String name, int nameStart, int nameLength) {
        return nameLength == name.length() && line.startsWith(name, nameStart);
    }

    /** @return the index past a JSON null, or past an object read at {@code level}; -1 for anything else */
    private int nullOrObject(int p, int level) {
        return at(p) == '{' ? object(p + 1, level) : literal("null", p);
    }

    /** Reads a string, or a JSON null, into {@link #string}; @return the index past it, or -1 for anything else */
    private int stringOrNull(int p) {
        if (at(p) != '"') {
            string = null;
            return literal("null", p);
        }
        int close = stringEnd(p + 1);
        if (close < 0) {
            return -1;
        }
        string = escaped ? decode(p + 1, close) : line.substring(p + 1, close);
        return close + 1;
    }

    /**
     * Reads {@code status_code}: a JSON null, or a plain integer that fits an {@code int}. A
     * fraction or an exponent (which the tree may still take: {@code 2e2}) is not for this scanner.
     *
     * @return the index past the value, or -1
     */
    private int statusCode(int p) {
        if (at(p) == 'n') {
            statusCode = null;
            return literal("null", p);
        }
        int after = number(p);
        if (after < 0) {
            return -1;
        }
        boolean negative = at(p) == '-';
        int first = negative ? p + 1 : p;
        if (after - first > 10) {
            return -1;
        }
        long value = 0;
        for (int i = first; i < after; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        if (negative) {
            value = -value;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            return -1;
        }
        int code = (int) value;
        statusCode = code >= 100 && code < 100 + STATUS_CODES.length ? STATUS_CODES[code - 100] : Integer.valueOf(code);
        return after;
    }
}
