package com.mka1.batches;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.slf4j.LoggerFactory;

/** Shared fixtures of the resilience tests (retries, timeouts, async, lifecycle, security): a loopback WireMock, a client over it that sleeps on a {@link FakeTime}, log captures. */
final class ResilienceSupport {
    /** The API key of every test client; no log line, message or toString may contain it. */
    static final String API_KEY = "sk-test-SECRET-0123456789abcdef";

    static final String BATCH_ID = "batch_aa87e2b1112a455b8deabed784372198";
    static final String BATCH_JSON = "{\"id\":\"" + BATCH_ID + "\",\"object\":\"batch\","
            + "\"endpoint\":\"/v1/chat/completions\",\"input_file_id\":\"file_abc123\","
            + "\"completion_window\":\"24h\",\"status\":\"validating\",\"created_at\":1711471533,"
            + "\"request_counts\":{\"total\":0,\"completed\":0,\"failed\":0}}";
    static final String LIST_JSON = "{\"object\":\"list\",\"data\":[" + BATCH_JSON + "],\"first_id\":\"" + BATCH_ID
            + "\",\"last_id\":\"" + BATCH_ID + "\",\"has_more\":false}";

    private ResilienceSupport() {}

    /** WireMock bound to 127.0.0.1 only: no test sends traffic anywhere else. */
    static WireMockExtension loopbackWireMock() {
        return WireMockExtension.newInstance()
                .options(WireMockConfiguration.wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
                .build();
    }

    /** A client for {@code wm} that never really sleeps: waits go to {@code time}, which is also its clock. */
    static Mka1Client.Builder client(WireMockExtension wm, FakeTime time) {
        return Mka1Client.builder()
                .apiKey(API_KEY)
                .baseUrl("http://127.0.0.1:" + wm.getPort())
                .sleeper(time)
                .clock(time);
    }

    static CreateBatchParams createParams() {
        return CreateBatchParams.builder()
                .inputFileId("file_abc123")
                .endpoint("/v1/chat/completions")
                .build();
    }

    /** Captures the library's SLF4J lines (logger {@code com.mka1.batches}) while open. */
    static final class LogCapture implements AutoCloseable {
        private final Logger logger = (Logger) LoggerFactory.getLogger("com.mka1.batches");
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        LogCapture() {
            appender.start();
            logger.addAppender(appender);
        }

        List<String> messages() {
            return appender.list.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .collect(java.util.stream.Collectors.toList());
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
        }
    }

    /**
     * Counts the calls of an OkHttp client that started and have not ended. OkHttp ends a call
     * ({@code callEnd} or {@code callFailed}) only once its response body is read to the end or
     * closed, so each body left open keeps one call counted, at once and whatever the connection
     * pool does later (OkHttp's own "leaked" warning comes only from the pool's background
     * cleanup, after a garbage collection: a check on that log cannot fail in a test).
     */
    static final class OpenCalls extends EventListener {
        private final AtomicInteger open = new AtomicInteger();

        /** {@code http} with this counter as its event listener. */
        OkHttpClient on(OkHttpClient http) {
            return http.newBuilder().eventListener(this).build();
        }

        int count() {
            return open.get();
        }

        @Override
        public void callStart(Call call) {
            open.incrementAndGet();
        }

        @Override
        public void callEnd(Call call) {
            open.decrementAndGet();
        }

        @Override
        public void callFailed(Call call, IOException ioe) {
            open.decrementAndGet();
        }
    }
}
