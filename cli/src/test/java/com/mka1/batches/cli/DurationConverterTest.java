package com.mka1.batches.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The durations {@code wait} accepts, and how the tool prints one. */
class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsShortFormsAndIso() {
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(converter.convert("10M")).isEqualTo(Duration.ofMinutes(10));
        assertThat(converter.convert("25h")).isEqualTo(Duration.ofHours(25));
        assertThat(converter.convert("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("1h2m3s4ms")).isEqualTo(Duration.parse("PT1H2M3.004S"));
    }

    @Test
    void printsTheShortFormItReads() {
        assertThat(DurationConverter.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(DurationConverter.format(Duration.ofSeconds(1))).isEqualTo("1s");
        assertThat(DurationConverter.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(DurationConverter.format(Duration.ofHours(25))).isEqualTo("25h");
        assertThat(DurationConverter.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(DurationConverter.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
        assertThat(DurationConverter.format(Duration.ZERO)).isEqualTo("0s");
        for (Duration d :
                new Duration[] {Duration.ofMillis(1), Duration.ofSeconds(3661), Duration.parse("PT26H0.25S")}) {
            assertThat(converter.convert(DurationConverter.format(d)))
                    .as(d.toString())
                    .isEqualTo(d);
        }
    }

    @Test
    void rejectsZeroAndNonsense() {
        assertThatThrownBy(() -> converter.convert("0s"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> converter.convert("-PT1S")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> converter.convert("2 days"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'2 days' is not a duration");
        assertThatThrownBy(() -> converter.convert("99999999999999999999h"))
                .isInstanceOf(TypeConversionException.class);
    }

    @Test
    void orZeroReadsZeroTooForASettingZeroTurnsOff() {
        DurationConverter.OrZero orZero = new DurationConverter.OrZero();

        assertThat(orZero.convert("0s")).isZero();
        assertThat(orZero.convert("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThatThrownBy(() -> orZero.convert("-PT1S"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("must not be negative");
    }
}
