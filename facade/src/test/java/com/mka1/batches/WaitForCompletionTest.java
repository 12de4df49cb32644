package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.errors.Mka1Exception;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.errors.NotFoundException;
import com.mka1.batches.errors.RateLimitException;
import com.mka1.batches.errors.WaitTimeoutException;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import com.mka1.batches.observability.CallListener;
import com.mka1.batches.observability.Outage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code waitForCompletion}: its polls, waits, progress reports and timeout, the same in both
 * modes (an async wait blocks no thread: see {@link AsyncTest}).
 */
class WaitForCompletionTest {
    static final String ID = "batch_aa87e2b1112a455b8deabed784372198";
    static final String PATH = "/api/v1/llm/batches/" + ID;

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private final FakeTime time = new FakeTime();
    private final List<BatchObject> progress = new ArrayList<>();
    private Mka1Client client;

    @BeforeEach
    void setUp() {
        client = Mka1Client.builder()
                .apiKey("sk-test")
                .baseUrl(wm.baseUrl())
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .sleeper(time)
                .clock(time)
                .build();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void pollsThroughTheLifecycleWithGrowingWaitsAndReportsEachChange(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        answerInTurn(
                batch("validating", 0, 0, 0),
                batch("in_progress", 0, 0, 3),
                batch("in_progress", 2, 0, 3),
                batch("in_progress", 2, 0, 3),
                batch("finalizing", 2, 1, 3),
                batch("completed", 2, 1, 3));

        BatchObject done = batches.waitForCompletion(
                ID, WaitOptions.builder().onProgress(progress::add).build());

        assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(done.getRequestCounts().getFailed()).isEqualTo(1);
        wm.verify(6, getRequestedFor(urlPathEqualTo(PATH)));
        assertThat(time.sleeps)
                .containsExactly(
                        Duration.ofMillis(2000),
                        Duration.ofMillis(3000),
                        Duration.ofMillis(4500),
                        Duration.ofMillis(6750),
                        Duration.ofMillis(10125));
        // The fourth poll saw nothing new, so it is not reported.
        assertThat(progress)
                .extracting(b -> b.getStatus() + " " + b.getRequestCounts().getCompleted() + "/"
                        + b.getRequestCounts().getFailed() + "/"
                        + b.getRequestCounts().getTotal())
                .containsExactly(
                        "validating 0/0/0",
                        "in_progress 0/0/3",
                        "in_progress 2/0/3",
                        "finalizing 2/1/3",
                        "completed 2/1/3");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theWaitGrowsUpToTheMaximumAndStaysThere(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        answerInTurn(
                batch("in_progress", 0, 0, 1),
                batch("in_progress", 0, 0, 1),
                batch("in_progress", 0, 0, 1),
                batch("in_progress", 0, 0, 1),
                batch("in_progress", 0, 0, 1),
                batch("completed", 1, 0, 1));

        batches.waitForCompletion(
                ID,
                WaitOptions.builder()
                        .pollInterval(Duration.ofSeconds(10))
                        .backoffMultiplier(2)
                        .maxPollInterval(Duration.ofSeconds(30))
                        .build());

        assertThat(time.sleeps)
                .containsExactly(
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void defaultsPollEveryTwoSecondsGrowingToThirtySeconds(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        answerInTurn(
                batch("in_progress", 0, 0, 1),
                batch("in_progress", 0, 0, 1),
                batch("in_progress", 0, 0, 1),
                batch("in_progress", 0, 0, 1),
                batch("in_progress", 0, 0, 1),
                batch("in_progress", 0, 0, 1),
                batch("in_progress", 0, 0, 1),
                batch("in_progress", 0, 0, 1),
                batch("completed", 1, 0, 1));

        batches.waitForCompletion(ID, WaitOptions.defaults());

        assertThat(time.sleeps).first().isEqualTo(Duration.ofSeconds(2));
        assertThat(time.sleeps).last().isEqualTo(Duration.ofSeconds(30));
        assertThat(time.sleeps).isSorted();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void timeoutPollsOnceMoreAtTheDeadlineThenThrowsWithTheLastBatch(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        answerInTurn(
                batch("in_progress", 1, 0, 5),
                batch("in_progress", 2, 0, 5),
                batch("in_progress", 3, 0, 5),
                batch("in_progress", 4, 0, 5));

        WaitTimeoutException e = catchThrowableOfType(
                WaitTimeoutException.class,
                () -> batches.waitForCompletion(
                        ID,
                        WaitOptions.builder()
                                .pollInterval(Duration.ofSeconds(4))
                                .backoffMultiplier(1)
                                .timeout(Duration.ofSeconds(10))
                                .build()));

        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(4), Duration.ofSeconds(4), Duration.ofSeconds(2));
        wm.verify(4, getRequestedFor(urlPathEqualTo(PATH)));
        assertThat(e.lastBatch().getStatus()).isEqualTo(BatchStatus.IN_PROGRESS);
        assertThat(e.lastBatch().getRequestCounts().getCompleted()).isEqualTo(4);
        assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(e)
                .isInstanceOf(Mka1Exception.class)
                .hasMessageContaining(ID)
                .hasMessageContaining("in_progress")
                .hasMessageContaining("4 completed");
    }

    static Stream<Arguments> terminalStatusesInBothModes() {
        return Stream.of(Mode.values())
                .flatMap(mode -> Stream.of("failed", "expired", "cancelled", "completed")
                        .map(status -> Arguments.of(mode, status)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("terminalStatusesInBothModes")
    void aTerminalBatchIsReturnedWithoutWaiting(Mode mode, String status) {
        Mode.Batches batches = mode.batches(client);
        answerInTurn(batch(status, 0, 0, 2));

        BatchObject batch = batches.waitForCompletion(
                ID, WaitOptions.builder().onProgress(progress::add).build());

        assertThat(batch.getStatus().getValue()).isEqualTo(status);
        assertThat(time.sleeps).isEmpty();
        assertThat(progress).hasSize(1);
        wm.verify(1, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void cancellingIsWaitedThroughUntilCancelled(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        answerInTurn(batch("cancelling", 1, 0, 3), batch("cancelled", 1, 0, 3));

        assertThat(batches.waitForCompletion(ID, WaitOptions.defaults()).getStatus())
                .isEqualTo(BatchStatus.CANCELLED);
        assertThat(time.sleeps).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anUnknownNewStatusIsNotTreatedAsTerminal(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        answerInTurn(batch("paused_by_operator", 0, 0, 3), batch("completed", 3, 0, 3));

        BatchObject done = batches.waitForCompletion(ID, WaitOptions.defaults());

        assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        wm.verify(2, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void anInterruptDuringTheWaitStopsItAndKeepsTheFlag() {
        answerInTurn(batch("in_progress", 0, 0, 3));
        Mka1Client interrupted = Mka1Client.builder()
                .apiKey("sk-test")
                .baseUrl(wm.baseUrl())
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .sleeper(d -> {
                    throw new InterruptedException();
                })
                .build();
        try {
            assertThatThrownBy(() -> interrupted.llm().batches().waitForCompletion(ID, WaitOptions.defaults()))
                    .isExactlyInstanceOf(Mka1IoException.class)
                    .hasMessageContaining("Interrupted")
                    .hasMessageContaining(ID)
                    .hasCauseInstanceOf(java.io.InterruptedIOException.class)
                    .hasRootCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted())
                    .as("interrupt flag restored (and cleared here)")
                    .isTrue();
        } finally {
            interrupted.close();
        }
        wm.verify(1, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void eachPollCarriesTheGivenRequestOptions(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        answerInTurn(batch("in_progress", 0, 0, 1), batch("completed", 1, 0, 1));

        batches.withOptions(RequestOptions.builder().onBehalfOf("user_42").build())
                .waitForCompletion(ID, WaitOptions.defaults());

        wm.verify(2, getRequestedFor(urlPathEqualTo(PATH)).withHeader("X-On-Behalf-Of", equalTo("user_42")));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aFailingPollEndsTheWaitWithItsException(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        wm.stubFor(get(urlPathEqualTo(PATH)).willReturn(notFound()));

        assertThatThrownBy(() -> batches.waitForCompletion(ID, WaitOptions.defaults()))
                .isInstanceOf(NotFoundException.class);
        assertThat(time.sleeps).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anExceptionFromTheProgressCallbackEndsTheWait(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        answerInTurn(batch("in_progress", 0, 0, 1), batch("completed", 1, 0, 1));

        assertThatThrownBy(() -> batches.waitForCompletion(
                        ID,
                        WaitOptions.builder()
                                .onProgress(b -> {
                                    throw new IllegalStateException("stop");
                                })
                                .build()))
                .hasMessage("stop");
        wm.verify(1, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void argumentsAreCheckedBeforeAnyRequest(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        assertThatThrownBy(() -> batches.waitForCompletion(null, WaitOptions.defaults()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("batchId == null");
        assertThatThrownBy(() -> batches.waitForCompletion(" ", WaitOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchId");
        assertThatThrownBy(() -> batches.waitForCompletion(ID, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("options == null");
        wm.verify(0, getRequestedFor(urlPathEqualTo(PATH)));
    }

    /** A poll answered with another batch is no news of this one: never returned as if it were. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aPollAnsweredWithAnotherBatchIsAnInvalidResponseNamingBothIds(Mode mode) {
        answerInTurn(batch("in_progress", 0, 0, 3), batch("completed", 3, 0, 3).replace(ID, "batch_someone_elses"));

        assertThatThrownBy(() -> mode.batches(client)
                        .waitForCompletion(
                                ID,
                                WaitOptions.builder().onProgress(progress::add).build()))
                .isInstanceOf(InvalidResponseException.class)
                .hasMessageContaining(
                        "asked for batch '" + ID + "', the server answered with batch 'batch_someone_elses'");
        assertThat(progress).extracting(BatchObject::getId).containsExactly(ID);
        wm.verify(2, getRequestedFor(urlPathEqualTo(PATH)));
    }

    /** Answers the polls with {@code bodies} in order; the last one repeats. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aTimeoutBeyondTheClocksRangeWaitsUntilTheBatchEnds(Mode mode) {
        answerInTurn(batch("in_progress", 0, 0, 1), batch("completed", 1, 0, 1));

        BatchObject done = mode.batches(client)
                .waitForCompletion(
                        ID,
                        WaitOptions.builder()
                                .timeout(Duration.ofMillis(Long.MAX_VALUE))
                                .build());

        assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(time.sleeps).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aTwoMinuteOutageInTheMiddleOfTheWaitIsRiddenOut(Mode mode) {
        answerInTurn(batch("in_progress", 0, 0, 3), batch("in_progress", 1, 0, 3), batch("completed", 3, 0, 3));
        List<Outage> reported = new CopyOnWriteArrayList<>();
        List<Outage> heard = new CopyOnWriteArrayList<>();
        try (Mka1Client outage = clientDownAfterFirstWait(Duration.ofMinutes(2), heard)) {
            BatchObject done = mode.batches(outage)
                    .waitForCompletion(
                            ID,
                            WaitOptions.builder()
                                    .onProgress(progress::add)
                                    .onOutage(reported::add)
                                    .build());

            assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        }
        // The first wait, then the outage's growing waits (123 s in all), then the polls' schedule again.
        assertThat(time.sleeps)
                .containsExactly(
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(8),
                        Duration.ofSeconds(16),
                        Duration.ofSeconds(32),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(3));
        wm.verify(10, getRequestedFor(urlPathEqualTo(PATH)));
        assertThat(progress)
                .extracting(b -> b.getStatus() + " " + b.getRequestCounts().getCompleted())
                .containsExactly("in_progress 0", "in_progress 1", "completed 3");
        // Each failed poll was heard, by the wait's callback and by the client's listener alike.
        assertThat(reported)
                .extracting(o -> o.failures() + " " + o.downFor().toSeconds() + "s "
                        + o.retryIn().toSeconds() + "s "
                        + o.failure().getClass().getSimpleName())
                .containsExactly(
                        "1 2s 1s InternalServerException",
                        "2 3s 2s InternalServerException",
                        "3 5s 4s InternalServerException",
                        "4 9s 8s InternalServerException",
                        "5 17s 16s InternalServerException",
                        "6 33s 32s InternalServerException",
                        "7 65s 60s Mka1IoException");
        assertThat(heard).containsExactlyElementsOf(reported);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void pastTheOutageBudgetTheLastFailureIsThrownWithTheEarlierOnesSuppressed(Mode mode) {
        answerInTurn(batch("in_progress", 0, 0, 3), batch("completed", 3, 0, 3));
        try (Mka1Client outage = clientDownAfterFirstWait(Duration.ofMinutes(1), new ArrayList<>())) {
            Throwable thrown = catchThrowable(() -> mode.batches(outage)
                    .waitForCompletion(
                            ID,
                            WaitOptions.builder()
                                    .outageBudget(Duration.ofSeconds(45))
                                    .build()));

            // 503s for 30 s, then resets: the last one, 45 s after the last poll that succeeded, is thrown.
            assertThat(thrown).isExactlyInstanceOf(Mka1IoException.class).hasMessageContaining(ID);
            assertThat(thrown.getSuppressed()).hasSize(6);
            assertThat(thrown.getSuppressed()[0])
                    .isInstanceOf(ApiException.class)
                    .satisfies(e -> assertThat(((ApiException) e).statusCode()).isEqualTo(503));
            assertThat(thrown.getSuppressed()[5]).isExactlyInstanceOf(Mka1IoException.class);
        }
        assertThat(time.sleeps)
                .containsExactly(
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(8),
                        Duration.ofSeconds(16),
                        Duration.ofSeconds(12));
        wm.verify(8, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anOutageIsNotWaitedOutPastTheWaitsTimeout(Mode mode) {
        answerInTurn(batch("in_progress", 0, 0, 3), batch("completed", 3, 0, 3));
        try (Mka1Client outage = clientDownAfterFirstWait(Duration.ofMinutes(2), new ArrayList<>())) {
            assertThatThrownBy(() -> mode.batches(outage)
                            .waitForCompletion(
                                    ID,
                                    WaitOptions.builder()
                                            .timeout(Duration.ofSeconds(10))
                                            .build()))
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining("503");
        }
        // The last try lands on the timeout.
        assertThat(time.sleeps)
                .containsExactly(
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRateLimitIsWaitedOutForAsLongAsItsRetryAfterAsks(Mode mode) {
        wm.stubFor(get(urlPathEqualTo(PATH))
                .inScenario("limited")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(batch("in_progress", 0, 0, 3)))
                .willSetStateTo("limited"));
        wm.stubFor(get(urlPathEqualTo(PATH))
                .inScenario("limited")
                .whenScenarioStateIs("limited")
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "90")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"Rate limit exceeded\"}"))
                .willSetStateTo("done"));
        wm.stubFor(get(urlPathEqualTo(PATH))
                .inScenario("limited")
                .whenScenarioStateIs("done")
                .willReturn(okJson(batch("completed", 3, 0, 3))));
        List<Outage> reported = new CopyOnWriteArrayList<>();

        BatchObject done = mode.batches(client)
                .waitForCompletion(
                        ID, WaitOptions.builder().onOutage(reported::add).build());

        assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(90));
        assertThat(reported).singleElement().satisfies(o -> {
            assertThat(o.failure()).isInstanceOf(RateLimitException.class);
            assertThat(o.retryIn()).isEqualTo(Duration.ofSeconds(90));
        });
    }

    static Stream<Arguments> clientErrorsInBothModes() {
        return Stream.of(Mode.values())
                .flatMap(mode -> Stream.of(400, 401, 403, 404, 409, 422).map(status -> Arguments.of(mode, status)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clientErrorsInBothModes")
    void aClientErrorInTheMiddleOfTheWaitIsNotWaitedOut(Mode mode, int status) {
        wm.stubFor(get(urlPathEqualTo(PATH))
                .inScenario("gone")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(batch("in_progress", 0, 0, 3)))
                .willSetStateTo("gone"));
        wm.stubFor(get(urlPathEqualTo(PATH))
                .inScenario("gone")
                .whenScenarioStateIs("gone")
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"no\",\"type\":\"invalid_request_error\"}}")));
        List<Outage> reported = new ArrayList<>();

        Throwable thrown = catchThrowable(() -> mode.batches(client)
                .waitForCompletion(
                        ID, WaitOptions.builder().onOutage(reported::add).build()));

        assertThat(thrown).isInstanceOf(ApiException.class);
        assertThat(((ApiException) thrown).statusCode()).isEqualTo(status);
        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(2));
        assertThat(reported).isEmpty();
        wm.verify(2, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void anInterruptWhileWaitingOutAnOutageStopsTheWaitAndKeepsTheFlag() {
        wm.stubFor(get(urlPathEqualTo(PATH)).willReturn(serviceUnavailable()));
        Mka1Client interrupted = Mka1Client.builder()
                .apiKey("sk-test")
                .baseUrl(wm.baseUrl())
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .sleeper(d -> {
                    throw new InterruptedException();
                })
                .build();
        try {
            assertThatThrownBy(() -> interrupted.llm().batches().waitForCompletion(ID, WaitOptions.defaults()))
                    .isExactlyInstanceOf(Mka1IoException.class)
                    .hasMessageContaining("Interrupted while waiting out an outage")
                    .hasMessageContaining(ID)
                    .hasCauseInstanceOf(java.io.InterruptedIOException.class)
                    .satisfies(
                            e -> assertThat(e.getSuppressed()).singleElement().isInstanceOf(ApiException.class));
            assertThat(Thread.interrupted())
                    .as("interrupt flag restored (and cleared here)")
                    .isTrue();
        } finally {
            interrupted.close();
        }
        wm.verify(1, getRequestedFor(urlPathEqualTo(PATH)));
    }

    /** A client on {@link #downAfterFirstWait}, without retries of its own, telling {@code heard} of each outage. */
    private Mka1Client clientDownAfterFirstWait(Duration length, List<Outage> heard) {
        return Mka1Client.builder()
                .apiKey("sk-test")
                .baseUrl(wm.baseUrl())
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .sleeper(downAfterFirstWait(length))
                .clock(time)
                .addListener(new CallListener() {
                    @Override
                    public void outageRetryScheduled(Outage outage) {
                        heard.add(outage);
                    }
                })
                .build();
    }

    /**
     * A sleeper on {@link #time} that takes the server down once the first wait is over, for
     * {@code length} of fake time: polls get a 503 in its first half, then their connection reset.
     */
    private Sleeper downAfterFirstWait(Duration length) {
        return new Sleeper() {
            private Instant downSince;
            private StubMapping outage;

            @Override
            public synchronized void sleep(Duration duration) {
                time.sleep(duration);
                Instant now = time.instant();
                if (downSince == null) {
                    downSince = now;
                } else if (outage == null) {
                    return; // over
                } else {
                    wm.removeStub(outage);
                    outage = null;
                }
                Duration down = Duration.between(downSince, now);
                if (down.compareTo(length) < 0) {
                    outage = wm.stubFor(get(urlPathEqualTo(PATH))
                            .atPriority(1)
                            .willReturn(
                                    down.compareTo(length.dividedBy(2)) < 0
                                            ? serviceUnavailable()
                                            : aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
                }
            }
        };
    }

    static void answerInTurn(String... bodies) {
        answerInTurn(wm, bodies);
    }

    static void answerInTurn(WireMockExtension wm, String... bodies) {
        for (int i = 0; i < bodies.length; i++) {
            ScenarioMappingBuilder poll = get(urlPathEqualTo(PATH))
                    .inScenario("lifecycle")
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "poll " + i)
                    .willReturn(okJson(bodies[i]));
            if (i + 1 < bodies.length) {
                poll = poll.willSetStateTo("poll " + (i + 1));
            }
            wm.stubFor(poll);
        }
    }

    static String batch(String status, int completed, int failed, int total) {
        return "{\"id\":\"" + ID + "\",\"object\":\"batch\",\"endpoint\":\"/v1/chat/completions\","
                + "\"input_file_id\":\"file_abc123\",\"completion_window\":\"24h\",\"status\":\"" + status + "\","
                + "\"created_at\":1704067200,\"request_counts\":{\"total\":" + total + ",\"completed\":" + completed
                + ",\"failed\":" + failed + "}}";
    }
}
