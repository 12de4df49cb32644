package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.mka1.batches.ResilienceSupport.BATCH_ID;
import static com.mka1.batches.ResilienceSupport.BATCH_JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.Mka1Exception;
import com.mka1.batches.errors.Mka1IoException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Interrupting a thread blocked in a call or in a backoff wait ends the call at once, keeps the
 * interrupt flag set, and throws a {@link Mka1Exception}. The waits here end only by interrupt:
 * each test would hang (and fail on its join bound) if interrupts were ignored.
 */
class InterruptTest {
    @RegisterExtension
    static final WireMockExtension wm = ResilienceSupport.loopbackWireMock();

    private static final String PATH = "/api/v1/llm/batches/" + BATCH_ID;

    /** What the blocked thread saw: the exception, and its interrupt flag right after. */
    private static final class Outcome {
        volatile Throwable thrown;
        volatile boolean interruptFlag;
    }

    private static Thread callIn(Mka1Client client, Outcome outcome) {
        Thread thread = new Thread(
                () -> {
                    try {
                        client.llm().batches().get(BATCH_ID);
                    } catch (Throwable t) {
                        outcome.thrown = t;
                        outcome.interruptFlag = Thread.currentThread().isInterrupted();
                    }
                },
                "blocked-caller");
        thread.start();
        return thread;
    }

    @Test
    void interruptingABackoffWaitEndsTheCall() throws Exception {
        wm.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
        CountDownLatch waiting = new CountDownLatch(1);
        Sleeper untilInterrupted = duration -> {
            waiting.countDown();
            new CountDownLatch(1).await(); // never counted down
        };
        Outcome outcome = new Outcome();

        try (Mka1Client client = ResilienceSupport.client(wm, new FakeTime())
                .sleeper(untilInterrupted)
                .build()) {
            Thread caller = callIn(client, outcome);
            assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
            caller.interrupt();
            caller.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(caller.isAlive()).isFalse();
        }
        assertThat(outcome.thrown)
                .isInstanceOf(Mka1IoException.class)
                .hasMessageContaining("interrupted while waiting to retry");
        assertThat(outcome.thrown.getSuppressed()).hasSize(1);
        assertThat(outcome.interruptFlag).isTrue();
    }

    @Test
    void anAsyncRetryWaitThatFailsInterruptedEndsTheCall() throws Exception {
        wm.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
        Sleeper interrupted = new Sleeper() {
            @Override
            public void sleep(Duration duration) {
                throw new AssertionError("an async call waits without blocking");
            }

            @Override
            public CompletableFuture<Void> sleepAsync(Duration duration) {
                return CompletableFuture.failedFuture(new InterruptedException());
            }
        };

        Throwable thrown;
        try (Mka1Client client = ResilienceSupport.client(wm, new FakeTime())
                .sleeper(interrupted)
                .build()) {
            thrown = catchThrowable(
                    () -> client.async().llm().batches().get(BATCH_ID).get(5, TimeUnit.SECONDS));
        }
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        assertThat(thrown.getCause())
                .isInstanceOf(Mka1IoException.class)
                .hasMessageContaining("interrupted while waiting to retry");
        assertThat(thrown.getCause().getSuppressed()).singleElement().isInstanceOf(ApiException.class);
        wm.verify(1, getRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void interruptingAThreadBlockedInACallCancelsIt() throws Exception {
        wm.stubFor(get(urlEqualTo(PATH)).willReturn(okJson(BATCH_JSON).withFixedDelay(20_000)));
        CountDownLatch sent = new CountDownLatch(1);
        CompletableFuture<Void> canceled = new CompletableFuture<>();
        OkHttpClient observed = new OkHttpClient.Builder()
                .eventListener(new EventListener() {
                    @Override
                    public void requestHeadersEnd(Call call, okhttp3.Request request) {
                        sent.countDown();
                    }

                    @Override
                    public void canceled(Call call) {
                        canceled.complete(null);
                    }
                })
                .build();
        Outcome outcome = new Outcome();

        try (Mka1Client client = ResilienceSupport.client(wm, new FakeTime())
                .httpClient(observed)
                .build()) {
            Thread caller = callIn(client, outcome);
            assertThat(sent.await(5, TimeUnit.SECONDS)).isTrue();
            caller.interrupt();
            caller.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(caller.isAlive()).as("still blocked after the interrupt").isFalse();
            canceled.get(5, TimeUnit.SECONDS);
        }
        assertThat(outcome.thrown).isInstanceOf(Mka1IoException.class).hasMessageContaining("was interrupted");
        assertThat(outcome.interruptFlag).isTrue();
    }

    private static final String WATCHDOG = "mka1-batches-interrupt-watchdog";

    private static java.util.Set<Thread> watchdogThreads() {
        java.util.Set<Thread> threads = new java.util.HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(WATCHDOG) && thread.isAlive()) {
                threads.add(thread);
            }
        }
        return threads;
    }

    /**
     * The watchdog ticks only while a blocking call is in flight: after the call returns it stops
     * ticking, and its idle thread ends (after its one-second keep-alive) although the client is
     * still open. If it kept ticking, its thread would never go idle and the join would time out.
     */
    @Test
    void theWatchdogThreadStartsWithABlockingCallAndEndsOnceNoCallIsInFlight() throws Exception {
        wm.stubFor(get(urlEqualTo(PATH)).willReturn(okJson(BATCH_JSON)));
        java.util.Set<Thread> before = watchdogThreads();
        java.util.Set<Thread> duringCall = java.util.concurrent.ConcurrentHashMap.newKeySet();
        OkHttpClient observed = new OkHttpClient.Builder()
                .eventListener(new EventListener() {
                    @Override
                    public void requestHeadersEnd(Call call, okhttp3.Request request) {
                        duringCall.addAll(watchdogThreads());
                    }
                })
                .build();

        try (Mka1Client client = ResilienceSupport.client(wm, new FakeTime())
                .httpClient(observed)
                .build()) {
            assertThat(client.llm().batches().get(BATCH_ID).getId()).isEqualTo(BATCH_ID);
            duringCall.removeAll(before);
            assertThat(duringCall)
                    .as("a watchdog thread of this client ran during the blocking call")
                    .hasSize(1);
            Thread watchdog = duringCall.iterator().next();
            assertThat(watchdog.isDaemon())
                    .as("the watchdog keeps no JVM alive")
                    .isTrue();

            watchdog.join(TimeUnit.SECONDS.toMillis(10));

            assertThat(watchdog.isAlive())
                    .as("the watchdog still runs with no call in flight")
                    .isFalse();
            assertThat(client.llm().batches().get(BATCH_ID).getId())
                    .as("a later call still works")
                    .isEqualTo(BATCH_ID);
        }
    }
}
