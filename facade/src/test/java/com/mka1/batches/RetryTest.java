package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static com.mka1.batches.ResilienceSupport.BATCH_ID;
import static com.mka1.batches.ResilienceSupport.BATCH_JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.ConflictException;
import com.mka1.batches.errors.InternalServerException;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.errors.RateLimitException;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** What is retried, how long each wait is, and the Idempotency-Key across retries of a create, in both modes. */
class RetryTest {
    @RegisterExtension
    static final WireMockExtension wm = ResilienceSupport.loopbackWireMock();

    private static final String GET_PATH = "/api/v1/llm/batches/" + BATCH_ID;
    private static final String CREATE_PATH = "/api/v1/llm/batches";

    /** A fresh 429 each time: WireMock's builders are mutable. */
    private static ResponseDefinitionBuilder rateLimited() {
        return aResponse().withStatus(429).withBody("{\"error\": \"Rate limit exceeded\"}");
    }

    private final FakeTime sleeper = new FakeTime();

    /** GET answers {@code first}, then 200. */
    private void getAnswersThenSucceeds(ResponseDefinitionBuilder first) {
        wm.stubFor(get(urlEqualTo(GET_PATH))
                .inScenario("s")
                .whenScenarioStateIs(STARTED)
                .willReturn(first)
                .willSetStateTo("ok"));
        wm.stubFor(get(urlEqualTo(GET_PATH))
                .inScenario("s")
                .whenScenarioStateIs("ok")
                .willReturn(okJson(BATCH_JSON)));
    }

