package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.mka1.batches.ResilienceSupport.BATCH_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.mka1.batches.errors.ConflictException;
import com.mka1.batches.internal.OptionsOverlay;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How the retry settings of the client and of one call combine: a call's {@code maxRetries}
 * overlays the policy in force, a call's whole {@code retryPolicy} replaces the client's, and
 * neither builder depends on the order of its calls. Counted as requests on the wire at a server
 * that always answers 409, in both modes.
 */
class RetryOptionsOverlayTest {
    @RegisterExtension
    static final WireMockExtension wm = ResilienceSupport.loopbackWireMock();

    private static final String GET_PATH = "/api/v1/llm/batches/" + BATCH_ID;
    /** Retries 409, twice, with its own backoff: what a caller's client policy might say. */
    private static final RetryPolicy RETRIES_CONFLICTS = RetryPolicy.builder()
            .retryableStatuses(Set.of(409))
            .initialBackoff(Duration.ofMillis(100))
            .maxBackoff(Duration.ofMillis(100))
            .jitter(0)
            .build();

    private final FakeTime sleeper = new FakeTime();

    @BeforeEach
    void alwaysConflict() {
        wm.stubFor(get(urlEqualTo(GET_PATH))
                .willReturn(aResponse().withStatus(409).withBody("{\"error\": \"conflict\"}")));
    }

    /** Gets the batch (a 409 every time) and returns how many requests reached the server. */
    private int attempts(Mode mode, UnaryOperator<Mka1Client.Builder> client, RequestOptions options) {
        try (Mka1Client c = client.apply(ResilienceSupport.client(wm, sleeper)).build()) {
            assertThatThrownBy(() -> mode.batches(c).withOptions(options).get(BATCH_ID))
                    .isInstanceOf(ConflictException.class);
        }
        return wm.findAll(getRequestedFor(urlEqualTo(GET_PATH))).size();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aCallsMaxRetriesKeepsTheClientsPolicy(Mode mode) {
        int attempts = attempts(
                mode,
                b -> b.requestOptions(
                        RequestOptions.builder().retryPolicy(RETRIES_CONFLICTS).build()),
                RequestOptions.builder().maxRetries(5).build());

        assertThat(attempts)
                .as("the client's policy retries 409; the call asks for 5 retries")
                .isEqualTo(6);
        assertThat(sleeper.sleeps)
                .as("the client's backoff, not the defaults'")
                .hasSize(5)
                .allMatch(Duration.ofMillis(100)::equals);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aCallsMaxRetriesKeepsTheClientsMaxRetriesOverlaidPolicy(Mode mode) {
        int attempts = attempts(
                mode,
                b -> b.requestOptions(RequestOptions.builder()
                        .maxRetries(4)
                        .retryPolicy(RETRIES_CONFLICTS)
                        .build()),
                RequestOptions.builder().maxRetries(1).build());

        assertThat(attempts).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theClientsMaxRetriesAppliesWhicheverOrderItIsSetIn(Mode mode) {
        int before = attempts(
                mode,
                b -> b.requestOptions(RequestOptions.builder()
                        .maxRetries(1)
                        .retryPolicy(RETRIES_CONFLICTS)
                        .build()),
                RequestOptions.none());
        wm.resetRequests();
        int after = attempts(
                mode,
                b -> b.requestOptions(RequestOptions.builder()
                        .retryPolicy(RETRIES_CONFLICTS)
                        .maxRetries(1)
                        .build()),
                RequestOptions.none());

        assertThat(before).as("maxRetries(1) then retryPolicy(p)").isEqualTo(2);
        assertThat(after).as("retryPolicy(p) then maxRetries(1)").isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aCallsWholePolicyReplacesTheClientsIncludingItsMaxRetries(Mode mode) {
        RetryPolicy conflictsOnce = RETRIES_CONFLICTS.toBuilder().maxRetries(1).build();
        int attempts = attempts(
                mode,
                b -> b.requestOptions(RequestOptions.builder()
                        .retryPolicy(RETRIES_CONFLICTS)
                        .maxRetries(7)
                        .build()),
                RequestOptions.builder().retryPolicy(conflictsOnce).build());

        assertThat(attempts).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aCallsWholePolicyWithoutConflictsStopsAtTheFirst409(Mode mode) {
        int attempts = attempts(
                mode,
                b -> b.requestOptions(
                        RequestOptions.builder().retryPolicy(RETRIES_CONFLICTS).build()),
                RequestOptions.builder().retryPolicy(RetryPolicy.defaults()).build());

        assertThat(attempts).as("the call's policy does not retry 409").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aCallsMaxRetriesAppliesToItsOwnPolicyWhicheverOrderItIsSetIn(Mode mode) {
        int before = attempts(
                mode,
                b -> b.requestOptions(RequestOptions.builder().maxRetries(0).build()),
                RequestOptions.builder()
                        .maxRetries(3)
                        .retryPolicy(RETRIES_CONFLICTS)
                        .build());
        wm.resetRequests();
        int after = attempts(
                mode,
                b -> b.requestOptions(RequestOptions.builder().maxRetries(0).build()),
                RequestOptions.builder()
                        .retryPolicy(RETRIES_CONFLICTS)
                        .maxRetries(3)
                        .build());

        assertThat(before).as("maxRetries(3) then retryPolicy(p)").isEqualTo(4);
        assertThat(after).as("retryPolicy(p) then maxRetries(3)").isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aCallWithoutRetrySettingsUsesTheClientsPolicy(Mode mode) {
        int attempts = attempts(
                mode,
                b -> b.requestOptions(
                        RequestOptions.builder().retryPolicy(RETRIES_CONFLICTS).build()),
                RequestOptions.builder().timeout(Duration.ofMinutes(1)).build());

        assertThat(attempts).isEqualTo(3);
    }

    @Test
    void theOptionsAreTheSameWhicheverOrderTheirRetrySettingsAreSetIn() {
        RequestOptions maxFirst = RequestOptions.builder()
                .maxRetries(3)
                .retryPolicy(RETRIES_CONFLICTS)
                .build();
        RequestOptions policyFirst = RequestOptions.builder()
                .retryPolicy(RETRIES_CONFLICTS)
                .maxRetries(3)
                .build();

        assertThat(maxFirst).isEqualTo(policyFirst).hasSameHashCodeAs(policyFirst);
        assertThat(maxFirst.retryPolicy())
                .isEqualTo(RETRIES_CONFLICTS.toBuilder().maxRetries(3).build());
        assertThat(maxFirst.maxRetries()).isEqualTo(3);
    }

    @Test
    void overlaidOptionsResolveToOnePolicy() {
        RequestOptions client =
                RequestOptions.builder().retryPolicy(RETRIES_CONFLICTS).build();

        RequestOptions call = RequestOptions.builder().maxRetries(5).build();

        assertThat(call.retryPolicy())
                .as("only maxRetries set: no whole policy")
                .isNull();
        assertThat(OptionsOverlay.over(call, client).retryPolicy())
                .isEqualTo(RETRIES_CONFLICTS.toBuilder().maxRetries(5).build());
        assertThat(OptionsOverlay.over(RequestOptions.none(), client).retryPolicy())
                .isEqualTo(RETRIES_CONFLICTS);
    }
}
