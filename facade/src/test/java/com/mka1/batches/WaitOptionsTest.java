package com.mka1.batches;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WaitOptionsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        WaitOptions defaults = WaitOptions.defaults();

        assertThat(defaults.pollInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(defaults.maxPollInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.backoffMultiplier()).isEqualTo(1.5);
        assertThat(defaults.timeout()).isEqualTo(Duration.ofHours(25));
        assertThat(defaults.outageBudget())
                .isEqualTo(Duration.ofMinutes(30))
                .isEqualTo(WaitOptions.DEFAULT_OUTAGE_BUDGET);
    }

    @Test
    void toBuilderKeepsEveryValue() {
        WaitOptions options = WaitOptions.builder()
                .pollInterval(Duration.ofSeconds(1))
                .maxPollInterval(Duration.ofSeconds(5))
                .backoffMultiplier(3)
                .timeout(Duration.ofMinutes(1))
                .outageBudget(Duration.ofHours(2))
                .onOutage(outage -> {})
                .build();

        WaitOptions copy = options.toBuilder().build();

        assertThat(copy).usingRecursiveComparison().isEqualTo(options);
    }

    @Test
    void aMaxPollIntervalAsLongAsThePollIntervalIsAConstantInterval() {
        WaitOptions constant = WaitOptions.builder()
                .pollInterval(Duration.ofSeconds(5))
                .maxPollInterval(Duration.ofSeconds(5))
                .build();

        assertThat(constant.maxPollInterval()).isEqualTo(constant.pollInterval());
        assertThatThrownBy(() -> WaitOptions.builder()
                        .pollInterval(Duration.ofSeconds(5))
                        .maxPollInterval(Duration.ofMillis(4_999))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPollInterval (PT4.999S) must not be shorter than pollInterval (PT5S)");
    }

    @Test
    void toStringNamesEveryValueAndWhetherProgressIsReported() {
        assertThat(WaitOptions.defaults())
                .hasToString("WaitOptions{pollInterval=PT2S, maxPollInterval=PT30S,"
                        + " backoffMultiplier=1.5, timeout=PT25H, onProgress=none,"
                        + " outageBudget=PT30M, onOutage=none}");
        assertThat(WaitOptions.builder().onOutage(outage -> {}).build().toString())
                .endsWith(", onOutage=set}");
        assertThat(WaitOptions.builder().onProgress(batch -> {}).build().toString())
                .contains(", onProgress=set,");
    }

    @Test
    void invalidValuesAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> WaitOptions.builder().pollInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pollInterval");
        assertThatThrownBy(() -> WaitOptions.builder().timeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> WaitOptions.builder().backoffMultiplier(0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backoffMultiplier");
        assertThatThrownBy(() -> WaitOptions.builder().backoffMultiplier(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backoffMultiplier");
        assertThatThrownBy(() -> WaitOptions.builder().onProgress(null)).hasMessage("onProgress == null");
        assertThatThrownBy(() -> WaitOptions.builder().outageBudget(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outageBudget");
        assertThatThrownBy(() -> WaitOptions.builder().outageBudget(null)).hasMessage("outageBudget == null");
        assertThatThrownBy(() -> WaitOptions.builder().onOutage(null)).hasMessage("onOutage == null");
        assertThatThrownBy(() -> WaitOptions.builder()
                        .pollInterval(Duration.ofMinutes(1))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPollInterval");
    }
}
