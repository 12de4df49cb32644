package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static com.mka1.batches.ResilienceSupport.BATCH_ID;
import static com.mka1.batches.ResilienceSupport.BATCH_JSON;
import static com.mka1.batches.ResilienceSupport.LIST_JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.errors.Mka1TimeoutException;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every transport fault × every operation: one fault then success costs exactly one retry; a
 * fault every time ends in the typed exception after maxRetries + 1 requests.
 */
class FaultMatrixTest {
    @RegisterExtension
    static final WireMockExtension wm = ResilienceSupport.loopbackWireMock();

    /** Read timeout of the test clients; the slow fault answers after twice as long. */
    private static final Duration READ_TIMEOUT = Duration.ofMillis(200);

    // Test cases as constants; their functions hold no state.
    @SuppressWarnings("ImmutableEnumChecker")
    enum Op {
        CREATE(
                () -> post(urlEqualTo("/api/v1/llm/batches")),
                BATCH_JSON,
                b -> b.create(ResilienceSupport.createParams()).getId()),
        GET(
                () -> get(urlEqualTo("/api/v1/llm/batches/" + BATCH_ID)),
                BATCH_JSON,
                b -> b.get(BATCH_ID).getId()),
        LIST(
                () -> get(urlPathEqualTo("/api/v1/llm/batches")),
                LIST_JSON,
                b -> b.list(ListBatchesParams.none()).data().get(0).getId()),
        CANCEL(
                () -> post(urlEqualTo("/api/v1/llm/batches/" + BATCH_ID + "/cancel")),
                BATCH_JSON,
                b -> b.cancel(BATCH_ID).getId());

        final Supplier<MappingBuilder> request;
        final String body;
        final Function<BatchService, String> call;

        Op(Supplier<MappingBuilder> request, String body, Function<BatchService, String> call) {
            this.request = request;
            this.body = body;
            this.call = call;
        }
    }

    enum Failure {
        CONNECTION_RESET_BY_PEER(Fault.CONNECTION_RESET_BY_PEER),
        EMPTY_RESPONSE(Fault.EMPTY_RESPONSE),
        MALFORMED_RESPONSE_CHUNK(Fault.MALFORMED_RESPONSE_CHUNK),
        RANDOM_DATA_THEN_CLOSE(Fault.RANDOM_DATA_THEN_CLOSE),
        DELAY_BEYOND_READ_TIMEOUT(null);

        final Fault fault;

        Failure(Fault fault) {
            this.fault = fault;
        }

        /** Only the slow case needs a short read timeout; the others keep the default, so a cold JVM cannot trip it. */
        Duration readTimeout() {
            return fault == null ? READ_TIMEOUT : Duration.ofSeconds(60);
        }

        ResponseDefinitionBuilder response(String body) {
            return fault != null
                    ? aResponse().withFault(fault)
                    : okJson(body).withFixedDelay((int) READ_TIMEOUT.toMillis() * 2);
        }
    }

    /** One call first, so class loading and JIT warm-up never count against the 200 ms read timeout. */
    @BeforeAll
    static void warmUp() {
        wm.stubFor(Op.GET.request.get().willReturn(okJson(BATCH_JSON)));
        try (Mka1Client client = ResilienceSupport.client(wm, new FakeTime()).build()) {
            client.llm().batches().get(BATCH_ID);
        }
        wm.resetAll();
    }

    static Stream<Arguments> matrix() {
        return Stream.of(Failure.values()).flatMap(f -> Stream.of(Op.values()).map(op -> Arguments.of(f, op)));
    }

    @ParameterizedTest(name = "{0} once, then {1} succeeds")
    @MethodSource("matrix")
    void aFaultThenSuccessCostsOneRetry(Failure failure, Op op) {
        wm.stubFor(op.request
                .get()
                .inScenario("flaky")
                .whenScenarioStateIs(STARTED)
                .willReturn(failure.response(op.body))
                .willSetStateTo("healed"));
        wm.stubFor(op.request
                .get()
                .inScenario("flaky")
                .whenScenarioStateIs("healed")
                .willReturn(okJson(op.body)));
        FakeTime sleeper = new FakeTime();

        try (Mka1Client client = ResilienceSupport.client(wm, sleeper)
                .requestOptions(RequestOptions.builder()
                        .readTimeout(failure.readTimeout())
                        .build())
                .build()) {
            assertThat(op.call.apply(client.llm().batches())).isEqualTo(BATCH_ID);
        }
        assertThat(wm.getAllServeEvents()).hasSize(2);
        assertThat(sleeper.sleeps).hasSize(1);
    }

    @ParameterizedTest(name = "{0} every time: {1} fails after 3 requests")
    @MethodSource("matrix")
    void aFaultEveryTimeFailsWithTheTypedExceptionAfterEveryRetry(Failure failure, Op op) {
        wm.stubFor(op.request.get().willReturn(failure.response(op.body)));
        FakeTime sleeper = new FakeTime();

        Throwable thrown;
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper)
                .requestOptions(RequestOptions.builder()
                        .readTimeout(failure.readTimeout())
                        .build())
                .requestOptions(RequestOptions.builder().maxRetries(2).build())
                .build()) {
            thrown = catchThrowable(() -> op.call.apply(client.llm().batches()));
        }
        if (failure == Failure.DELAY_BEYOND_READ_TIMEOUT) {
            assertThat(thrown).isInstanceOf(Mka1TimeoutException.class);
            assertThat(((Mka1TimeoutException) thrown).kind()).isEqualTo(Mka1TimeoutException.TimeoutKind.READ);
        } else {
            assertThat(thrown).isExactlyInstanceOf(Mka1IoException.class).hasMessageContaining("(attempt 3)");
        }
        assertThat(wm.getAllServeEvents()).hasSize(3);
        assertThat(sleeper.sleeps).hasSize(2);
    }
}
