package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.mka1.batches.ResilienceSupport.BATCH_ID;
import static com.mka1.batches.ResilienceSupport.BATCH_JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 16 threads share one client: every call succeeds, and afterwards no connection is still held
 * by a call (a leaked body would hold one) and no call is still open (a leaked body keeps its
 * call from ending). 5,000 calls per thread by
 * default; {@code -Dmka1.concurrency.callsPerThread=N} changes it.
 */
@Tag("slow") // docs/QUALITY.md: not in the default build; `./mvnw -Pslow test`
class ConcurrencyTest {
    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(WireMockConfiguration.wireMockConfig()
                    .dynamicPort()
                    .bindAddress("127.0.0.1")
                    .containerThreads(40)
                    .disableRequestJournal())
            .build();

    private static final int THREADS = 16;
    private static final int CALLS_PER_THREAD = Integer.getInteger("mka1.concurrency.callsPerThread", 5000);

    @Test
    void sixteenThreadsShareOneClientWithoutErrorsOrLeaks() throws Exception {
        wm.stubFor(get(urlEqualTo("/api/v1/llm/batches/" + BATCH_ID)).willReturn(okJson(BATCH_JSON)));
        // Supplied only to look at its calls and its connection pool afterwards.
        ResilienceSupport.OpenCalls openCalls = new ResilienceSupport.OpenCalls();
        OkHttpClient http = openCalls.on(new OkHttpClient());
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try (Mka1Client client = ResilienceSupport.client(wm, new FakeTime())
                .httpClient(http)
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .build()) {
            BatchService batches = client.llm().batches();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        try {
                            if (BATCH_ID.equals(batches.get(BATCH_ID).getId())) {
                                ok.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
            assertThat(errors).hasValue(0);
            assertThat(ok).hasValue(THREADS * CALLS_PER_THREAD);
            assertThat(http.connectionPool().connectionCount())
                    .isEqualTo(http.connectionPool().idleConnectionCount());
            assertThat(openCalls.count())
                    .as("calls whose response body is still open")
                    .isZero();
        } finally {
            threads.shutdownNow();
        }
    }
}
