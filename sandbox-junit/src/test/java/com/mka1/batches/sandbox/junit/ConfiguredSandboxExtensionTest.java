package com.mka1.batches.sandbox.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.RetryPolicy;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.errors.AuthenticationException;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import com.mka1.batches.sandbox.FaultSpec;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxClock;
import com.mka1.batches.sandbox.SandboxOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension configured through its builder. Batches here take three hours of sandbox time, so
 * a client that really slept would run into the {@link Timeout}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfiguredSandboxExtensionTest {
    static final Instant START = Instant.parse("2030-06-01T12:00:00Z");

    @RegisterExtension
    static final Mka1SandboxExtension SANDBOX = Mka1SandboxExtension.builder()
            .apiKeys("sk-first", "sk-second")
            .stepDuration(Duration.ofHours(1))
            .startInstant(START)
            .configureClient(client -> client.requestOptions(RequestOptions.builder()
                    .retryPolicy(RetryPolicy.builder()
                            .initialBackoff(Duration.ofSeconds(5))
                            .multiplier(2)
                            .maxBackoff(Duration.ofMinutes(1))
                            .jitter(0)
                            .build())
                    .build()))
            .build();

    private static Mka1Client classClient;

    @BeforeAll
    static void clientForTheClass(Mka1Client client, SandboxClock clock) {
        classClient = client;
        assertThat(clock.instant()).isEqualTo(START);
    }

    @Test
    void aClientResolvedInBeforeAllServesTheTests(Mka1Client client) {
        assertThat(client).isSameAs(classClient);
    }

    @Test
    void theClientUsesTheFirstKeyAndTheSandboxAcceptsOnlyTheConfiguredOnes(Mka1Sandbox sandbox, Mka1Client client) {
        assertThat(sandbox.apiKeys()).containsExactly("sk-first", "sk-second");
        client.llm().batches().list(ListBatchesParams.none());
        assertThat(sandbox.requests(SandboxOperation.LIST).get(0).header("Authorization"))
                .contains("Bearer sk-first");

        try (Mka1Client defaultKey = Mka1SandboxExtension.clientBuilder(sandbox)
                .apiKey(Mka1Sandbox.DEFAULT_API_KEY)
                .build()) {
            assertThatThrownBy(() -> defaultKey.llm().batches().list(ListBatchesParams.none()))
                    .isInstanceOf(AuthenticationException.class);
        }
    }

    @Test
    void retriesWaitTheConfiguredBackoffInSandboxTime(Mka1Sandbox sandbox, SandboxClock clock, Mka1Client client) {
        sandbox.injectFault(FaultSpec.status(503).times(2).on(SandboxOperation.LIST));
        Instant start = clock.instant();

        client.llm().batches().list(ListBatchesParams.none());

        assertThat(sandbox.requestCount(SandboxOperation.LIST)).isEqualTo(3);
        assertThat(clock.instant()).isEqualTo(start.plusSeconds(5 + 10));
    }

    @Test
    void aBatchOfHourLongStepsCompletesAfterThreeHoursOfSandboxTime(
            Mka1Sandbox sandbox, SandboxClock clock, Mka1Client client) {
        BatchObject created =
                Mka1SandboxExtensionTest.createBatch(sandbox, client.llm().batches());
        Instant start = clock.instant();

        BatchObject done = client.llm()
                .batches()
                .waitForCompletion(
                        created.getId(),
                        WaitOptions.builder()
                                .pollInterval(Duration.ofMinutes(10))
                                .maxPollInterval(Duration.ofMinutes(10))
                                .backoffMultiplier(1)
                                .build());

        assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(clock.instant()).isEqualTo(start.plus(Duration.ofHours(3)));
        assertThat(sandbox.requestCount(SandboxOperation.GET)).isEqualTo(19);
    }

    /** The sandbox's own builder checks each setting as it is given, not the first test. */
    @Test
    void aBadSettingFailsAtTheBuilder() {
        assertThatThrownBy(() -> Mka1SandboxExtension.builder().stepDuration(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("step must be positive: PT0S");
        assertThatThrownBy(() -> Mka1SandboxExtension.builder().stepDuration(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("step == null");
        assertThatThrownBy(() -> Mka1SandboxExtension.builder().apiKeys())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("apiKeys is empty");
        assertThatThrownBy(() -> Mka1SandboxExtension.builder().apiKeys("sk-a", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("apiKeys contains a blank key");
        assertThatThrownBy(() -> Mka1SandboxExtension.builder().apiKeys((String[]) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("apiKeys == null");
        assertThatThrownBy(() -> Mka1SandboxExtension.builder().startInstant(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("startInstant == null");
    }
}
