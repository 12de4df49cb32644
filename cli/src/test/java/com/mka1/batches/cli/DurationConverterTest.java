package com.mka1.batches.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The durations {@code wait} accepts. */
class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsShortFormsAndIso() {
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(converter.convert("10M")).isEqualTo(Duration.ofMinutes(10));
        assertThat(converter.convert("25h")).isEqualTo(Duration.ofHours(25));
        assertThat(converter.convert("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void rejectsZeroAndNonsense() {
        assertThatThrownBy(() -> converter.convert("0s")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> converter.convert("-PT1S")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> converter.convert("2 days")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'2 days' is not a duration");
    }
}
