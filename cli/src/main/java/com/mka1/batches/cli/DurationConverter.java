package com.mka1.batches.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code 500ms}, {@code 2s}, {@code 10m}, {@code 25h}, combinations such as {@code 1m30s},
 * or ISO-8601 ({@code PT1M}) as a positive duration; {@link #format} writes a duration back in the
 * short form, which is how the tool prints every duration.
 */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(?:\\d+(?:ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        Duration duration = read(value);
        if (duration.isZero()) {
            throw new TypeConversionException("'" + value + "' must be a positive duration");
        }
        return duration;
    }

    /** Like {@link DurationConverter}, and {@code 0s} too: for a setting that zero turns off. */
    static final class OrZero implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return read(value);
        }
    }

    /** @return the duration {@code value} says, zero or more */
    private static Duration read(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        Duration duration;
        if (SHORT.matcher(text).matches()) {
            duration = Duration.ZERO;
            Matcher part = PART.matcher(text);
            try {
                while (part.find()) {
                    duration = duration.plus(part(Long.parseLong(part.group(1)), part.group(2)));
                }
            } catch (ArithmeticException | NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is too long a duration");
            }
        } else {
            try {
                duration = Duration.parse(text.toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new TypeConversionException("'" + value + "' is not a duration such as 500ms, 2s, 10m or 1h");
            }
        }
        if (duration.isNegative()) {
            throw new TypeConversionException("'" + value + "' must not be negative");
        }
        return duration;
    }

    private static Duration part(long amount, String unit) {
        switch (unit) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            default:
                return Duration.ofHours(amount);
        }
    }

    /**
     * A duration as people write it and as {@link #convert} reads it: {@code 500ms}, {@code 3s},
     * {@code 1m30s}, {@code 25h}; zero is {@code 0s}. Below a millisecond is dropped.
     */
    static String format(Duration duration) {
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        long hours = duration.toHours();
        long minutes = duration.toMinutes() % 60;
        long seconds = duration.toSeconds() % 60;
        long millis = duration.toMillis() % 1000;
        StringBuilder text = new StringBuilder();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0) {
            text.append(minutes).append('m');
        }
        if (seconds > 0) {
            text.append(seconds).append('s');
        }
        if (millis > 0) {
            text.append(millis).append("ms");
        }
        return text.length() == 0 ? "0s" : text.toString();
    }
}
