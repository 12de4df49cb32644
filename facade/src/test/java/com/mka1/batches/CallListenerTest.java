package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static com.mka1.batches.ResilienceSupport.API_KEY;
import static com.mka1.batches.ResilienceSupport.BATCH_ID;
import static com.mka1.batches.ResilienceSupport.BATCH_JSON;
import static com.mka1.batches.ResilienceSupport.LIST_JSON;
import static com.mka1.batches.TestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.errors.Mka1TimeoutException;
import com.mka1.batches.errors.NotFoundException;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.FilePurpose;
import com.mka1.batches.observability.AttemptResult;
import com.mka1.batches.observability.CallContext;
import com.mka1.batches.observability.CallListener;
import com.mka1.batches.observability.CallOutcome;
import com.mka1.batches.observability.CallResult;
import com.mka1.batches.observability.RetryScheduled;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * What a {@link CallListener} hears of real calls against WireMock, in both modes: each call's
 * start, attempts, retries and end, in order, with the operation, status, outcome, request id,
 * durations on the client's clock and the very exception the caller gets; a listener that throws
 * changes nothing for the call; nothing a listener gets carries the API key.
 */
class CallListenerTest {
    @RegisterExtension
    static final WireMockExtension wm = ResilienceSupport.loopbackWireMock();

    private static final String GET_PATH = "/api/v1/llm/batches/" + BATCH_ID;

    @TempDir
    Path dir;

    private final FakeTime sleeper = new FakeTime();
    private final Recorder recorder = new Recorder();

    private Mka1Client client(int maxRetries) {
        return ResilienceSupport.client(wm, sleeper)
                .requestOptions(RequestOptions.builder().maxRetries(maxRetries).build())
                .addListener(recorder)
                .build();
    }

