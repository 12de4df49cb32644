package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static com.mka1.batches.ResilienceSupport.BATCH_ID;
import static com.mka1.batches.ResilienceSupport.BATCH_JSON;
import static com.mka1.batches.ResilienceSupport.LIST_JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.mka1.batches.models.BatchObject;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What only {@code client.async()} does: waits that block no thread, cancellation of a future
 * cancelling its HTTP request, its polling or its page walk, arguments checked before any
 * future, many calls in flight at once. The scenarios both modes share are written once and run
 * in both ({@link Mode}).
 */
class AsyncTest {
    @RegisterExtension
    static final WireMockExtension wm = ResilienceSupport.loopbackWireMock();

    private static final String GET_PATH = "/api/v1/llm/batches/" + BATCH_ID;

    private final FakeTime sleeper = new FakeTime();

    @Test
    void aRetryWaitsOnATimerWithoutBlockingAnyThread() throws Exception {
        wm.stubFor(get(urlEqualTo(GET_PATH))
                .inScenario("s")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("ok"));
        wm.stubFor(get(urlEqualTo(GET_PATH))
                .inScenario("s")
                .whenScenarioStateIs("ok")
                .willReturn(okJson(BATCH_JSON)));
        CompletableFuture<Void> timer = new CompletableFuture<>();
        CompletableFuture<Duration> waitAsked = new CompletableFuture<>();
        Sleeper manual = new Sleeper() {
            @Override
            public void sleep(Duration duration) {
                throw new AssertionError("an async call must not sleep a thread");
            }

            @Override
            public CompletableFuture<Void> sleepAsync(Duration duration) {
                waitAsked.complete(duration);
                return timer;
            }
        };

        try (Mka1Client client =
                ResilienceSupport.client(wm, sleeper).sleeper(manual).build()) {
            CompletableFuture<BatchObject> future =
                    client.async().llm().batches().get(BATCH_ID);
            assertThat(waitAsked.get(5, TimeUnit.SECONDS)).isPositive();
            assertThat(future).isNotDone();
            wm.verify(1, getRequestedFor(urlEqualTo(GET_PATH)));

            timer.complete(null);
            assertThat(future.get(5, TimeUnit.SECONDS).getId()).isEqualTo(BATCH_ID);
        }
        wm.verify(2, getRequestedFor(urlEqualTo(GET_PATH)));
    }

    @Test
    void cancellingTheFutureCancelsTheHttpCall() throws Exception {
        wm.stubFor(get(urlEqualTo(GET_PATH)).willReturn(okJson(BATCH_JSON).withFixedDelay(10_000)));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch canceled = new CountDownLatch(1);
        OkHttpClient observed = new OkHttpClient.Builder()
                .eventListener(new EventListener() {
                    @Override
                    public void requestHeadersEnd(Call call, okhttp3.Request request) {
                        started.countDown();
                    }

                    @Override
                    public void canceled(Call call) {
                        canceled.countDown();
                    }
                })
                .build();

        try (Mka1Client client =
                ResilienceSupport.client(wm, sleeper).httpClient(observed).build()) {
            CompletableFuture<BatchObject> future =
                    client.async().llm().batches().get(BATCH_ID);
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

            assertThat(future.cancel(true)).isTrue();

            assertThat(canceled.await(5, TimeUnit.SECONDS))
                    .as("the OkHttp call was cancelled")
                    .isTrue();
        }
        assertThat(sleeper.sleeps).as("a cancelled call is not retried").isEmpty();
    }

    private static void stubPage(String after, String first, String second, boolean hasMore) {
        String data = batch(first) + (second == null ? "" : "," + batch(second));
        String last = second == null ? first : second;
        String url = "/api/v1/llm/batches?" + (after == null ? "" : "after=" + after + "&") + "limit=2";
        wm.stubFor(get(urlEqualTo(url))
                .willReturn(okJson("{\"object\":\"list\",\"data\":[" + data + "],\"first_id\":\"" + first
                        + "\",\"last_id\":\"" + last + "\",\"has_more\":" + hasMore + "}")));
    }

    private static String batch(String id) {
        return BATCH_JSON.replace(BATCH_ID, id);
    }

