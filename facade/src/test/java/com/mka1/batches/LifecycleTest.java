package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.mka1.batches.ResilienceSupport.BATCH_ID;
import static com.mka1.batches.ResilienceSupport.BATCH_JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.mka1.batches.models.BatchObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** close(): idempotent, final, leaves no thread of ours and no caller's client broken; no body leaks. */
class LifecycleTest {
    @RegisterExtension
    static final WireMockExtension wm = ResilienceSupport.loopbackWireMock();

    private static final String PATH = "/api/v1/llm/batches/" + BATCH_ID;

    private static Mka1Client client() {
        return ResilienceSupport.client(wm, new FakeTime()).build();
    }

    @Test
    void closeIsIdempotentAndEveryCallAfterItFails() {
        Mka1Client client = client();
        client.close();
        client.close();

        BatchService batches = client.llm().batches();
        assertThatThrownBy(() -> batches.get(BATCH_ID))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> batches.cancel(BATCH_ID)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> batches.create(ResilienceSupport.createParams()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> batches.list(ListBatchesParams.none())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> client.async().llm().batches().get(BATCH_ID))
                .isInstanceOf(IllegalStateException.class);
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void noThreadOfTheClientRemainsAfterClose() throws InterruptedException {
        wm.stubFor(get(urlEqualTo(PATH)).willReturn(okJson(BATCH_JSON)));
        Mka1Client client = client();
        client.llm().batches().get(BATCH_ID);
        client.async().llm().batches().get(BATCH_ID).join();
        assertThat(libraryThreads()).isNotEmpty();

        client.close();

        for (Thread thread : libraryThreads()) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertThat(libraryThreads()).isEmpty();
    }

    /** Our dispatcher and watchdog threads; OkHttp's shared "OkHttp TaskRunner" daemons belong to OkHttp. */
    private static List<Thread> libraryThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("mka1-batches-") && t.isAlive())
                .collect(Collectors.toList());
    }

    /** Like OkHttp's own: a request in flight keeps the JVM alive until it ends, even if a daemon thread sent it. */
    @Test
    void anAsyncRequestRunsOnANonDaemonThreadWhoeverSentIt() throws Exception {
        wm.stubFor(get(urlEqualTo(PATH)).willReturn(okJson(BATCH_JSON)));
        CompletableFuture<Boolean> daemon = new CompletableFuture<>();
        OkHttpClient observed = new OkHttpClient.Builder()
                .eventListener(new EventListener() {
                    @Override
                    public void requestHeadersStart(Call call) {
                        daemon.complete(Thread.currentThread().isDaemon());
                    }
                })
                .build();

        try (Mka1Client client = ResilienceSupport.client(wm, new FakeTime())
                .httpClient(observed)
                .build()) {
            CompletableFuture<CompletableFuture<BatchObject>> sent = new CompletableFuture<>();
            Thread daemonCaller = new Thread(
                    () -> sent.complete(client.async().llm().batches().get(BATCH_ID)));
            daemonCaller.setDaemon(true);
            daemonCaller.start();

            assertThat(sent.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS).getId())
                    .isEqualTo(BATCH_ID);
            assertThat(daemon.get(5, TimeUnit.SECONDS))
                    .as("the dispatcher thread is a daemon")
                    .isFalse();
        }
    }

    @Test
    void aCallerSuppliedOkHttpClientKeepsWorkingAfterClose() throws Exception {
        wm.stubFor(get(urlEqualTo(PATH)).willReturn(okJson(BATCH_JSON)));
        OkHttpClient callers = new OkHttpClient();
        Mka1Client client =
                ResilienceSupport.client(wm, new FakeTime()).httpClient(callers).build();
        client.llm().batches().get(BATCH_ID);
        client.close();

        assertThat(callers.connectionPool().connectionCount())
                .as("its pool was not evicted")
                .isEqualTo(1);
        try (Response response = callers.newCall(
                        new Request.Builder().url(wm.baseUrl() + PATH).build())
                .execute()) {
            assertThat(response.code()).isEqualTo(200);
        }
        assertThat(callers.dispatcher().executorService().isShutdown()).isFalse();
    }

    /**
     * Every kind of response, read to the end and closed: no call stays open (a body left open
     * keeps its call from ending) and no connection stays allocated to a call.
     */
    @Test
    // The calls' outcomes are not what this test checks: they run for what they leave behind.
    @SuppressWarnings("CheckReturnValue")
    void noResponseBodyIsLeaked() {
        ResilienceSupport.OpenCalls openCalls = new ResilienceSupport.OpenCalls();
        OkHttpClient callers = openCalls.on(new OkHttpClient());
        try (Mka1Client client = ResilienceSupport.client(wm, new FakeTime())
                .httpClient(callers)
                .requestOptions(RequestOptions.builder().maxRetries(1).build())
                .build()) {
            String[] bodies = {BATCH_JSON, "not json", "[]", "{\"id\":1}", ""};
            for (String body : bodies) {
                wm.stubFor(any(anyUrl()).willReturn(okJson(body)));
                catchThrowable(() -> client.llm().batches().get(BATCH_ID));
            }
            for (int status : new int[] {400, 404, 409, 429, 500, 502}) {
                wm.stubFor(any(anyUrl())
                        .willReturn(aResponse().withStatus(status).withBody("<html>" + status + "</html>")));
                catchThrowable(() -> client.llm().batches().get(BATCH_ID));
                catchThrowable(
                        () -> client.async().llm().batches().cancel(BATCH_ID).join());
            }
            // An error body past the 64 KiB the client reads of it: the rest is never read.
            wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500).withBody("x".repeat(1 << 20))));
            catchThrowable(() -> client.llm().batches().get(BATCH_ID));
            catchThrowable(() -> client.async().llm().batches().cancel(BATCH_ID).join());
            assertThat(openCalls.count())
                    .as("calls whose response body is still open")
                    .isZero();
            assertThat(callers.connectionPool().connectionCount())
                    .isEqualTo(callers.connectionPool().idleConnectionCount());
        }
    }

    /** The checks above see a body left open: its call stays open and holds its connection until it is closed. */
    @Test
    void aBodyLeftOpenKeepsItsCallOpen() throws Exception {
        wm.stubFor(get(urlEqualTo(PATH)).willReturn(okJson(BATCH_JSON)));
        ResilienceSupport.OpenCalls openCalls = new ResilienceSupport.OpenCalls();
        OkHttpClient http = openCalls.on(new OkHttpClient());

        Response leaked = http.newCall(
                        new Request.Builder().url(wm.baseUrl() + PATH).build())
                .execute();
        assertThat(openCalls.count()).isEqualTo(1);
        assertThat(http.connectionPool().idleConnectionCount()).isZero();

        leaked.close();
        assertThat(openCalls.count()).isZero();
        assertThat(http.connectionPool().idleConnectionCount()).isEqualTo(1);
    }

    @Test
    void aJvmThatClosesTheClientExits(@TempDir Path dir) throws Exception {
        wm.stubFor(get(urlEqualTo(PATH)).willReturn(okJson(BATCH_JSON)));
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Path output = dir.resolve("child.log");
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        CloseThenExit.class.getName(),
                        "http://127.0.0.1:" + wm.getPort())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();

        // Without close() its idle dispatcher threads would keep it alive for 60 s.
        boolean exited = child.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        assertThat(exited)
                .as("the child JVM exited; its output:%n%s", Files.readString(output))
                .isTrue();
        assertThat(child.exitValue()).as(Files.readString(output)).isZero();
        assertThat(wm.getAllServeEvents()).hasSize(2);
    }
}
