package com.mka1.batches.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the wait a server asks for: {@code Retry-After-Ms}, else {@code Retry-After} in seconds
 * (fractions allowed, but no exponent, hex or type suffix, which Java's number parsing would take)
 * or as an HTTP date. Negative waits read as zero; waits over an hour are clamped to an hour, so a
 * broken header can't park a call for days.
 */
public final class RetryAfter {
    /** The longest wait believed. */
    public static final Duration MAX = Duration.ofHours(1);
    /** Seconds (or milliseconds) as documented: digits, maybe a fraction, maybe a sign; no exponent or suffix. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

    private RetryAfter() {}

    /**
     * @param header looks up the first value of a response header by name, {@code null} if absent
     * @param now the current time, for an HTTP-date value
     * @return the wait from {@code now}, or empty when the server gave none (or an unreadable one)
     */
    public static Optional<Duration> parse(Function<String, String> header, Instant now) {
        Duration wait = read(header, now);
        if (wait == null) {
            return Optional.empty();
        }
        if (wait.isNegative()) {
            return Optional.of(Duration.ZERO);
        }
        return Optional.of(wait.compareTo(MAX) > 0 ? MAX : wait);
    }

    private static Duration read(Function<String, String> header, Instant now) {
        String millis = header.apply("Retry-After-Ms");
        if (millis != null && NUMBER.matcher(millis.trim()).matches()) {
            return ofSeconds(Double.parseDouble(millis.trim()) / 1000d);
        }
        String value = header.apply("Retry-After");
        if (value == null) {
            return null;
        }
        value = value.trim();
        if (NUMBER.matcher(value).matches()) {
            return ofSeconds(Double.parseDouble(value));
        }
        try {
            ZonedDateTime date = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            return Duration.between(now, date.toInstant());
        } catch (DateTimeParseException notDate) {
            return null;
        }
    }

    /** Seconds as a duration, saturating (the caller clamps); {@code null} for NaN or infinity. */
    private static Duration ofSeconds(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return null;
        }
        return Duration.ofNanos(Math.round(seconds * 1_000_000_000d));
    }
}
