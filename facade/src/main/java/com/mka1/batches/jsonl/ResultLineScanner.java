package com.mka1.batches.jsonl;

/**
 * The fast read of one result line: a single pass over its characters, by hand, that takes the
 * members a {@link BatchResult} keeps and checks (without keeping) everything else, the body
 * included, without recursion. Besides itself it allocates only the strings it keeps.
 *
 * <p>It is a fast path only. It takes a line only when it is sure the strict tree parse
 * ({@link BatchResult#parseTree}) would take it too, with the same values, and otherwise says so
 * ({@link #scan} returns false) and leaves the line to the tree parse, which reads or rejects it
 * with its reason. So it reads strict JSON by the grammar of RFC 8259 and nothing more:
 * <ul>
 *   <li>between tokens, spaces only (a tab, {@code \r} or any other character is not for it), and
 *       nothing but spaces after the line's object;</li>
 *   <li>strings without a control character, with the escapes {@code \" \\ \/ \b \f \n \r \t}
 *       and a backslash, {@code u} and four hex digits only; the names of the members of the
 *       objects it interprets (the line's, {@code response}, {@code error}) without any escape
 *       (one could spell a name it reads);</li>
 *   <li>numbers by the JSON grammar (no leading zero, no {@code +}), at most
 *       {@value #MAX_NUMBER_LENGTH} characters (Gson's strict reader gives up on a number longer
 *       than its buffer) and {@value #MAX_INTEGER_DIGITS} digits before a point or an exponent
 *       (Gson refuses some longer ones); literals {@code true}, {@code false}, {@code null} in lower case;</li>
 *   <li>{@code response.status_code} a plain integer that fits an {@code int}, or null;
 *       {@code id}, {@code custom_id}, {@code request_id}, {@code code}, {@code message} strings
 *       or null; {@code response}, {@code error}, {@code response.body} objects or null; a
 *       {@code custom_id};</li>
 *   <li>values it skips (the body, unknown members) nested at most {@value #MAX_SKIP_DEPTH} deep
 *       within themselves, well below Gson's nesting limit of 255: skipped iteratively, a bit per
 *       level saying object or array.</li>
 * </ul>
 * A member given twice counts as its last, as in the tree (the tree checks only the last one's
 * type; here each must fit, or the line goes to the tree). Not thread-safe: one per line.
 */
final class ResultLineScanner {
    /** The deepest a skipped value may nest within itself: the bits of a {@code long}. */
    static final int MAX_SKIP_DEPTH = 64;
    /** The longest number taken; Gson's strict reader refuses one of 1024 characters or more. */
    static final int MAX_NUMBER_LENGTH = 256;
    /**
     * The most digits taken before a number's point or exponent: Gson accumulates them in a
     * {@code long} that wraps around beyond 18, and where that sum wraps to 0 (a multiple of 2^64
     * followed by a digit, such as {@code 184467440737095516160}) it takes the next digit for one
     * after a leading zero and refuses the number (found by {@code JsonlFuzzTest#resultLineScan}).
     */
    static final int MAX_INTEGER_DIGITS = 18;

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

    private final String line;
    private final int end;

    /** Whether the string just passed over ({@link #stringEnd}) had an escape. */
    private boolean escaped;
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
        this.line = line;
        this.end = line.length();
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

    /**
     * Passes over one JSON value of any kind, checking its grammar as strictly as the rest, without
     * recursion: the nesting is a depth and a bit per level (object or array).
     *
     * @param p the index of the value's first character
     * @return the index just past the value, or -1 if it is not for this scanner
     */
    private int skipValue(int p) {
        long objects = 0; // bit d: whether the container d levels down is an object
        int depth = 0;
        while (true) {
            // A value starts at p.
            char c = at(p);
            if (c == '{' || c == '[') {
                if (depth == MAX_SKIP_DEPTH) {
                    return -1;
                }
                boolean object = c == '{';
                objects = object ? objects | 1L << depth : objects & ~(1L << depth);
                depth++;
                p = spaces(p + 1);
                if (at(p) != (object ? '}' : ']')) {
                    if (object) {
                        p = memberValue(p);
                        if (p < 0) {
                            return -1;
                        }
                    }
                    continue; // to its first value
                }
                p++; // empty
                depth--;
            } else if (c == '"') {
                p = stringEnd(p + 1);
                if (p < 0) {
                    return -1;
                }
                p++;
            } else if (c == 't') {
                p = literal("true", p);
            } else if (c == 'f') {
                p = literal("false", p);
            } else if (c == 'n') {
                p = literal("null", p);
            } else {
                p = number(p);
            }
            if (p < 0) {
                return -1;
            }
            // After a value: close the containers that end here, or go on to the next value.
            while (true) {
                if (depth == 0) {
                    return p;
                }
                p = spaces(p);
                boolean object = (objects & 1L << (depth - 1)) != 0;
                char next = at(p);
                if (next == ',') {
                    p = spaces(p + 1);
                    if (object) {
                        p = memberValue(p);
                        if (p < 0) {
                            return -1;
                        }
                    }
                    break;
                }
                if (next != (object ? '}' : ']')) {
                    return -1;
                }
                p++;
                depth--;
            }
        }
    }

