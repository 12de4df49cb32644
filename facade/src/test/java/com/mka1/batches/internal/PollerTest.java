package com.mka1.batches.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.mka1.batches.FakeTime;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.RetryPolicy;
import com.mka1.batches.Sleeper;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.models.BatchObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Poller#awaitAll}, the wait of a batch run for all its batches (whose own tests are in the
 * sandbox module): each round polls every batch not yet terminal, once; reports the first poll of
 * each and every change; waits between rounds on the engine's sleeper; an interrupt ends it.
 */
class PollerTest {
    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static final String PATH = "/api/v1/llm/batches/";

    private final FakeTime time = new FakeTime();
    private final List<String> progress = new ArrayList<>();
    private final List<String> polled = new ArrayList<>();
    private final AtomicInteger rounds = new AtomicInteger();

    @AfterEach
    void clearTheInterrupt() {
        Thread.interrupted();
    }

    private CallEngine engine(Sleeper sleeper) {
        RequestOptions defaults = RequestOptions.builder()
                .retryPolicy(RetryPolicy.builder().maxRetries(0).build())
                .build();
        return new CallEngine(
                new OkHttpClient.Builder()
                        .addNetworkInterceptor(CallEngine.phaseTracker())
                        .build(),
                HttpUrl.get(wm.baseUrl() + "/"),
                "sk-test",
                "test",
                defaults,
                sleeper,
                time,
                List.of());
    }

    private void awaitAll(CallEngine engine, String... ids) {
        WaitOptions options = WaitOptions.builder()
                .pollInterval(Duration.ofSeconds(10))
                .backoffMultiplier(1)
                .onProgress(batch -> progress.add(line(batch)))
                .build();
        OutageBudget outages =
                new OutageBudget(engine, options.outageBudget(), "the test's batches", options.onOutage());
        Poller.awaitAll(
                engine, List.of(ids), options, outages, batch -> polled.add(line(batch)), rounds::incrementAndGet);
    }

    @Test
    void eachRoundPollsTheBatchesNotYetTerminalAndReportsOnlyChanges() {
        answerInTurn(
                "batch_a",
                batch("batch_a", "in_progress", 0),
                batch("batch_a", "in_progress", 0),
                batch("batch_a", "completed", 1));
        answerInTurn("batch_b", batch("batch_b", "completed", 1));

        awaitAll(engine(time), "batch_a", "batch_b");

        assertThat(polled)
                .containsExactly(
                        "batch_a in_progress 0", "batch_b completed 1", "batch_a in_progress 0", "batch_a completed 1");
        assertThat(progress).containsExactly("batch_a in_progress 0", "batch_b completed 1", "batch_a completed 1");
        assertThat(rounds).hasValue(3);
        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10));
        wm.verify(3, getRequestedFor(urlPathEqualTo(PATH + "batch_a")));
        wm.verify(1, getRequestedFor(urlPathEqualTo(PATH + "batch_b")));
    }

    @Test
    void anInterruptBetweenRoundsEndsTheWaitNamingTheBatchesStillPending() {
        answerInTurn("batch_a", batch("batch_a", "in_progress", 0));
        answerInTurn("batch_b", batch("batch_b", "failed", 0));
        Sleeper interrupted = duration -> {
            throw new InterruptedException();
        };

        Throwable thrown = catchThrowable(() -> awaitAll(engine(interrupted), "batch_a", "batch_b"));

        assertThat(thrown)
                .isInstanceOf(Mka1IoException.class)
                .hasMessage("Interrupted while waiting for batches [batch_a] to complete");
        assertThat(Thread.currentThread().isInterrupted())
                .as("the interrupt flag is kept")
                .isTrue();
        assertThat(rounds).hasValue(1);
    }

    private static String line(BatchObject batch) {
        return batch.getId() + " " + batch.getStatus() + " "
                + batch.getRequestCounts().getCompleted();
    }

    private static void answerInTurn(String id, String... bodies) {
        for (int i = 0; i < bodies.length; i++) {
            ScenarioMappingBuilder poll = get(urlPathEqualTo(PATH + id))
                    .inScenario(id)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "poll " + i)
                    .willReturn(okJson(bodies[i]));
            if (i + 1 < bodies.length) {
                poll = poll.willSetStateTo("poll " + (i + 1));
            }
            wm.stubFor(poll);
        }
    }

    private static String batch(String id, String status, int completed) {
        return "{\"id\":\"" + id + "\",\"object\":\"batch\",\"endpoint\":\"/v1/chat/completions\","
                + "\"input_file_id\":\"file_abc123\",\"completion_window\":\"24h\",\"status\":\"" + status + "\","
                + "\"created_at\":1704067200,\"request_counts\":{\"total\":1,\"completed\":" + completed
                + ",\"failed\":0}}";
    }
}