    /**
     * 16 calls to one host are in flight at once: the server holds each request until all 16 have
     * arrived. OkHttp's default dispatcher (5 per host) would never let the 6th through.
     */
    @Test
    void sixteenCallsToOneHostRunConcurrently() throws Exception {
        int calls = 16;
        CountDownLatch allArrived = new CountDownLatch(calls);
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 64);
        ExecutorService serverThreads = Executors.newFixedThreadPool(calls + 4);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            allArrived.countDown();
            int status;
            try {
                status = allArrived.await(10, TimeUnit.SECONDS) ? 200 : 504;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = 500;
            }
            byte[] body = BATCH_JSON.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException ignored) {
                // the client went away
            }
        });
        server.start();
        try (Mka1Client client = Mka1Client.builder()
                .apiKey(ResilienceSupport.API_KEY)
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .build()) {
            List<CompletableFuture<BatchObject>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                futures.add(client.async().llm().batches().get(BATCH_ID));
            }
            for (CompletableFuture<BatchObject> future : futures) {
                assertThat(future.get(15, TimeUnit.SECONDS).getId()).isEqualTo(BATCH_ID);
            }
        } finally {
            server.stop(0);
            serverThreads.shutdownNow();
        }
    }

    @Test
    void cancellingAWaitForCompletionCancelsThePendingWaitAndStopsPolling() throws Exception {
        WaitForCompletionTest.answerInTurn(wm, WaitForCompletionTest.batch("in_progress", 0, 0, 2));
        CompletableFuture<Void> pendingWait = new CompletableFuture<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Sleeper neverWakes = new Sleeper() {
            @Override
            public void sleep(Duration duration) {
                throw new AssertionError("an async wait must not block a thread");
            }

            @Override
            public CompletableFuture<Void> sleepAsync(Duration duration) {
                waiting.countDown();
                return pendingWait;
            }
        };
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper)
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .sleeper(neverWakes)
                .clock(java.time.Clock.systemUTC())
                .build()) {
            CompletableFuture<BatchObject> wait =
                    client.async().llm().batches().waitForCompletion(BATCH_ID, WaitOptions.defaults());
            assertThat(waiting.await(10, TimeUnit.SECONDS))
                    .as("the wait after the first poll started")
                    .isTrue();

            wait.cancel(true);

            // The poller hands the wait over on the dispatcher thread, perhaps just after the
            // cancel: the wait must end cancelled either way (get() returns as soon as it is).
            assertThatThrownBy(() -> pendingWait.get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        }
        wm.verify(1, getRequestedFor(urlEqualTo(GET_PATH)));
    }

    @Test
    void cancellingAPageWalkCancelsTheNextPagesRequestAndHandsOverNothingMore() throws Exception {
        stubPage(null, "batch_1", "batch_2", true);
        String secondPage = "/api/v1/llm/batches?after=batch_2&limit=2";
        wm.stubFor(get(urlEqualTo(secondPage)).willReturn(okJson(LIST_JSON).withFixedDelay(10_000)));
        CountDownLatch secondSent = new CountDownLatch(2);
        CountDownLatch canceled = new CountDownLatch(1);
        List<String> sent = new CopyOnWriteArrayList<>();
        OkHttpClient observed = new OkHttpClient.Builder()
                .eventListener(new EventListener() {
                    @Override
                    public void requestHeadersEnd(Call call, okhttp3.Request request) {
                        sent.add(request.url().encodedPath() + "?"
                                + request.url().encodedQuery());
                        secondSent.countDown();
                    }

                    @Override
                    public void canceled(Call call) {
                        canceled.countDown();
                    }
                })
                .build();
        List<String> seen = new CopyOnWriteArrayList<>();

        try (Mka1Client client =
                ResilienceSupport.client(wm, sleeper).httpClient(observed).build()) {
            Page<BatchObject, ListBatchesParams> first = Mode.await(client.async()
                    .llm()
                    .batches()
                    .list(ListBatchesParams.builder().limit(2).build()));
            CompletableFuture<Void> walk = first.forEachAsync(b -> seen.add(b.getId()));
            assertThat(secondSent.await(5, TimeUnit.SECONDS))
                    .as("the second page was requested")
                    .isTrue();

            assertThat(walk.cancel(true)).isTrue();

            assertThat(canceled.await(5, TimeUnit.SECONDS))
                    .as("the second page's request was cancelled")
                    .isTrue();
        }
        assertThat(seen).containsExactly("batch_1", "batch_2");
        assertThat(sleeper.sleeps).as("a cancelled page request is not retried").isEmpty();
        // WireMock logs a request once answered, which a cancelled one never is: the client's view.
        assertThat(sent).containsExactly("/api/v1/llm/batches?limit=2", secondPage);
    }

    @Test
    void cancellingAPageWalkFromItsActionStopsItBeforeTheNextItemAndPage() {
        stubPage(null, "batch_1", "batch_2", true);
        stubPage("batch_2", "batch_3", "batch_4", true);
        stubPage("batch_4", "batch_5", null, false);
        List<String> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<CompletableFuture<Void>> walkHandle = new CompletableFuture<>();

        // The second page's request waits until the walk's handle is set: so its answer can't
        // complete on this thread before forEachAsync has returned, whatever the timing.
        okhttp3.OkHttpClient gated = new okhttp3.OkHttpClient.Builder()
                .addInterceptor(chain -> {
                    if ("batch_2".equals(chain.request().url().queryParameter("after"))) {
                        walkHandle.join();
                    }
                    return chain.proceed(chain.request());
                })
                .build();

        CompletableFuture<Void> walk;
        try (Mka1Client client =
                ResilienceSupport.client(wm, sleeper).httpClient(gated).build()) {
            Page<BatchObject, ListBatchesParams> first = Mode.await(client.async()
                    .llm()
                    .batches()
                    .list(ListBatchesParams.builder().limit(2).build()));
            // The first page is handed over before forEachAsync returns; the second, on the
            // dispatcher thread, is where the action cancels the walk (join: the handle is set by then).
            walk = first.forEachAsync(b -> {
                seen.add(b.getId());
                if (b.getId().equals("batch_3")) {
                    walkHandle.join().cancel(true);
                }
            });
            walkHandle.complete(walk);
            assertThatThrownBy(() -> Mode.await(walk)).isInstanceOf(CancellationException.class);
        }
        assertThat(walk).isCancelled();
        assertThat(seen).containsExactly("batch_1", "batch_2", "batch_3");
        wm.verify(2, getRequestedFor(urlPathEqualTo("/api/v1/llm/batches")));
    }

    @Test
    void argumentsAreCheckedAtOnceNotInTheFuture() {
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper).build()) {
            AsyncBatchService batches = client.async().llm().batches();
            assertThatThrownBy(() -> batches.waitForCompletion(null, WaitOptions.defaults()))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("batchId == null");
            assertThatThrownBy(() -> batches.waitForCompletion(BATCH_ID, null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("options == null");
            assertThatThrownBy(() -> batches.get(" "))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("batchId");
        }
        wm.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/llm/batches/" + BATCH_ID)));
    }
}