    /** Passes over a skipped object's member name and colon; @return the index of its value, or -1 */
    private int memberValue(int p) {
        if (at(p) != '"') {
            return -1;
        }
        p = stringEnd(p + 1);
        if (p < 0) {
            return -1;
        }
        p = spaces(p + 1);
        return at(p) == ':' ? spaces(p + 1) : -1;
    }

    /** @return the index past {@code literal} if it is at {@code p}, else -1 (what follows is the caller's to check) */
    private int literal(String literal, int p) {
        return line.startsWith(literal, p) ? p + literal.length() : -1;
    }

    /** A string's content with its escapes (checked by {@link #stringEnd}) decoded. */
    private String decode(int start, int close) {
        StringBuilder decoded = new StringBuilder(close - start);
        for (int p = start; p < close; p++) {
            char c = line.charAt(p);
            if (c != '\\') {
                decoded.append(c);
                continue;
            }
            c = line.charAt(++p);
            switch (c) {
                case 'u':
                    decoded.append((char) (hex(line.charAt(p + 1)) << 12
                            | hex(line.charAt(p + 2)) << 8
                            | hex(line.charAt(p + 3)) << 4
                            | hex(line.charAt(p + 4))));
                    p += 4;
                    break;
                case 'b':
                    decoded.append('\b');
                    break;
                case 'f':
                    decoded.append('\f');
                    break;
                case 'n':
                    decoded.append('\n');
                    break;
                case 'r':
                    decoded.append('\r');
                    break;
                case 't':
                    decoded.append('\t');
                    break;
                default: // " \ /
                    decoded.append(c);
            }
        }
        return decoded.toString();
    }

    /** @return the character at {@code p}, or 0 past the end (never a character this reads) */
    private char at(int p) {
        return p < end ? line.charAt(p) : 0;
    }

    /** @return the first index from {@code p} that is not a space */
    private int spaces(int p) {
        while (p < end && line.charAt(p) == ' ') {
            p++;
        }
        return p;
    }

    /**
     * Passes over a string's content.
     *
     * @param p the index just past the opening quote
     * @return the index of the closing quote, or -1 if the string is not a strict one; {@link #escaped}
     *     says whether it had an escape
     */
    private int stringEnd(int p) {
        boolean sawEscape = false;
        while (p < end) {
            char c = line.charAt(p);
            if (c == '"') {
                escaped = sawEscape;
                return p;
            }
            if (c < 0x20) {
                return -1;
            }
            if (c == '\\') {
                sawEscape = true;
                p++;
                char e = at(p);
                if (e == 'u') {
                    if (p + 4 >= end) {
                        return -1;
                    }
                    for (int k = p + 1; k <= p + 4; k++) {
                        if (hex(line.charAt(k)) < 0) {
                            return -1;
                        }
                    }
                    p += 4;
                } else if (!(e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r'
                        || e == 't')) {
                    return -1;
                }
            }
            p++;
        }
        return -1;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** @return the index just past a number starting at {@code p}, or -1 if there is none by the JSON grammar */
    private int number(int p) {
        int start = p;
        if (at(p) == '-') {
            p++;
        }
        char c = at(p);
        if (c == '0') {
            p++;
        } else if (c >= '1' && c <= '9') {
            int first = p;
            p = digits(p + 1);
            if (p - first > MAX_INTEGER_DIGITS) {
                return -1;
            }
        } else {
            return -1;
        }
        if (at(p) == '.') {
            int fraction = p + 1;
            p = digits(fraction);
            if (p == fraction) {
                return -1;
            }
        }
        c = at(p);
        if (c == 'e' || c == 'E') {
            p++;
            c = at(p);
            if (c == '+' || c == '-') {
                p++;
            }
            int exponent = p;
            p = digits(exponent);
            if (p == exponent) {
                return -1;
            }
        }
        return p - start <= MAX_NUMBER_LENGTH ? p : -1;
    }

    private int digits(int p) {
        while (p < end) {
            char c = line.charAt(p);
            if (c < '0' || c > '9') {
                break;
            }
            p++;
        }
        return p;
    }
}