    /** GET answers {@code first}, then 200 with request id {@code req_2}. */
    private void getAnswersThenSucceeds(ResponseDefinitionBuilder first) {
        wm.stubFor(get(urlEqualTo(GET_PATH))
                .inScenario("s")
                .whenScenarioStateIs(STARTED)
                .willReturn(first)
                .willSetStateTo("ok"));
        wm.stubFor(get(urlEqualTo(GET_PATH))
                .inScenario("s")
                .whenScenarioStateIs("ok")
                .willReturn(okJson(BATCH_JSON).withHeader("X-Request-ID", "req_2")));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aSuccessfulCallIsOneStartOneAttemptAndOneEnd(Mode mode) {
        wm.stubFor(get(urlEqualTo(GET_PATH)).willReturn(okJson(BATCH_JSON).withHeader("X-Request-ID", "req_1")));

        try (Mka1Client client = client(2)) {
            assertThat(mode.batches(client).get(BATCH_ID).getId()).isEqualTo(BATCH_ID);
        }

        assertThat(recorder.events)
                .containsExactly(
                        "start batches.get GET " + GET_PATH,
                        "attempt 1",
                        "attempt 1 ended SUCCESS 200 2xx in 0 ms, request req_1",
                        "end SUCCESS 200 2xx after 1 attempt(s) in 0 ms, request req_1");
        assertThat(recorder.contexts)
                .as("one context for every event of the call")
                .hasSize(1);
        assertThat(recorder.contexts.get(0).serverAddress())
                .as("the base URL's host (ResilienceSupport's)")
                .isEqualTo("127.0.0.1");
        assertThat(recorder.calls.get(0).failure()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRetryAfterA503IsReportedWithItsReasonAndTheServersWait(Mode mode) {
        getAnswersThenSucceeds(
                aResponse().withStatus(503).withHeader("Retry-After", "2").withHeader("X-Request-ID", "req_1"));

        try (Mka1Client client = client(2)) {
            assertThat(mode.batches(client).get(BATCH_ID).getId()).isEqualTo(BATCH_ID);
        }

        assertThat(recorder.events)
                .containsExactly(
                        "start batches.get GET " + GET_PATH,
                        "attempt 1",
                        "attempt 1 ended SERVER_ERROR 503 5xx in 0 ms, request req_1",
                        "retry after attempt 1: SERVER_ERROR 503 5xx, wait 2000 ms (server)",
                        "attempt 2",
                        "attempt 2 ended SUCCESS 200 2xx in 0 ms, request req_2",
                        "end SUCCESS 200 2xx after 2 attempt(s) in 2000 ms, request req_2");
        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(2));
        assertThat(recorder.retries.get(0).failure()).isInstanceOf(com.mka1.batches.errors.ApiException.class);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void connectionFailuresAreIoErrorsWithoutAStatusAndTheCallEndsWithTheExceptionTheCallerGets(Mode mode) {
        wm.stubFor(get(urlEqualTo(GET_PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        Throwable thrown;
        List<String> logged;
        try (ResilienceSupport.LogCapture logs = new ResilienceSupport.LogCapture();
                Mka1Client client = client(1)) {
            thrown = catchThrowable(() -> mode.batches(client).get(BATCH_ID));
            logged = logs.messages();
        }

        assertThat(thrown).isExactlyInstanceOf(Mka1IoException.class);
        assertThat(logged)
                .as("the client's DEBUG line of each attempt")
                .contains(
                        "GET " + GET_PATH + " -> I/O failure (attempt 1, 0 ms)",
                        "GET " + GET_PATH + " -> I/O failure (attempt 2, 0 ms)");
        long backoff = sleeper.sleeps.get(0).toMillis();
        assertThat(recorder.events)
                .containsExactly(
                        "start batches.get GET " + GET_PATH,
                        "attempt 1",
                        "attempt 1 ended IO_ERROR 0 none in 0 ms",
                        "retry after attempt 1: IO_ERROR 0 none, wait " + backoff + " ms (backoff)",
                        "attempt 2",
                        "attempt 2 ended IO_ERROR 0 none in 0 ms",
                        "end IO_ERROR 0 none after 2 attempt(s) in " + backoff + " ms");
        assertThat(recorder.calls.get(0).failure()).isSameAs(thrown);
        assertThat(recorder.attempts.get(1).failure()).isSameAs(thrown);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aStatusThatIsNotRetriedEndsTheCallAtOnceAsAClientError(Mode mode) {
        wm.stubFor(get(urlEqualTo(GET_PATH))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("X-Request-ID", "req_404")
                        .withBody("{\"error\":\"No batch found\"}")));

        Throwable thrown;
        try (Mka1Client client = client(2)) {
            thrown = catchThrowable(() -> mode.batches(client).get(BATCH_ID));
        }

        assertThat(thrown).isInstanceOf(NotFoundException.class);
        assertThat(recorder.events)
                .containsExactly(
                        "start batches.get GET " + GET_PATH,
                        "attempt 1",
                        "attempt 1 ended CLIENT_ERROR 404 4xx in 0 ms, request req_404",
                        "end CLIENT_ERROR 404 4xx after 1 attempt(s) in 0 ms, request req_404");
        assertThat(recorder.calls.get(0).failure()).isSameAs(thrown);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aBodyThatIsNotWhatTheOperationAnswersIsAnInvalidResponseWithItsStatus(Mode mode) {
        wm.stubFor(get(urlEqualTo(GET_PATH)).willReturn(okJson("[1, 2]").withHeader("X-Request-ID", "req_bad")));

        Throwable thrown;
        try (Mka1Client client = client(2)) {
            thrown = catchThrowable(() -> mode.batches(client).get(BATCH_ID));
        }

        assertThat(thrown).isInstanceOf(InvalidResponseException.class);
        assertThat(recorder.events)
                .containsExactly(
                        "start batches.get GET " + GET_PATH,
                        "attempt 1",
                        "attempt 1 ended INVALID_RESPONSE 200 2xx in 0 ms, request req_bad",
                        "end INVALID_RESPONSE 200 2xx after 1 attempt(s) in 0 ms, request req_bad");
        assertThat(recorder.calls.get(0).failure()).isSameAs(thrown);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anAttemptTimeoutIsATimeout(Mode mode) {
        wm.stubFor(get(urlEqualTo(GET_PATH)).willReturn(okJson(BATCH_JSON).withFixedDelay(2_000)));

        Throwable thrown;
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper)
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .requestOptions(RequestOptions.builder()
                        .attemptTimeout(Duration.ofMillis(100))
                        .build())
                .addListener(recorder)
                .build()) {
            thrown = catchThrowable(() -> mode.batches(client).get(BATCH_ID));
        }

        assertThat(thrown).isInstanceOf(Mka1TimeoutException.class);
        assertThat(recorder.attempts).extracting(AttemptResult::outcome).containsExactly(CallOutcome.TIMEOUT);
        assertThat(recorder.calls).extracting(CallResult::outcome).containsExactly(CallOutcome.TIMEOUT);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void eachOperationHasItsOwnNameWithoutIds(Mode mode) throws Exception {
        wm.stubFor(get(urlEqualTo(GET_PATH)).willReturn(okJson(BATCH_JSON)));
        wm.stubFor(post(urlEqualTo(TestSupport.BATCHES)).willReturn(okJson(BATCH_JSON)));
        wm.stubFor(post(urlEqualTo(GET_PATH + "/cancel")).willReturn(okJson(BATCH_JSON)));
        wm.stubFor(get(urlPathEqualTo(TestSupport.BATCHES)).willReturn(okJson(LIST_JSON)));
        String fileId = "file-abc123";
        String filePath = TestSupport.FILES + "/" + fileId;
        wm.stubFor(post(urlEqualTo(TestSupport.FILES)).willReturn(okJson(fixture("file-batch-input.json"))));
        wm.stubFor(get(urlEqualTo(filePath)).willReturn(okJson(fixture("file-batch-input.json"))));
        wm.stubFor(delete(urlEqualTo(filePath)).willReturn(okJson(fixture("deleted-file.json"))));
        wm.stubFor(get(urlPathEqualTo(TestSupport.FILES)).willReturn(okJson(fixture("files-empty.json"))));
        wm.stubFor(get(urlEqualTo(filePath + "/content"))
                .willReturn(aResponse().withStatus(200).withBody("{}\n")));

        try (Mka1Client client = client(0)) {
            Mode.Batches batches = mode.batches(client);
            Mode.Files files = mode.files(client);
            batches.create(ResilienceSupport.createParams());
            batches.get(BATCH_ID);
            batches.list(ListBatchesParams.none());
            batches.cancel(BATCH_ID);
            files.upload("{}\n".getBytes(StandardCharsets.UTF_8), "input.jsonl", FilePurpose.BATCH);
            files.get(fileId);
            files.list(ListFilesParams.none());
            files.delete(fileId);
            try (FileContent content = files.content(fileId)) {
                assertThat(content.inputStream().readAllBytes()).isNotEmpty();
            }
            files.download(fileId, dir.resolve("out.jsonl"));
        }

        assertThat(recorder.calls).extracting(CallResult::outcome).containsOnly(CallOutcome.SUCCESS);
        assertThat(recorder.contexts)
                .extracting(CallContext::operation)
                .containsExactly(
                        "batches.create",
                        "batches.get",
                        "batches.list",
                        "batches.cancel",
                        "files.upload",
                        "files.get",
                        "files.list",
                        "files.delete",
                        "files.content",
                        "files.download");
        assertThat(recorder.contexts)
                .extracting(CallContext::method)
                .containsExactly("POST", "GET", "GET", "POST", "POST", "GET", "GET", "DELETE", "GET", "GET");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aListenerThatThrowsEverywhereChangesNothingForTheCallNorForTheListenersAfterIt(Mode mode) {
        getAnswersThenSucceeds(aResponse().withStatus(500));
        CallListener broken = new CallListener() {
            @Override
            public void callStarted(CallContext call) {
                throw new IllegalStateException("broken listener");
            }

            @Override
            public void attemptStarted(CallContext call, int attempt) {
                throw new IllegalStateException("broken listener");
            }

            @Override
            public void attemptEnded(CallContext call, AttemptResult attempt) {
                throw new AssertionError("broken listener");
            }

            @Override
            public void retryScheduled(CallContext call, RetryScheduled retry) {
                throw new IllegalStateException("broken listener");
            }

            @Override
            public void callEnded(CallContext call, CallResult result) {
                throw new IllegalStateException("broken listener");
            }
        };

        List<BatchObject> got = new ArrayList<>();
        List<ILoggingEvent> warnings;
        List<String> lines;
        try (Warnings logs = new Warnings();
                Mka1Client client = ResilienceSupport.client(wm, sleeper)
                        .addListener(broken)
                        .addListener(recorder)
                        .build()) {
            got.add(mode.batches(client).get(BATCH_ID));
            got.add(mode.batches(client).get(BATCH_ID));
            warnings = logs.warnings();
            lines = logs.messages();
        }

        assertThat(got).extracting(BatchObject::getId).containsExactly(BATCH_ID, BATCH_ID);
        assertThat(recorder.calls)
                .extracting(CallResult::outcome)
                .containsExactly(CallOutcome.SUCCESS, CallOutcome.SUCCESS);
        assertThat(recorder.retries).hasSize(1);
        assertThat(warnings).as("logged once at WARN, with what threw").hasSize(1);
        assertThat(warnings.get(0).getFormattedMessage())
                .contains(broken.getClass().getName())
                .contains("callStarted")
                .contains("batches.get");
        assertThat(warnings.get(0).getThrowableProxy().getMessage()).isEqualTo("broken listener");
        String threw = "CallListener " + broken.getClass().getName() + " threw in ";
        assertThat(lines)
                .as("each later failure at DEBUG, naming its event")
                .contains(
                        threw + "attemptStarted of batches.get", threw + "attemptEnded of batches.get",
                        threw + "retryScheduled of batches.get", threw + "callEnded of batches.get");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 404})
    void anAsyncCallsEndIsHeardBeforeItsFutureCompletes(int lastStatus) throws Exception {
        getAnswersThenSucceeds(aResponse().withStatus(503));
        if (lastStatus != 200) {
            wm.stubFor(get(urlEqualTo(GET_PATH))
                    .inScenario("s")
                    .whenScenarioStateIs("ok")
                    .willReturn(aResponse().withStatus(lastStatus).withBody("{\"error\":\"No batch found\"}")));
        }
        CompletableFuture<Void> retryWait = new CompletableFuture<>();
        Sleeper held = new Sleeper() {
            @Override
            public void sleep(Duration duration) {
                throw new AssertionError("an async call waits without blocking");
            }

            @Override
            public CompletableFuture<Void> sleepAsync(Duration duration) {
                return retryWait;
            }
        };

        try (Mka1Client client = ResilienceSupport.client(wm, sleeper)
                .sleeper(held)
                .requestOptions(RequestOptions.builder().maxRetries(1).build())
                .addListener(recorder)
                .build()) {
            CompletableFuture<BatchObject> future =
                    client.async().llm().batches().get(BATCH_ID);
            CompletableFuture<Integer> endsHeardWhenDone = future.handle((value, error) -> recorder.calls.size());
            retryWait.complete(null); // the second attempt goes out only now: the future is not done before

            assertThat(endsHeardWhenDone.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(recorder.calls).extracting(CallResult::statusCode).containsExactly(lastStatus);
    }

    /** The default: no listener and DEBUG off, so nothing traces the call; it retries and ends as ever. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void withoutListenersAndWithDebugOffACallRetriesAndEndsAsUsual(Mode mode) {
        getAnswersThenSucceeds(aResponse().withStatus(503));
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("com.mka1.batches");
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        try (ResilienceSupport.LogCapture logs = new ResilienceSupport.LogCapture();
                Mka1Client client = ResilienceSupport.client(wm, sleeper)
                        .requestOptions(RequestOptions.builder().maxRetries(1).build())
                        .build()) {
            assertThat(mode.batches(client).get(BATCH_ID).getId()).isEqualTo(BATCH_ID);
            wm.stubFor(get(urlEqualTo(GET_PATH))
                    .willReturn(aResponse().withStatus(404).withBody("{\"error\":\"No batch found\"}")));
            assertThatThrownBy(() -> mode.batches(client).get(BATCH_ID)).isInstanceOf(NotFoundException.class);

            assertThat(logs.messages()).isEmpty();
        } finally {
            logger.setLevel(level);
        }
        assertThat(sleeper.sleeps).hasSize(1);
    }

    @Test
    void cancellingAnAsyncCallEndsItsAttemptAndTheCallAsCancelled() throws Exception {
        wm.stubFor(get(urlEqualTo(GET_PATH)).willReturn(okJson(BATCH_JSON).withFixedDelay(10_000)));
        CountDownLatch sent = new CountDownLatch(1);
        recorder.onAttemptStart = attempt -> sent.countDown();

        try (ResilienceSupport.LogCapture logs = new ResilienceSupport.LogCapture();
                Mka1Client client = client(2)) {
            CompletableFuture<BatchObject> future =
                    client.async().llm().batches().get(BATCH_ID);
            assertThat(sent.await(5, TimeUnit.SECONDS)).isTrue();

            assertThat(future.cancel(true)).isTrue();

            assertThat(logs.messages()).contains("GET " + GET_PATH + " -> cancelled (attempt 1, 0 ms)");

            assertThat(recorder.events)
                    .containsExactly(
                            "start batches.get GET " + GET_PATH,
                            "attempt 1",
                            "attempt 1 ended CANCELLED 0 none in 0 ms",
                            "end CANCELLED 0 none after 1 attempt(s) in 0 ms");
        }
        assertThat(recorder.events)
                .as("the cancelled call's late failure is not reported")
                .hasSize(4);
    }

    @Test
    void anInterruptWhileWaitingToRetryEndsTheCallAsCancelled() {
        wm.stubFor(get(urlEqualTo(GET_PATH)).willReturn(aResponse().withStatus(503)));
        Throwable thrown;
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper)
                .addListener(recorder)
                .sleeper(d -> {
                    throw new InterruptedException();
                })
                .build()) {
            thrown = catchThrowable(() -> client.llm().batches().get(BATCH_ID));
        } finally {
            Thread.interrupted(); // the client kept the flag, as it should; clear it for the next test
        }

        assertThat(thrown).isInstanceOf(Mka1IoException.class);
        assertThat(recorder.attempts).extracting(AttemptResult::outcome).containsExactly(CallOutcome.SERVER_ERROR);
        assertThat(recorder.retries).hasSize(1);
        assertThat(recorder.calls).extracting(CallResult::outcome).containsExactly(CallOutcome.CANCELLED);
        assertThat(recorder.calls.get(0).failure()).isSameAs(thrown);
    }

    @Test
    void theDebugLineOfEachAttemptIsWrittenOnceBesideTheUsersListeners() {
        getAnswersThenSucceeds(aResponse().withStatus(500));
        try (ResilienceSupport.LogCapture logs = new ResilienceSupport.LogCapture();
                Mka1Client client = ResilienceSupport.client(wm, sleeper)
                        .addListener(recorder)
                        .addListener(recorder)
                        .build()) {
            client.llm().batches().get(BATCH_ID);

            assertThat(logs.messages())
                    .containsExactly(
                            "GET " + GET_PATH + " -> 500 (attempt 1, 0 ms)",
                            "GET " + GET_PATH + " -> 200 (attempt 2, 0 ms)");
        }
        assertThat(recorder.events).as("a listener added twice is told twice").hasSize(2 * 7);
    }

    @Test
    // The calls' outcomes are not what this test checks: they run for what they leave behind.
    @SuppressWarnings("CheckReturnValue")
    void theApiKeyReachesNoListener() {
        getAnswersThenSucceeds(aResponse().withStatus(401).withBody("{\"error\":\"Invalid API key\"}"));
        List<Object> seen = new CopyOnWriteArrayList<>();
        CallListener everything = new CallListener() {
            @Override
            public void callStarted(CallContext call) {
                seen.add(call);
            }

            @Override
            public void attemptEnded(CallContext call, AttemptResult attempt) {
                seen.add(attempt);
                seen.add(attempt.failure());
            }

            @Override
            public void callEnded(CallContext call, CallResult result) {
                seen.add(result);
                seen.add(result.failure());
            }
        };
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper)
                .requestOptions(RequestOptions.builder().onBehalfOf("user_1").build())
                .addListener(everything)
                .build()) {
            catchThrowable(() -> client.llm().batches().get(BATCH_ID));
        }

        assertThat(seen).hasSize(5);
        for (Object each : seen) {
            String text = String.valueOf(each);
            if (each instanceof Throwable) {
                StringWriter trace = new StringWriter();
                ((Throwable) each).printStackTrace(new PrintWriter(trace));
                text = trace.toString();
            }
            assertThat(text).doesNotContain("Bearer").doesNotContain(API_KEY.substring(0, 12));
        }
    }

    @Test
    void aNullListenerIsRefusedByName() {
        assertThatThrownBy(() -> Mka1Client.builder().addListener(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("listener");
    }

    /** Every event as one line, and the objects behind them. */
    private static final class Recorder implements CallListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<CallContext> contexts = new CopyOnWriteArrayList<>();
        final List<AttemptResult> attempts = new CopyOnWriteArrayList<>();
        final List<RetryScheduled> retries = new CopyOnWriteArrayList<>();
        final List<CallResult> calls = new CopyOnWriteArrayList<>();
        volatile Consumer<Integer> onAttemptStart = attempt -> {};

        @Override
        public void callStarted(CallContext call) {
            if (!contexts.contains(call)) {
                contexts.add(call);
            }
            events.add("start " + call.operation() + " " + call.method() + " " + call.path());
        }

        @Override
        public void attemptStarted(CallContext call, int attempt) {
            assertThat(contexts).contains(call);
            events.add("attempt " + attempt);
            onAttemptStart.accept(attempt);
        }

        @Override
        public void attemptEnded(CallContext call, AttemptResult attempt) {
            assertThat(contexts).contains(call);
            attempts.add(attempt);
            events.add("attempt " + attempt.attempt() + " ended " + attempt.outcome() + " " + attempt.statusCode() + " "
                    + attempt.statusClass() + " in " + attempt.duration().toMillis() + " ms"
                    + (attempt.requestId() == null ? "" : ", request " + attempt.requestId()));
        }

        @Override
        public void retryScheduled(CallContext call, RetryScheduled retry) {
            assertThat(contexts).contains(call);
            retries.add(retry);
            events.add("retry after attempt " + retry.attempt() + ": " + retry.reason() + " " + retry.statusCode() + " "
                    + retry.statusClass() + ", wait " + retry.delay().toMillis() + " ms"
                    + (retry.serverRequested() ? " (server)" : " (backoff)"));
        }

        @Override
        public void callEnded(CallContext call, CallResult result) {
            assertThat(contexts).contains(call);
            calls.add(result);
            events.add("end " + result.outcome() + " " + result.statusCode() + " " + result.statusClass() + " after "
                    + result.attempts() + " attempt(s) in " + result.duration().toMillis() + " ms"
                    + (result.requestId() == null ? "" : ", request " + result.requestId()));
        }
    }

    /** Captures the WARN lines of logger {@code com.mka1.batches} while open. */
    private static final class Warnings implements AutoCloseable {
        private final ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("com.mka1.batches");
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        Warnings() {
            appender.start();
            logger.addAppender(appender);
        }

        List<String> messages() {
            List<String> messages = new ArrayList<>();
            for (ILoggingEvent event : appender.list) {
                messages.add(event.getFormattedMessage());
            }
            return messages;
        }

        List<ILoggingEvent> warnings() {
            List<ILoggingEvent> warnings = new ArrayList<>();
            for (ILoggingEvent event : appender.list) {
                if (event.getLevel() == Level.WARN) {
                    warnings.add(event);
                }
            }
            return warnings;
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
        }
    }
}
