package com.example.batches;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mka1.batches.ListFilesParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.errors.NotFoundException;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * With Actuator, the client's calls leave the documented mka1.client.* timers in the application's
 * registry. (The context is the one EmbeddedSandboxTest uses: other operations than its own.)
 */
@SpringBootTest(properties = "mka1.sandbox.enabled=true")
class MetricsTest {
    @Autowired
    Mka1Client client;

    @Autowired
    MeterRegistry meters;

    @Test
    void callsLeaveTimersTaggedWithTheirOperationAndOutcome() {
        client.llm().files().list(ListFilesParams.none());
        assertThatThrownBy(() -> client.llm().batches().get("batch_missing")).isInstanceOf(NotFoundException.class);

        assertThat(meters.get("mka1.client.calls")
                .tags("operation", "files.list", "outcome", "SUCCESS")
                .timer().count()).isEqualTo(1);
        assertThat(meters.get("mka1.client.calls")
                .tags("operation", "batches.get", "outcome", "CLIENT_ERROR")
                .timer().count()).isEqualTo(1);
        assertThat(meters.get("mka1.client.attempts").tags("operation", "batches.get").timer().count()).isEqualTo(1);
    }
}
