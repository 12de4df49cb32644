package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.mka1.batches.ResilienceSupport.BATCH_ID;
import static com.mka1.batches.ResilienceSupport.BATCH_JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.mka1.batches.errors.Mka1TimeoutException;
import com.mka1.batches.errors.Mka1TimeoutException.Kind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each timeout, client-wide and per call, surfaces as a {@link Mka1TimeoutException} naming it.
 * The server answers after 600 ms; the timeouts under test are 200 ms; the others are long.
 */
class TimeoutTest {
    @RegisterExtension
    static final WireMockExtension wm = ResilienceSupport.loopbackWireMock();

    private static final Duration SHORT = Duration.ofMillis(200);
    private static final String PATH = "/api/v1/llm/batches/" + BATCH_ID;

    @BeforeEach
    void slowServer() {
        wm.stubFor(get(urlEqualTo(PATH)).willReturn(okJson(BATCH_JSON).withFixedDelay(600)));
    }

    private Mka1TimeoutException timeoutOf(UnaryOperator<Mka1Client.Builder> clientConfig, RequestOptions options) {
        Mka1Client.Builder builder = ResilienceSupport.client(wm, new ResilienceSupport.RecordingSleeper()).maxRetries(0);
        try (Mka1Client client = clientConfig.apply(builder).build()) {
            return catchThrowableOfType(Mka1TimeoutException.class, () -> client.llm().batches().get(BATCH_ID, options));
        }
    }

    @Test
    void readTimeoutOfTheClient() {
        Mka1TimeoutException e = timeoutOf(b -> b.readTimeout(SHORT), RequestOptions.none());
        assertThat(e.kind()).isEqualTo(Kind.READ);
        assertThat(e).hasMessageContaining("GET /api/v1/llm/batches/" + BATCH_ID).hasMessageContaining("read timeout");
    }

    @Test
    void readTimeoutOfOneCall() {
        Mka1TimeoutException e = timeoutOf(b -> b, RequestOptions.builder().readTimeout(SHORT).build());
        assertThat(e.kind()).isEqualTo(Kind.READ);
    }

    @Test
    void attemptTimeoutOfTheClient() {
        assertThat(timeoutOf(b -> b.attemptTimeout(SHORT), RequestOptions.none()).kind()).isEqualTo(Kind.ATTEMPT);
    }

    @Test
    void attemptTimeoutOfOneCall() {
        RequestOptions options = RequestOptions.builder().attemptTimeout(SHORT).build();
        assertThat(timeoutOf(b -> b, options).kind()).isEqualTo(Kind.ATTEMPT);
    }

    @Test
    void overallTimeoutOfTheClient() {
        assertThat(timeoutOf(b -> b.timeout(SHORT), RequestOptions.none()).kind()).isEqualTo(Kind.OVERALL);
    }

    @Test
    void overallTimeoutOfOneCallWinsOverALongerAttemptTimeout() {
        RequestOptions options = RequestOptions.builder().timeout(SHORT).attemptTimeout(Duration.ofSeconds(30)).build();
        assertThat(timeoutOf(b -> b, options).kind()).isEqualTo(Kind.OVERALL);
    }

    @Test
    void aTimedOutAttemptIsRetried() {
        Mka1Client.Builder builder = ResilienceSupport.client(wm, new ResilienceSupport.RecordingSleeper()).maxRetries(1);
        try (Mka1Client client = builder.readTimeout(SHORT).build()) {
            Mka1TimeoutException e = catchThrowableOfType(Mka1TimeoutException.class,
                    () -> client.llm().batches().get(BATCH_ID));
            assertThat(e.kind()).isEqualTo(Kind.READ);
        }
        wm.verify(2, getRequestedFor(urlEqualTo(PATH)));
    }

    /**
     * A loopback server that never accepts, with its accept queue filled first: the kernel then
     * drops further SYNs, so a connect hangs until the connect timeout. Skipped where the kernel
     * completes connections anyway (no traffic ever leaves 127.0.0.1).
     */
    @Test
    void connectTimeoutOfTheClientAndOfOneCall() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket neverAccepts = new ServerSocket(0, 1, loopback)) {
            InetSocketAddress address = new InetSocketAddress(loopback, neverAccepts.getLocalPort());
            boolean queueFull = false;
            for (int i = 0; i < 16 && !queueFull; i++) {
                Socket filler = new Socket();
                fillers.add(filler);
                try {
                    filler.connect(address, 100);
                } catch (IOException e) {
                    queueFull = true;
                }
            }
            Assumptions.assumeTrue(queueFull, "this kernel accepts connections beyond the backlog");
            String baseUrl = "http://127.0.0.1:" + neverAccepts.getLocalPort();

            Mka1TimeoutException clientWide = timeoutOf(b -> b.baseUrl(baseUrl).connectTimeout(SHORT),
                    RequestOptions.none());
            Mka1TimeoutException perCall = timeoutOf(b -> b.baseUrl(baseUrl),
                    RequestOptions.builder().connectTimeout(SHORT).build());

            assertThat(clientWide.kind()).isEqualTo(Kind.CONNECT);
            assertThat(perCall.kind()).isEqualTo(Kind.CONNECT);
        } finally {
            for (Socket filler : fillers) {
                filler.close();
            }
        }
    }
}
