package com.mka1.batches.sandbox;

import static com.mka1.batches.sandbox.TestApi.CHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Injected statuses, transport faults and delays, and the request counters. */
class FaultInjectionTest {
    private static Mka1Sandbox sandbox;
    private static TestApi api;

    @BeforeAll
    static void start() {
        sandbox = Mka1Sandbox.builder().clock(SandboxClock.fixed(Fixtures.T0)).start();
        api = new TestApi(sandbox);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    @Test
    void statusFaultServedNTimesThenNormalAnswers() {
        sandbox.injectFault(FaultSpec.status(503).times(2));
        assertThat(sandbox.pendingFaults()).isEqualTo(2);

        TestApi.Reply first = api.list("");
        TestApi.Reply second = api.list("");
        TestApi.Reply third = api.list("");

        assertThat(first.status).isEqualTo(503);
        assertThat(first.error().get("type").getAsString()).isEqualTo("server_error");
        assertThat(second.status).isEqualTo(503);
        assertThat(third.status).isEqualTo(200);
        assertThat(sandbox.pendingFaults()).isZero();
        assertThat(sandbox.requestCount()).isEqualTo(3);
        assertThat(sandbox.requestCount(SandboxOperation.LIST)).isEqualTo(3);
        assertThat(sandbox.requestCount(SandboxOperation.GET)).isZero();
    }

    @Test
    void operationFilterLeavesOtherOperationsAlone() {
        String batchId = api.createBatch(sandbox.registerInputFile(Fixtures.chatFile(1)), CHAT)
                .getId();
        sandbox.injectFault(FaultSpec.status(500).on(SandboxOperation.GET, SandboxOperation.CANCEL));

        assertThat(api.list("").status).isEqualTo(200);
        assertThat(api.create(TestApi.createBody("file_x", CHAT)).status).isEqualTo(200);
        assertThat(api.get(batchId).status).isEqualTo(500);
        assertThat(api.get(batchId).status).isEqualTo(200);
        assertThat(api.cancel(batchId).status).isEqualTo(200);
    }

    @Test
    void rateLimitUsesTheDocumentedBodyAndRetryAfter() {
        sandbox.injectFault(FaultSpec.status(429).retryAfterSeconds(1));
        TestApi.Reply reply = api.list("");

        assertThat(reply.status).isEqualTo(429);
        assertThat(reply.header("Retry-After")).isEqualTo("1");
        assertThat(reply.json().get("error").getAsString()).isEqualTo("Rate limit exceeded");
    }

    @Test
    void customBodyAndHeaders() {
        sandbox.injectFault(
                FaultSpec.status(502).body("<html>Bad gateway</html>").header("Content-Type", "text/html"));
        HttpResponse<String> reply = raw("/api/v1/llm/batches");
        assertThat(reply.statusCode()).isEqualTo(502);
        assertThat(reply.body()).isEqualTo("<html>Bad gateway</html>");
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("text/html");
    }

    @Test
    void faultBeforeProcessingCreatesNothing() {
        sandbox.injectFault(FaultSpec.status(503).on(SandboxOperation.CREATE));
        assertThat(api.create(TestApi.createBody("file_x", CHAT)).status).isEqualTo(503);
        assertThat(api.listAll(10)).isEmpty();
    }

    @Test
    void faultAfterProcessingLosesTheResponseButKeepsTheBatch() {
        String body = TestApi.createBody(sandbox.registerInputFile(Fixtures.chatFile(1)), CHAT);
        sandbox.injectFault(FaultSpec.fault(SandboxFault.CONNECTION_RESET).afterProcessing());

        assertThatThrownBy(() -> api.create(body, "Idempotency-Key", "k1")).isInstanceOf(UncheckedIOException.class);
        assertThat(api.listAll(10)).hasSize(1);
        String retried = api.create(body, "Idempotency-Key", "k1").batch().getId();
        assertThat(api.listAll(10)).extracting(b -> b.getId()).containsExactly(retried);
        assertThat(sandbox.requestCount(SandboxOperation.CREATE)).isEqualTo(2);
    }

    @Test
    void dropAnswerActsOnTheNthMatchingRequestAndClosesWithoutAnswering() {
        String body = TestApi.createBody(sandbox.registerInputFile(Fixtures.chatFile(1)), CHAT);
        sandbox.injectFault(FaultSpec.dropAnswer().on(SandboxOperation.CREATE).skip(1));
        sandbox.injectFault(FaultSpec.status(503).on(SandboxOperation.CREATE));

        // The first create is the drop's to let through: not offered to the 503 behind it.
        String first = api.create(body).batch().getId();
        assertThatThrownBy(() -> api.create(body)).isInstanceOf(UncheckedIOException.class);
        assertThat(api.create(body).status).isEqualTo(503);
        String fourth = api.create(body).batch().getId();

        assertThat(sandbox.requestCount(SandboxOperation.CREATE)).isEqualTo(4);
        assertThat(sandbox.ledger().batches())
                .hasSize(3)
                .first()
                .satisfies(b -> assertThat(b.id()).isEqualTo(first));
        assertThat(sandbox.ledger().batches().get(2).id()).isEqualTo(fourth);
        assertThat(sandbox.pendingFaults()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SandboxFault.class)
    void transportFaultsBreakTheExchangeOnce(SandboxFault fault) {
        // A POST: java.net.http silently retries a GET once after a broken connection.
        String body = TestApi.createBody("file_x", CHAT);
        sandbox.injectFault(FaultSpec.fault(fault).on(SandboxOperation.CREATE));
        assertThatThrownBy(() -> api.create(body)).isInstanceOf(UncheckedIOException.class);
        assertThat(sandbox.requestCount(SandboxOperation.CREATE)).isEqualTo(1);
        assertThat(api.listAll(10)).isEmpty();
        assertThat(api.create(body).status).isEqualTo(200);
    }

    @Test
    void delayHoldsTheRealAnswerBack() throws Exception {
        // Long enough that the answer is surely still held when the request has been seen, whatever
        // the machine's load; the test never asserts a duration.
        sandbox.injectFault(FaultSpec.delay(Duration.ofSeconds(2)).on(SandboxOperation.CREATE));
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/api/v1/llm/batches"))
                .header("Authorization", "Bearer " + sandbox.apiKey())
                .POST(HttpRequest.BodyPublishers.ofString(TestApi.createBody("file_x", CHAT)))
                .build();
        CompletableFuture<HttpResponse<String>> answer =
                TestApi.HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());

        awaitRequests(SandboxOperation.CREATE, 1);
        assertThat(answer).isNotDone();
        assertThat(sandbox.pendingFaults()).isZero();
        // The delayed request is then answered normally; the next one is not delayed.
        assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(api.create(TestApi.createBody("file_y", CHAT)).status).isEqualTo(200);
        assertThat(api.listAll(10)).hasSize(2);
    }

    /** Waits (bounded) until the sandbox has seen the request: the client's send is asynchronous. */
    private static void awaitRequests(SandboxOperation operation, int count) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sandbox.requestCount(operation) < count) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("the sandbox never saw the " + operation + " request");
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void requestsAreRecordedWithHeaders() {
        api.create(TestApi.createBody("file_x", CHAT), "Idempotency-Key", "abc");
        api.onBehalfOf("user_1").list("limit=5");

        assertThat(sandbox.requests()).hasSize(2);
        SandboxRequest create = sandbox.requests(SandboxOperation.CREATE).get(0);
        assertThat(create.method()).isEqualTo("POST");
        assertThat(create.header("idempotency-key")).hasValue("abc");
        assertThat(create.body()).contains("file_x");
        SandboxRequest list = sandbox.requests(SandboxOperation.LIST).get(0);
        assertThat(list.url()).isEqualTo("/api/v1/llm/batches?limit=5");
        assertThat(list.header("X-On-Behalf-Of")).hasValue("user_1");
        assertThat(list.operation()).hasValue(SandboxOperation.LIST);
    }

    @Test
    void resetAndClearFaultsDropPendingFaults() {
        sandbox.injectFault(FaultSpec.status(500).times(3));
        sandbox.clearFaults();
        assertThat(api.list("").status).isEqualTo(200);
        sandbox.injectFault(FaultSpec.status(500));
        sandbox.reset();
        assertThat(sandbox.requestCount()).isZero();
        assertThat(api.list("").status).isEqualTo(200);
    }

    @Test
    void faultSpecRejectsNonsense() {
        assertThatThrownBy(() -> FaultSpec.status(200)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultSpec.status(500).times(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultSpec.status(500).on()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultSpec.fault(SandboxFault.EMPTY_RESPONSE).retryAfterSeconds(1))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> FaultSpec.delay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultSpec.dropAnswer().skip(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("requests must not be negative: -1");
        assertThatThrownBy(() -> FaultSpec.fault(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("fault");
    }

    private static HttpResponse<String> raw(String path) {
        try {
            return TestApi.HTTP.send(
                    HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                            .header("Authorization", "Bearer " + sandbox.apiKey())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
