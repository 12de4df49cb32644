package com.mka1.batches;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mka1.batches.models.BatchStatus;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BatchStatusesTest {
    private static final Set<BatchStatus> TERMINAL =
            Set.of(BatchStatus.COMPLETED, BatchStatus.FAILED, BatchStatus.EXPIRED, BatchStatus.CANCELLED);
    private static final Set<BatchStatus> ACTIVE =
            Set.of(BatchStatus.VALIDATING, BatchStatus.IN_PROGRESS, BatchStatus.FINALIZING, BatchStatus.CANCELLING);

    static List<BatchStatus> knownStatuses() {
        return BatchStatus.values();
    }

    @ParameterizedTest
    @MethodSource("knownStatuses")
    void eachStatusIsClassifiedAsTheDocsSay(BatchStatus status) {
        assertThat(BatchStatuses.isTerminal(status)).isEqualTo(TERMINAL.contains(status));
        assertThat(BatchStatuses.isActive(status)).isEqualTo(ACTIVE.contains(status));
        assertThat(BatchStatuses.isSucceeded(status)).isEqualTo(BatchStatus.COMPLETED.equals(status));
    }

    @Test
    void aStatusNewerThanTheLibraryIsNeitherTerminalNorActive() {
        BatchStatus newer = BatchStatus.fromValue("paused_by_operator");

        assertThat(newer.isKnown()).isFalse();
        assertThat(newer.asString()).isEqualTo("paused_by_operator");
        assertThat(newer.value()).isEqualTo(BatchStatus.Value._UNKNOWN);
        assertThat(BatchStatuses.isTerminal(newer)).isFalse();
        assertThat(BatchStatuses.isActive(newer)).isFalse();
        assertThat(BatchStatuses.isSucceeded(newer)).isFalse();
    }

    @Test
    void nullsAreRefusedNamingTheArgument() {
        assertThatThrownBy(() -> BatchStatuses.isTerminal(null)).hasMessage("status == null");
        assertThatThrownBy(() -> BatchStatuses.isActive(null)).hasMessage("status == null");
        assertThatThrownBy(() -> BatchStatuses.isSucceeded(null)).hasMessage("status == null");
    }
}
