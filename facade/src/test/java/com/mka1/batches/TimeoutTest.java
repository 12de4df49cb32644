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
import com.mka1.batches.errors.Mka1TimeoutException.TimeoutKind;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

    private Mka1TimeoutException timeoutOf(
            Mode mode, UnaryOperator<Mka1Client.Builder> clientConfig, RequestOptions options) {
        Mka1Client.Builder builder = ResilienceSupport.client(wm, new FakeTime())
                .requestOptions(RequestOptions.builder().maxRetries(0).build());
        try (Mka1Client client = clientConfig.apply(builder).build()) {
            Mka1TimeoutException e = catchThrowableOfType(
                    Mka1TimeoutException.class,
                    () -> mode.batches(client).withOptions(options).get(BATCH_ID));
            assertThat(e).as("a Mka1TimeoutException").isNotNull();
            return e;
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void readTimeoutOfTheClient(Mode mode) {
        Mka1TimeoutException e = timeoutOf(
                mode,
                b -> b.requestOptions(
                        RequestOptions.builder().readTimeout(SHORT).build()),
                RequestOptions.none());
        assertThat(e.kind()).isEqualTo(TimeoutKind.READ);
        assertThat(e)
                .hasMessageContaining("GET /api/v1/llm/batches/" + BATCH_ID)
                .hasMessageContaining("read timeout");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void readTimeoutOfOneCall(Mode mode) {
        Mka1TimeoutException e = timeoutOf(
                mode, b -> b, RequestOptions.builder().readTimeout(SHORT).build());
        assertThat(e.kind()).isEqualTo(TimeoutKind.READ);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void attemptTimeoutOfTheClient(Mode mode) {
        assertThat(timeoutOf(
                                mode,
                                b -> b.requestOptions(RequestOptions.builder()
                                        .attemptTimeout(SHORT)
                                        .build()),
                                RequestOptions.none())
                        .kind())
                .isEqualTo(TimeoutKind.ATTEMPT);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void attemptTimeoutOfOneCall(Mode mode) {
        RequestOptions options = RequestOptions.builder().attemptTimeout(SHORT).build();
        assertThat(timeoutOf(mode, b -> b, options).kind()).isEqualTo(TimeoutKind.ATTEMPT);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void overallTimeoutOfTheClient(Mode mode) {
        assertThat(timeoutOf(
                                mode,
                                b -> b.requestOptions(
                                        RequestOptions.builder().timeout(SHORT).build()),
                                RequestOptions.none())
                        .kind())
                .isEqualTo(TimeoutKind.OVERALL);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void overallTimeoutOfOneCallWinsOverALongerAttemptTimeout(Mode mode) {
        RequestOptions options = RequestOptions.builder()
                .timeout(SHORT)
                .attemptTimeout(Duration.ofSeconds(30))
                .build();
        assertThat(timeoutOf(mode, b -> b, options).kind()).isEqualTo(TimeoutKind.OVERALL);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anAttemptTimeoutEqualToTheOverallTimeoutIsNamedAsTheAttempts(Mode mode) {
        RequestOptions options =
                RequestOptions.builder().timeout(SHORT).attemptTimeout(SHORT).build();
        assertThat(timeoutOf(mode, b -> b, options).kind()).isEqualTo(TimeoutKind.ATTEMPT);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aTimedOutAttemptIsRetried(Mode mode) {
        Mka1Client.Builder builder = ResilienceSupport.client(wm, new FakeTime())
                .requestOptions(RequestOptions.builder().maxRetries(1).build());
        try (Mka1Client client = builder.requestOptions(
                        RequestOptions.builder().readTimeout(SHORT).build())
                .build()) {
            Mka1TimeoutException e = catchThrowableOfType(
                    Mka1TimeoutException.class, () -> mode.batches(client).get(BATCH_ID));
            assertThat(e.kind()).isEqualTo(TimeoutKind.READ);
        }
        wm.verify(2, getRequestedFor(urlEqualTo(PATH)));
    }

    /**
     * A loopback server that never accepts, with its accept queue filled first: the kernel then
     * drops further SYNs, so a connect hangs until the connect timeout. Skipped where the kernel
     * completes connections anyway (no traffic ever leaves 127.0.0.1).
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void connectTimeoutOfTheClientAndOfOneCall(Mode mode) throws IOException {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
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

            Mka1TimeoutException clientWide = timeoutOf(
                    mode,
                    b -> b.baseUrl(baseUrl)
                            .requestOptions(RequestOptions.builder()
                                    .connectTimeout(SHORT)
                                    .build()),
                    RequestOptions.none());
            Mka1TimeoutException perCall = timeoutOf(
                    mode,
                    b -> b.baseUrl(baseUrl),
                    RequestOptions.builder().connectTimeout(SHORT).build());

            assertThat(clientWide.kind()).isEqualTo(TimeoutKind.CONNECT);
            assertThat(perCall.kind()).isEqualTo(TimeoutKind.CONNECT);
        } finally {
            for (Socket filler : fillers) {
                filler.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void writeTimeoutOfTheClientWhenTheServerStopsReadingTheBody(Mode mode) throws IOException {
        Mka1TimeoutException e = createAgainstAServerThatNeverReads(
                mode,
                b -> b.requestOptions(
                        RequestOptions.builder().writeTimeout(SHORT).build()),
                RequestOptions.none());
        assertThat(e.kind()).isEqualTo(TimeoutKind.WRITE);
        assertThat(e).hasMessageContaining("POST /api/v1/llm/batches");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void writeTimeoutOfOneCall(Mode mode) throws IOException {
        RequestOptions options = RequestOptions.builder().writeTimeout(SHORT).build();
        assertThat(createAgainstAServerThatNeverReads(mode, b -> b, options).kind())
                .isEqualTo(TimeoutKind.WRITE);
    }

    /**
     * Creates a batch on a loopback server that accepts the connection but never reads: once
     * the socket buffers are full, sending the body stalls until the write timeout. The body
     * carries a 16 MiB metadata value, far beyond any loopback buffer (the server's receive
     * buffer is also made small).
     */
    private Mka1TimeoutException createAgainstAServerThatNeverReads(
            Mode mode, UnaryOperator<Mka1Client.Builder> clientConfig, RequestOptions options) throws IOException {
        List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ServerSocket neverReads = new ServerSocket()) {
            neverReads.setReceiveBufferSize(4096);
            neverReads.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 4);
            Thread acceptor = new Thread(
                    () -> {
                        try {
                            while (true) {
                                accepted.add(neverReads.accept());
                            }
                        } catch (IOException closed) {
                            // the test is over
                        }
                    },
                    "never-reads-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            CreateBatchParams huge = CreateBatchParams.builder()
                    .inputFileId("file_abc123")
                    .endpoint("/v1/chat/completions")
                    .putMetadata("blob", "x".repeat(16 * 1024 * 1024))
                    .build();
            Mka1Client.Builder builder = ResilienceSupport.client(wm, new FakeTime())
                    .requestOptions(RequestOptions.builder().maxRetries(0).build())
                    .baseUrl("http://127.0.0.1:" + neverReads.getLocalPort());

            Mka1TimeoutException e;
            try (Mka1Client client = clientConfig.apply(builder).build()) {
                e = catchThrowableOfType(
                        Mka1TimeoutException.class,
                        () -> mode.batches(client).withOptions(options).create(huge));
            }
            assertThat(e).as("a Mka1TimeoutException").isNotNull();
            assertThat(accepted)
                    .as("the connection was made: it is the write that timed out")
                    .isNotEmpty();
            return e;
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    /**
     * The per-attempt and overall timeouts of {@code content()} cover the wait for the response's
     * headers; the stream handed over is then read at the caller's pace, each read bounded by the
     * read timeout only. The server sends the headers and a first part at once and the rest after
     * 600 ms, three times the 200 ms timeouts.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void theTimeoutsOfContentEndWithTheHeadersAndReadingTheStreamIsBoundedByTheReadTimeoutOnly(Mode mode)
            throws IOException {
        byte[] content = new byte[50_000];
        new java.util.Random(5).nextBytes(content);
        try (RawHttpServer server = new RawHttpServer().script(RawHttpServer.pauseAfter(content, 1_000, 600));
                Mka1Client client = ResilienceSupport.client(wm, new FakeTime())
                        .requestOptions(RequestOptions.builder().maxRetries(0).build())
                        .baseUrl(server.baseUrl())
                        .requestOptions(
                                RequestOptions.builder().attemptTimeout(SHORT).build())
                        .build();
                FileContent file = mode.files(client)
                        .withOptions(RequestOptions.builder().timeout(SHORT).build())
                        .content("file-abc123")) {

            assertThat(file.inputStream().readAllBytes()).isEqualTo(content);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theAttemptTimeoutOfContentCoversTheWaitForTheHeaders(Mode mode) throws IOException {
        try (RawHttpServer server = new RawHttpServer().script(RawHttpServer.pauseBefore(new byte[10], 600));
                Mka1Client client = ResilienceSupport.client(wm, new FakeTime())
                        .requestOptions(RequestOptions.builder().maxRetries(0).build())
                        .baseUrl(server.baseUrl())
                        .build()) {
            Mka1TimeoutException e = catchThrowableOfType(
                    Mka1TimeoutException.class,
                    () -> mode.files(client)
                            .withOptions(RequestOptions.builder()
                                    .attemptTimeout(SHORT)
                                    .build())
                            .content("file-abc123"));

            assertThat(e).as("a Mka1TimeoutException").isNotNull();
            assertThat(e.kind()).isEqualTo(TimeoutKind.ATTEMPT);
            assertThat(e).hasMessageContaining("GET /api/v1/llm/files/file-abc123/content");
        }
    }
}