    private String getBatch(Mode mode) {
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper).build()) {
            return mode.batches(client).get(BATCH_ID).getId();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void thePolicyDecidesWhichStatusesAreRetried(Mode mode) {
        getAnswersThenSucceeds(aResponse().withStatus(409));
        RetryPolicy conflictsToo =
                RetryPolicy.builder().retryableStatuses(java.util.Set.of(409)).build();
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper)
                .requestOptions(
                        RequestOptions.builder().retryPolicy(conflictsToo).build())
                .build()) {
            assertThat(mode.batches(client).get(BATCH_ID).getId()).isEqualTo(BATCH_ID);
        }
        wm.verify(2, getRequestedFor(urlEqualTo(GET_PATH)));
        assertThat(sleeper.sleeps).hasSize(1);
        assertThat(RetryPolicy.defaults().retryableStatuses()).containsExactly(408, 429, 500, 502, 503, 504);
        assertThatThrownBy(() -> RetryPolicy.builder().retryableStatuses(java.util.Set.of(200)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retryableStatuses");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void retryAfterInSecondsWithAFractionSetsTheWait(Mode mode) {
        getAnswersThenSucceeds(rateLimited().withHeader("Retry-After", "1.5"));
        assertThat(getBatch(mode)).isEqualTo(BATCH_ID);
        assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(1500));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void retryAfterAsAnHttpDateIsMeasuredFromTheClientsClock(Mode mode) {
        String inThreeSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                sleeper.instant().plusSeconds(3).atOffset(ZoneOffset.UTC));
        getAnswersThenSucceeds(rateLimited().withHeader("Retry-After", inThreeSeconds));
        assertThat(getBatch(mode)).isEqualTo(BATCH_ID);
        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(3));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void retryAfterMsWinsOverRetryAfter(Mode mode) {
        getAnswersThenSucceeds(
                aResponse().withStatus(503).withHeader("Retry-After-Ms", "250").withHeader("Retry-After", "30"));
        assertThat(getBatch(mode)).isEqualTo(BATCH_ID);
        assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(250));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aNegativeRetryAfterIsClampedToZero(Mode mode) {
        getAnswersThenSucceeds(rateLimited().withHeader("Retry-After", "-5"));
        assertThat(getBatch(mode)).isEqualTo(BATCH_ID);
        assertThat(sleeper.sleeps).containsExactly(Duration.ZERO);
    }

    /** Found by ErrorResponseFuzzTest: Java's number syntax read these as 5, 1000 and 16 seconds. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"5d", "1e3", "0x1p4", "Infinity"})
    void aRetryAfterThatIsNotSecondsOrADateIsNotBelieved(String value) {
        RateLimitException e = new RateLimitException(
                429, java.util.Map.of("Retry-After", java.util.List.of(value)), "", null, null, null);

        assertThat(e.retryAfter(sleeper.instant())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anAbsurdRetryAfterIsClampedAndBeyondTheBudgetFailsAtOnceWithTheTypedException(Mode mode) {
        wm.stubFor(get(urlEqualTo(GET_PATH)).willReturn(rateLimited().withHeader("Retry-After", "999999999")));

        RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> getBatch(mode));

        assertThat(e.retryAfter(sleeper.instant())).contains(Duration.ofHours(1));
        assertThat(sleeper.sleeps).isEmpty();
        wm.verify(1, getRequestedFor(urlEqualTo(GET_PATH)));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aWaitBeyondTheOverallTimeoutFailsAtOnce(Mode mode) {
        wm.stubFor(get(urlEqualTo(GET_PATH)).willReturn(rateLimited().withHeader("Retry-After", "10")));
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper).build()) {
            RequestOptions fiveSeconds =
                    RequestOptions.builder().timeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(
                            () -> mode.batches(client).withOptions(fiveSeconds).get(BATCH_ID))
                    .isInstanceOf(RateLimitException.class);
        }
        assertThat(sleeper.sleeps).isEmpty();
        wm.verify(1, getRequestedFor(urlEqualTo(GET_PATH)));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aWaitEndingExactlyAtTheRetryBudgetIsWaited(Mode mode) {
        getAnswersThenSucceeds(rateLimited().withHeader("Retry-After", "2"));
        RequestOptions twoSeconds = RequestOptions.builder()
                .retryPolicy(RetryPolicy.builder()
                        .maxElapsedTime(Duration.ofSeconds(2))
                        .build())
                .build();
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper).build()) {
            assertThat(mode.batches(client)
                            .withOptions(twoSeconds)
                            .get(BATCH_ID)
                            .getId())
                    .isEqualTo(BATCH_ID);
        }
        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(2));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aWaitEndingExactlyAtTheOverallTimeoutFailsAtOnce(Mode mode) {
        getAnswersThenSucceeds(rateLimited().withHeader("Retry-After", "2"));
        RequestOptions twoSeconds =
                RequestOptions.builder().timeout(Duration.ofSeconds(2)).build();
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper).build()) {
            assertThatThrownBy(
                            () -> mode.batches(client).withOptions(twoSeconds).get(BATCH_ID))
                    .as("no time would be left for the retry")
                    .isInstanceOf(RateLimitException.class);
        }
        assertThat(sleeper.sleeps).isEmpty();
        wm.verify(1, getRequestedFor(urlEqualTo(GET_PATH)));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aClientClosedWhileACallWaitsToRetryEndsTheCallBeforeItsNextAttempt(Mode mode) {
        wm.stubFor(get(urlEqualTo(GET_PATH)).willReturn(aResponse().withStatus(503)));
        List<Mka1Client> closing = new ArrayList<>();
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper)
                .sleeper(wait -> closing.get(0).close())
                .build()) {
            closing.add(client);
            assertThatThrownBy(() -> mode.batches(client).get(BATCH_ID))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
        wm.verify(1, getRequestedFor(urlEqualTo(GET_PATH)));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void withoutRetryAfterTheBackoffGrowsWithJitterWithinItsBounds(Mode mode) {
        wm.stubFor(get(urlEqualTo(GET_PATH)).willReturn(aResponse().withStatus(502)));
        RetryPolicy policy = RetryPolicy.builder().maxRetries(4).build();
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper)
                .requestOptions(RequestOptions.builder().retryPolicy(policy).build())
                .build()) {
            assertThatThrownBy(() -> mode.batches(client).get(BATCH_ID)).isInstanceOf(InternalServerException.class);
        }
        assertThat(sleeper.sleeps).hasSize(4);
        long[] nominal = {500, 1000, 2000, 4000};
        for (int i = 0; i < 4; i++) {
            assertThat(sleeper.sleeps.get(i).toMillis())
                    .as("wait %d", i + 1)
                    .isBetween((long) (nominal[i] * 0.75), nominal[i]);
        }
        wm.verify(5, getRequestedFor(urlEqualTo(GET_PATH)));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void rateLimitsAndServerErrorsInSequenceAreRetriedUntilSuccess(Mode mode) {
        wm.stubFor(get(urlEqualTo(GET_PATH))
                .inScenario("s")
                .whenScenarioStateIs(STARTED)
                .willReturn(rateLimited())
                .willSetStateTo("503"));
        wm.stubFor(get(urlEqualTo(GET_PATH))
                .inScenario("s")
                .whenScenarioStateIs("503")
                .willReturn(aResponse().withStatus(503).withBody("<html>Service Unavailable</html>"))
                .willSetStateTo("ok"));
        wm.stubFor(get(urlEqualTo(GET_PATH))
                .inScenario("s")
                .whenScenarioStateIs("ok")
                .willReturn(okJson(BATCH_JSON)));

        assertThat(getBatch(mode)).isEqualTo(BATCH_ID);
        wm.verify(3, getRequestedFor(urlEqualTo(GET_PATH)));
    }

    static Stream<Arguments> retryable() {
        return inBothModes(408, 429, 500, 502, 503, 504);
    }

    static Stream<Arguments> notRetryable() {
        return inBothModes(400, 401, 403, 404, 405, 409, 410, 413, 422, 501);
    }

    private static Stream<Arguments> inBothModes(int... statuses) {
        return Stream.of(Mode.values()).flatMap(mode -> IntStream.of(statuses).mapToObj(s -> Arguments.of(mode, s)));
    }

    @ParameterizedTest(name = "{0}: HTTP {1} is retried")
    @MethodSource("retryable")
    void retryableStatusesAreRetried(Mode mode, int status) {
        getAnswersThenSucceeds(aResponse().withStatus(status));
        assertThat(getBatch(mode)).isEqualTo(BATCH_ID);
        wm.verify(2, getRequestedFor(urlEqualTo(GET_PATH)));
    }

    @ParameterizedTest(name = "{0}: HTTP {1} is not retried")
    @MethodSource("notRetryable")
    void otherErrorStatusesAreNotRetried(Mode mode, int status) {
        wm.stubFor(get(urlEqualTo(GET_PATH)).willReturn(aResponse().withStatus(status)));
        ApiException e = catchThrowableOfType(ApiException.class, () -> getBatch(mode));
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(sleeper.sleeps).isEmpty();
        wm.verify(1, getRequestedFor(urlEqualTo(GET_PATH)));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void maxRetriesPerCallOverridesTheClients(Mode mode) {
        wm.stubFor(get(urlEqualTo(GET_PATH)).willReturn(aResponse().withStatus(500)));
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper)
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .build()) {
            assertThatThrownBy(() -> mode.batches(client)
                            .withOptions(RequestOptions.builder().maxRetries(3).build())
                            .get(BATCH_ID))
                    .isInstanceOf(InternalServerException.class);
        }
        wm.verify(4, getRequestedFor(urlEqualTo(GET_PATH)));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aCreateRetriedTwiceSendsTheSameIdempotencyKeyThreeTimes(Mode mode) {
        wm.stubFor(post(urlEqualTo(CREATE_PATH))
                .inScenario("s")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("again"));
        wm.stubFor(post(urlEqualTo(CREATE_PATH))
                .inScenario("s")
                .whenScenarioStateIs("again")
                .willReturn(rateLimited())
                .willSetStateTo("ok"));
        wm.stubFor(post(urlEqualTo(CREATE_PATH))
                .inScenario("s")
                .whenScenarioStateIs("ok")
                .willReturn(okJson(BATCH_JSON)));

        try (Mka1Client client = ResilienceSupport.client(wm, sleeper).build()) {
            mode.batches(client).create(ResilienceSupport.createParams());
            mode.batches(client).create(ResilienceSupport.createParams());
        }

        // the first create took three attempts, the second one: two distinct keys, sent 3 and 1 times
        Map<String, Long> timesSent =
                idempotencyKeys().stream().collect(Collectors.groupingBy(key -> key, Collectors.counting()));
        assertThat(timesSent.values()).containsExactlyInAnyOrder(3L, 1L);
        assertThat(timesSent.keySet())
                .allMatch(key -> key.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aCallersIdempotencyKeyIsSentOnEveryAttempt(Mode mode) {
        wm.stubFor(post(urlEqualTo(CREATE_PATH))
                .inScenario("s")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(500))
                .willSetStateTo("ok"));
        wm.stubFor(post(urlEqualTo(CREATE_PATH))
                .inScenario("s")
                .whenScenarioStateIs("ok")
                .willReturn(okJson(BATCH_JSON)));

        try (Mka1Client client = ResilienceSupport.client(wm, sleeper).build()) {
            mode.batches(client)
                    .withOptions(RequestOptions.builder()
                            .idempotencyKey("order-42-create")
                            .build())
                    .create(ResilienceSupport.createParams());
        }
        assertThat(idempotencyKeys()).containsExactly("order-42-create", "order-42-create");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void onlyCreateCarriesAnIdempotencyKey(Mode mode) {
        wm.stubFor(get(urlEqualTo(GET_PATH)).willReturn(okJson(BATCH_JSON)));
        getBatch(mode);
        wm.verify(getRequestedFor(urlEqualTo(GET_PATH)).withoutHeader("Idempotency-Key"));
    }

    private static List<String> idempotencyKeys() {
        return wm.findAll(postRequestedFor(urlEqualTo(CREATE_PATH))).stream()
                .map(r -> r.getHeader("Idempotency-Key"))
                .collect(Collectors.toList());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aConflictIsNotRetriedByDefaultAndThrowsConflictExceptionAfterOneRequest(Mode mode) {
        wm.stubFor(post(urlEqualTo(CREATE_PATH))
                .willReturn(aResponse()
                        .withStatus(409)
                        .withHeader("X-Request-ID", "req_409")
                        .withBody("{\"error\":{\"message\":\"A batch with this idempotency key is in progress\"}}")));
        wm.stubFor(get(urlEqualTo(GET_PATH)).willReturn(aResponse().withStatus(409)));

        try (Mka1Client client = ResilienceSupport.client(wm, sleeper).build()) {
            assertThat(RetryPolicy.defaults().retryableStatuses().contains(409)).isFalse();
            assertThatThrownBy(() -> mode.batches(client).create(ResilienceSupport.createParams()))
                    .isExactlyInstanceOf(ConflictException.class)
                    .hasMessage("HTTP 409: A batch with this idempotency key is in progress (request id req_409)");
            assertThatThrownBy(() -> mode.batches(client).get(BATCH_ID)).isExactlyInstanceOf(ConflictException.class);
        }
        wm.verify(1, postRequestedFor(urlEqualTo(CREATE_PATH)));
        wm.verify(1, getRequestedFor(urlEqualTo(GET_PATH)));
        assertThat(sleeper.sleeps).isEmpty();
    }

    /** A bug in an interceptor of the caller's client while the body is read: a failed attempt, named, in both modes. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRuntimeExceptionWhileTheResponseIsReadFailsTheAttemptAsAnIoFailure(Mode mode) {
        wm.stubFor(get(urlEqualTo(GET_PATH)).willReturn(okJson(BATCH_JSON)));
        OkHttpClient broken = new OkHttpClient.Builder()
                .addInterceptor(chain -> {
                    okhttp3.Response response = chain.proceed(chain.request());
                    response.close();
                    okio.Source failing = new okio.ForwardingSource(new okio.Buffer()) {
                        @Override
                        public long read(okio.Buffer sink, long byteCount) {
                            throw new IllegalStateException("the interceptor's bug");
                        }
                    };
                    return response.newBuilder()
                            .body(okhttp3.ResponseBody.create(okio.Okio.buffer(failing), null, 10))
                            .build();
                })
                .build();

        Throwable thrown;
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper)
                .httpClient(broken)
                .requestOptions(RequestOptions.builder().maxRetries(1).build())
                .build()) {
            thrown = catchThrowable(() -> mode.batches(client).get(BATCH_ID));
        }

        assertThat(thrown)
                .isInstanceOf(Mka1IoException.class)
                .hasMessageContaining("the response could not be read: java.lang.IllegalStateException")
                .hasRootCauseMessage("the interceptor's bug");
        assertThat(sleeper.sleeps).as("retried as a failed attempt").hasSize(1);
        wm.verify(2, getRequestedFor(urlEqualTo(GET_PATH)));
    }

    /** A bug in an interceptor of the caller's client before anything is sent: a failed attempt too, in both modes. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRuntimeExceptionBeforeTheRequestIsSentFailsTheAttemptAsAnIoFailure(Mode mode) {
        AtomicInteger attempts = new AtomicInteger();
        OkHttpClient broken = new OkHttpClient.Builder()
                .addInterceptor(chain -> {
                    attempts.incrementAndGet();
                    throw new IllegalStateException("the interceptor's bug");
                })
                .build();

        Throwable thrown;
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper)
                .httpClient(broken)
                .requestOptions(RequestOptions.builder().maxRetries(1).build())
                .build()) {
            thrown = catchThrowable(() -> mode.batches(client).get(BATCH_ID));
        }

        assertThat(thrown)
                .isInstanceOf(Mka1IoException.class)
                .hasMessageContaining("GET " + GET_PATH + " (attempt 2) failed")
                .hasMessageContaining("java.lang.IllegalStateException")
                .hasCauseInstanceOf(IOException.class);
        Throwable io = thrown.getCause();
        // OkHttp's async driver reports it as "canceled due to ...", the bug suppressed in that IOException
        Throwable bug = mode == Mode.SYNC ? io.getCause() : io.getSuppressed()[0];
        assertThat(bug).isInstanceOf(IllegalStateException.class).hasMessage("the interceptor's bug");
        assertThat(attempts).as("retried as a failed attempt").hasValue(2);
        assertThat(sleeper.sleeps).hasSize(1);
        wm.verify(0, getRequestedFor(urlEqualTo(GET_PATH)));
    }
}
