package com.mka1.batches.sandbox;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one {@code Range} form the content endpoint honours: {@code bytes=N-} or {@code
 * bytes=N-M}. Anything else (several ranges, a suffix {@code bytes=-N}, another unit, N after M)
 * is ignored and the whole file is sent, as RFC 9110 allows.
 */
final class ByteRange {
    private static final Pattern SINGLE = Pattern.compile("^\\s*bytes\\s*=\\s*(\\d{1,18})\\s*-\\s*(\\d{0,18})\\s*$");

    final long first;
    /** Inclusive; null for an open range. */
    final Long last;

    private ByteRange(long first, Long last) {
        this.first = first;
        this.last = last;
    }

    /** The range asked for, or null if the header is absent or of a form this server ignores. */
    static ByteRange parse(String header) {
        if (header == null) {
            return null;
        }
        Matcher matcher = SINGLE.matcher(header);
        if (!matcher.matches()) {
            return null;
        }
        long first = Long.parseLong(matcher.group(1));
        Long last = matcher.group(2).isEmpty() ? null : Long.parseLong(matcher.group(2));
        if (last != null && last < first) {
            return null;
        }
        return new ByteRange(first, last);
    }

    boolean satisfiable(long size) {
        return first < size;
    }

    /** The last byte sent for a file of {@code size} bytes (a range past the end is cut short). */
    long lastFor(long size) {
        return last == null ? size - 1 : Math.min(last, size - 1);
    }
}
