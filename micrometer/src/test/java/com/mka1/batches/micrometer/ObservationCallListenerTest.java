package com.mka1.batches.micrometer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.errors.NotFoundException;
import com.mka1.batches.models.BatchObject;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.GlobalObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a real call leaves in Micrometer through {@link ObservationCallListener}, blocking and
 * asynchronous: the timers and their tags in a {@link SimpleMeterRegistry}, the observations'
 * structure in a {@link TestObservationRegistry}, and the spans with micrometer-tracing.
 */
class ObservationCallListenerTest {
    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(WireMockConfiguration.wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final String HOST = "localhost";
    private static final String BATCH_ID = "batch_aa87e2b1112a455b8deabed784372198";
    private static final String PATH = "/api/v1/llm/batches/" + BATCH_ID;
    private static final String BATCH_JSON = "{\"id\":\"" + BATCH_ID + "\",\"object\":\"batch\","
            + "\"endpoint\":\"/v1/chat/completions\",\"input_file_id\":\"file_abc123\","
            + "\"completion_window\":\"24h\",\"status\":\"validating\",\"created_at\":1711471533,"
            + "\"request_counts\":{\"total\":0,\"completed\":0,\"failed\":0}}";

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final List<Duration> waits = new ArrayList<>();

    private Mka1Client client(ObservationRegistry observations) {
        return Mka1Client.builder()
                .apiKey("sk-test-0123456789abcdef")
                .baseUrl(wm.getRuntimeInfo().getHttpBaseUrl())
                .sleeper(waits::add)
                .addListener(new ObservationCallListener(observations))
                .build();
    }

    private ObservationRegistry metered() {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        return observations;
    }

    private static BatchObject getBatch(Mka1Client client, boolean async) {
        if (!async) {
            return client.llm().batches().get(BATCH_ID);
        }
        try {
            return client.async().llm().batches().get(BATCH_ID).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    /** GET answers {@code first}, then 200 with request id {@code req_2}. */
    private static void answersThenSucceeds(ResponseDefinitionBuilder first) {
        wm.stubFor(get(urlEqualTo(PATH))
                .inScenario("s")
                .whenScenarioStateIs(STARTED)
                .willReturn(first)
                .willSetStateTo("ok"));
        wm.stubFor(get(urlEqualTo(PATH))
                .inScenario("s")
                .whenScenarioStateIs("ok")
                .willReturn(okJson(BATCH_JSON).withHeader("X-Request-ID", "req_2")));
    }

    private static final String SERVER_ERROR = "com.mka1.batches.errors.InternalServerException";

    /** The tags of a timer of {@code batches.get} on the test server, as {@link #counts} shows them. */
    private static String tags(String error, String errorType, String statusCode, String outcome) {
        return "error=" + error + ",error.type=" + errorType + ",http.request.method=GET,http.response.status_code="
                + statusCode + ",operation=batches.get,outcome=" + outcome + ",server.address=" + HOST
                + ",url.template=/api/v1/llm/batches/{batch_id}";
    }

    private Map<String, Long> counts(String name) {
        return meters.find(name).timers().stream()
                .collect(Collectors.toMap(
                        timer -> timer.getId().getTags().stream()
                                .map(tag -> tag.getKey() + "=" + tag.getValue())
                                .collect(Collectors.joining(",")),
                        Timer::count));
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void aCallRetriedOnceLeavesACallTimerTwoAttemptsAndARetry(boolean async) {
        answersThenSucceeds(
                aResponse().withStatus(503).withHeader("Retry-After", "1").withHeader("X-Request-ID", "req_1"));

        try (Mka1Client client = client(metered())) {
            assertThat(getBatch(client, async).getId()).isEqualTo(BATCH_ID);
        }

        assertThat(counts(ObservationCallListener.CALLS))
                .containsExactly(Map.entry(tags("none", "none", "200", "SUCCESS"), 1L));
        assertThat(counts(ObservationCallListener.ATTEMPTS))
                .containsOnly(
                        Map.entry(tags("InternalServerException", SERVER_ERROR, "503", "SERVER_ERROR"), 1L),
                        Map.entry(tags("none", "none", "200", "SUCCESS"), 1L));
        assertThat(counts(ObservationCallListener.RETRIES))
                .containsExactly(Map.entry(tags("none", SERVER_ERROR, "503", "SERVER_ERROR"), 1L));
        assertThat(waits).containsExactly(Duration.ofSeconds(1));
        assertThat(meters.find(ObservationCallListener.CALLS + ".active")
                        .longTaskTimer()
                        .activeTasks())
                .as("nothing left running")
                .isZero();
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void aFailedCallIsTaggedWithItsStatusClassOutcomeAndError(boolean async) {
        wm.stubFor(get(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("X-Request-ID", "req_404")
                        .withBody("{\"error\":\"No batch found\"}")));

        try (Mka1Client client = client(metered())) {
            assertThatThrownBy(() -> getBatch(client, async)).isInstanceOf(NotFoundException.class);
        }

        assertThat(counts(ObservationCallListener.CALLS))
                .containsExactly(Map.entry(
                        tags("NotFoundException", "com.mka1.batches.errors.NotFoundException", "404", "CLIENT_ERROR"),
                        1L));
        assertThat(counts(ObservationCallListener.RETRIES)).isEmpty();
    }

    @Test
    void aCallWithoutAnyResponseHasStatusClassNone() {
        wm.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        try (Mka1Client client = client(metered())) {
            assertThat(catchThrowable(() -> getBatch(client, false))).isNotNull();
        }

        String io = "com.mka1.batches.errors.Mka1IoException";
        assertThat(counts(ObservationCallListener.CALLS))
                .containsExactly(Map.entry(tags("Mka1IoException", io, "none", "IO_ERROR"), 1L));
        assertThat(counts(ObservationCallListener.ATTEMPTS))
                .containsExactly(Map.entry(tags("Mka1IoException", io, "none", "IO_ERROR"), 3L));
        assertThat(counts(ObservationCallListener.RETRIES))
                .containsExactly(Map.entry(tags("none", io, "none", "IO_ERROR"), 2L));
    }

    @Test
    void noTagHoldsAnIdOrRequestId() {
        answersThenSucceeds(aResponse().withStatus(500).withHeader("X-Request-ID", "req_1"));
        try (Mka1Client client = client(metered())) {
            getBatch(client, false);
            getBatch(client, true);
        }

        List<String> values = new ArrayList<>();
        for (Meter meter : meters.getMeters()) {
            meter.getId().getTags().stream().map(Tag::getValue).forEach(values::add);
        }
        assertThat(values)
                .isNotEmpty()
                .noneMatch(value -> value.contains(BATCH_ID))
                .noneMatch(value -> value.startsWith("req_"))
                .contains("/api/v1/llm/batches/{batch_id}");
        assertThat(meters.getMeters())
                .extracting(meter -> meter.getId().getName())
                .containsOnly(
                        "mka1.client.calls",
                        "mka1.client.calls.active",
                        "mka1.client.attempts",
                        "mka1.client.attempts.active",
                        "mka1.client.retries",
                        "mka1.client.retries.active");
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    @SuppressWarnings("unchecked") // forAllObservationsWithNameEqualTo hands out a raw ObservationContextAssert
    void attemptsAndRetriesAreChildrenOfTheirCallWithTheRequestIdAsAHighCardinalityValue(boolean async) {
        answersThenSucceeds(aResponse().withStatus(502).withHeader("X-Request-ID", "req_1"));
        TestObservationRegistry observations = TestObservationRegistry.create();

        try (Mka1Client client = client(observations)) {
            getBatch(client, async);
        }

        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo(ObservationCallListener.CALLS, 1)
                .hasNumberOfObservationsWithNameEqualTo(ObservationCallListener.ATTEMPTS, 2)
                .hasNumberOfObservationsWithNameEqualTo(ObservationCallListener.RETRIES, 1)
                .forAllObservationsWithNameEqualTo(
                        ObservationCallListener.ATTEMPTS,
                        attempt -> attempt.hasLowCardinalityKeyValue("operation", "batches.get")
                                .hasParentObservationContextMatching(parent -> ((Observation.ContextView) parent)
                                        .getName()
                                        .equals(ObservationCallListener.CALLS)))
                .forAllObservationsWithNameEqualTo(
                        ObservationCallListener.RETRIES,
                        retry -> retry.hasLowCardinalityKeyValue("http.response.status_code", "502")
                                .hasHighCardinalityKeyValue("mka1.attempt", "1")
                                .hasHighCardinalityKeyValue(
                                        "mka1.retry.delay.ms",
                                        String.valueOf(waits.get(0).toMillis()))
                                .hasParentObservationContextMatching(parent -> ((Observation.ContextView) parent)
                                        .getName()
                                        .equals(ObservationCallListener.CALLS)))
                .hasObservationWithNameEqualTo(ObservationCallListener.CALLS)
                .that()
                .hasBeenStopped()
                .hasContextualNameEqualTo("mka1 batches.get")
                .hasLowCardinalityKeyValue("operation", "batches.get")
                .hasLowCardinalityKeyValue("http.response.status_code", "200")
                .hasLowCardinalityKeyValue("http.request.method", "GET")
                .hasLowCardinalityKeyValue("url.template", "/api/v1/llm/batches/{batch_id}")
                .hasLowCardinalityKeyValue("outcome", "SUCCESS")
                .hasHighCardinalityKeyValue("mka1.request.id", "req_2")
                .hasHighCardinalityKeyValue("mka1.attempts", "2")
                .hasHighCardinalityKeyValue("url.path", PATH)
                .doesNotHaveError();
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void withTracingEachCallIsASpanUnderTheCurrentOneAndEachAttemptASpanUnderTheCall(boolean async) {
        answersThenSucceeds(aResponse().withStatus(503).withHeader("X-Request-ID", "req_1"));
        SimpleTracer tracer = new SimpleTracer();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));

        try (Mka1Client client = client(observations)) {
            Observation.createNotStarted("app.request", observations).observe(() -> getBatch(client, async));
        }

        Map<String, List<SimpleSpan>> spans =
                tracer.getSpans().stream().collect(Collectors.groupingBy(SimpleSpan::getName));
        SimpleSpan app = spans.get("app.request").get(0);
        SimpleSpan call = spans.get("mka1 batches.get").get(0);
        List<SimpleSpan> attempts = spans.get("mka1 batches.get attempt");
        SimpleSpan retry = spans.get("mka1 batches.get retry").get(0);
        assertThat(call.getParentId()).isEqualTo(app.getSpanId());
        assertThat(attempts).hasSize(2).allSatisfy(attempt -> {
            assertThat(attempt.getTraceId()).isEqualTo(app.getTraceId());
            assertThat(attempt.getParentId()).isEqualTo(call.getSpanId());
        });
        assertThat(retry.getParentId()).isEqualTo(call.getSpanId());
        assertThat(call.getTags())
                .containsEntry("mka1.request.id", "req_2")
                .containsEntry("operation", "batches.get")
                .containsEntry("outcome", "SUCCESS")
                .containsEntry("http.request.method", "GET");
        Function<SimpleSpan, String> requestId = span -> span.getTags().get("mka1.request.id");
        assertThat(attempts).extracting(requestId).containsExactlyInAnyOrder("req_1", "req_2");
        assertThat(attempts)
                .filteredOn(span -> "req_1".equals(requestId.apply(span)))
                .allSatisfy(span -> assertThat(span.getError()).isNotNull());
    }

    @Test
    void theUrlTemplateNamesEachIdInsteadOfHoldingIt() {
        assertThat(DefaultMka1CallObservationConvention.urlTemplate("/api/v1/llm/batches"))
                .isEqualTo("/api/v1/llm/batches");
        assertThat(DefaultMka1CallObservationConvention.urlTemplate("/api/v1/llm/batches/batch_1/cancel"))
                .isEqualTo("/api/v1/llm/batches/{batch_id}/cancel");
        assertThat(DefaultMka1CallObservationConvention.urlTemplate("/proxy/api/v1/llm/files/file-abc%2Fx/content"))
                .isEqualTo("/proxy/api/v1/llm/files/{file_id}/content");
    }

    @Test
    void eachTimersActiveTaskTimerHasTheTagsKnownAtTheStart() {
        wm.stubFor(get(urlEqualTo(PATH)).willReturn(okJson(BATCH_JSON)));
        try (Mka1Client client = client(metered())) {
            getBatch(client, false);
        }

        assertThat(meters.find(ObservationCallListener.CALLS + ".active")
                        .longTaskTimer()
                        .getId()
                        .getTags())
                .extracting(tag -> tag.getKey() + "=" + tag.getValue())
                .containsExactlyInAnyOrder(
                        "operation=batches.get",
                        "http.request.method=GET",
                        "url.template=/api/v1/llm/batches/{batch_id}",
                        "server.address=" + HOST);
    }

    /** A team's convention: the default's tags and one of its own, and its own span names. */
    static class TeamConvention extends DefaultMka1CallObservationConvention {
        @Override
        public KeyValues getLowCardinalityKeyValues(Mka1CallObservationContext context) {
            return super.getLowCardinalityKeyValues(context).and("team", "reporting");
        }

        @Override
        public String getContextualName(Mka1CallObservationContext context) {
            return "batches " + context.kind();
        }
    }

    /** The same, registered on an {@code ObservationRegistry} for every observation it supports. */
    static final class GlobalTeamConvention extends DefaultMka1CallObservationConvention
            implements GlobalObservationConvention<Mka1CallObservationContext> {
        @Override
        public KeyValues getLowCardinalityKeyValues(Mka1CallObservationContext context) {
            return super.getLowCardinalityKeyValues(context).and("team", "reporting");
        }

        @Override
        public String getContextualName(Mka1CallObservationContext context) {
            return "batches " + context.kind();
        }
    }

    @Test
    void aConventionGivenToTheListenerNamesAndTagsTheObservations() {
        wm.stubFor(get(urlEqualTo(PATH)).willReturn(okJson(BATCH_JSON)));
        TestObservationRegistry observations = TestObservationRegistry.create();

        try (Mka1Client client = Mka1Client.builder()
                .apiKey("sk-test-0123456789abcdef")
                .baseUrl(wm.getRuntimeInfo().getHttpBaseUrl())
                .addListener(new ObservationCallListener(observations, new TeamConvention()))
                .build()) {
            getBatch(client, false);
        }

        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo(ObservationCallListener.CALLS)
                .that()
                .hasContextualNameEqualTo("batches CALL")
                .hasLowCardinalityKeyValue("team", "reporting")
                .hasLowCardinalityKeyValue("outcome", "SUCCESS");
    }

    @Test
    void aConventionRegisteredOnTheRegistryIsUsedWhenTheListenerHasNone() {
        wm.stubFor(get(urlEqualTo(PATH)).willReturn(okJson(BATCH_JSON)));
        TestObservationRegistry observations = TestObservationRegistry.create();
        observations.observationConfig().observationConvention(new GlobalTeamConvention());

        try (Mka1Client client = client(observations)) {
            getBatch(client, false);
        }

        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo(ObservationCallListener.ATTEMPTS)
                .that()
                .hasContextualNameEqualTo("batches ATTEMPT")
                .hasLowCardinalityKeyValue("team", "reporting");
    }

    @Test
    void aNullRegistryIsRefusedByName() {
        assertThatThrownBy(() -> new ObservationCallListener(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("registry");
    }
}
