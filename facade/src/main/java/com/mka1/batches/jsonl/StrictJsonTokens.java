package com.mka1.batches.jsonl;

/**
 * The strict JSON grammar of RFC 8259 at the level of tokens, over the characters of one line:
 * where a string, a number, a literal or a whole value that starts at an index ends, whether it is
 * strict JSON, and a string's decoded content. It keeps nothing of what it passes over, and never
 * recurses. {@link ResultLineScanner} reads a result line's members with it; what it accepts is
 * what Gson's strict reader accepts, within the limits below:
 * <ul>
 *   <li>between tokens, spaces only (a tab, {@code \r} or any other character is not taken);</li>
 *   <li>strings without a control character, with the escapes {@code \" \\ \/ \b \f \n \r \t}
 *       and a backslash, {@code u} and four hex digits only;</li>
 *   <li>numbers by the JSON grammar (no leading zero, no {@code +}), at most
 *       {@value #MAX_NUMBER_LENGTH} characters (Gson's strict reader gives up on a number longer
 *       than its buffer) and {@value #MAX_INTEGER_DIGITS} digits before a point or an exponent
 *       (Gson refuses some longer ones); literals {@code true}, {@code false}, {@code null} in lower case;</li>
 *   <li>values passed over nested at most {@value #MAX_SKIP_DEPTH} deep within themselves, a bit
 *       per level saying object or array.</li>
 * </ul>
 * Each method answers -1 for what it does not take. Not thread-safe: one per line.
 */
class StrictJsonTokens {
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

    /** The line read. */
    final String line;
    /** Its length: every index from here on is past the end. */
    final int end;

    /** Whether the string just passed over ({@link #stringEnd}) had an escape. */
    boolean escaped;

    /** @param line one line, without its terminator */
    StrictJsonTokens(String line) {
        this.line = line;
        this.end = line.length();
    }

    /**
     * Passes over one JSON value of any kind, checking its grammar as strictly as the rest, without
     * recursion: the nesting is a depth and a bit per level (object or array).
     *
     * @param p the index of the value's first character
     * @return the index just past the value, or -1 if it is not strict JSON within the limits above
     */
    final int skipValue(int p) {
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
    final int literal(String literal, int p) {
        return line.startsWith(literal, p) ? p + literal.length() : -1;
    }

    /** A string's content with its escapes (checked by {@link #stringEnd}) decoded. */
    final String decode(int start, int close) {
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
    final char at(int p) {
        return p < end ? line.charAt(p) : 0;
    }

    /** @return the first index from {@code p} that is not a space */
    final int spaces(int p) {
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
    final int stringEnd(int p) {
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
    final int number(int p) {
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
