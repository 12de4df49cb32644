package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static com.mka1.batches.TestSupport.FILES;
import static com.mka1.batches.TestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.mka1.batches.errors.InternalServerException;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.errors.UnexpectedStatusException;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An upload from a {@code Path} or {@code byte[]} is retried with the identical body and the same
 * Idempotency-Key; an upload from an {@code InputStream}, which can be read once, is never sent
 * twice once a connection was made: not after an error status, a reset, or a redirect.
 */
class UploadRetryTest {
    @RegisterExtension
    static final WireMockExtension wm = ResilienceSupport.loopbackWireMock();

    private static final byte[] CONTENT = new byte[150_000];

    static {
        new Random(3).nextBytes(CONTENT);
    }

    @TempDir
    static Path dir;

    private final FakeTime sleeper = new FakeTime();

    /** How an upload gets its bytes: each call makes a fresh source holding {@link #CONTENT}. */
    // Test cases as constants; their functions hold no state.
    @SuppressWarnings("ImmutableEnumChecker")
    enum Source {
        PATH((files, options) -> files.withOptions(options).upload(contentFile(), FilePurpose.BATCH)),
        BYTES((files, options) -> files.withOptions(options).upload(CONTENT, "requests.jsonl", FilePurpose.BATCH)),
        STREAM((files, options) -> files.withOptions(options)
                .upload(new ByteArrayInputStream(CONTENT), "requests.jsonl", FilePurpose.BATCH));

        final BiFunction<Mode.Files, RequestOptions, FileObject> upload;

        Source(BiFunction<Mode.Files, RequestOptions, FileObject> upload) {
            this.upload = upload;
        }
    }

    private static Path contentFile() {
        Path file = dir.resolve("requests.jsonl");
        try {
            if (!Files.exists(file)) {
                Files.write(file, CONTENT);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    static Stream<Arguments> resendable() {
        return Stream.of(Mode.values())
                .flatMap(mode -> Stream.of(Source.PATH, Source.BYTES).map(s -> Arguments.of(mode, s)));
    }

    static Stream<Arguments> everySource() {
        return Stream.of(Mode.values())
                .flatMap(mode -> Stream.of(Source.values()).map(s -> Arguments.of(mode, s)));
    }

    /** POST /files answers {@code first}, then the stored file. */
    private static void uploadAnswersThenSucceeds(ResponseDefinitionBuilder first) {
        wm.stubFor(post(urlEqualTo(FILES))
                .inScenario("u")
                .whenScenarioStateIs(STARTED)
                .willReturn(first)
                .willSetStateTo("ok"));
        wm.stubFor(post(urlEqualTo(FILES))
                .inScenario("u")
                .whenScenarioStateIs("ok")
                .willReturn(okJson(fixture("file-batch-input.json"))));
    }

    private FileObject upload(Mode mode, Source source) {
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper).build()) {
            return source.upload.apply(mode.files(client), RequestOptions.none());
        }
    }

    private static List<LoggedRequest> uploads() {
        return wm.findAll(postRequestedFor(urlEqualTo(FILES)));
    }

    private static byte[] filePart(LoggedRequest request) {
        return MultipartParts.parse(request.getHeader("Content-Type"), request.getBody())
                .get(0)
                .body;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("resendable")
    void aRetryAfter503SendsTheWholeIdenticalBodyWithTheSameIdempotencyKey(Mode mode, Source source) {
        uploadAnswersThenSucceeds(aResponse().withStatus(503));

        assertThat(upload(mode, source).getId()).isEqualTo("file-abc123");

        List<LoggedRequest> sent = uploads();
        assertThat(sent).hasSize(2);
        assertThat(filePart(sent.get(0))).isEqualTo(CONTENT);
        assertThat(sent.get(1).getBody()).isEqualTo(sent.get(0).getBody());
        assertThat(sent.get(1).getHeader("Content-Type")).isEqualTo(sent.get(0).getHeader("Content-Type"));
        assertThat(sent.get(0).getHeader("Idempotency-Key"))
                .isNotBlank()
                .isEqualTo(sent.get(1).getHeader("Idempotency-Key"));
        assertThat(sleeper.sleeps).hasSize(1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("resendable")
    void aRetryAfterAConnectionResetSendsTheWholeIdenticalBodyAgain(Mode mode, Source source) {
        uploadAnswersThenSucceeds(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        assertThat(upload(mode, source).getId()).isEqualTo("file-abc123");

        List<LoggedRequest> sent = uploads();
        assertThat(sent).hasSize(2);
        assertThat(filePart(sent.get(1))).isEqualTo(CONTENT);
        assertThat(sent.get(1).getBody()).isEqualTo(sent.get(0).getBody());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aStreamUploadAnswered503IsNotRetried(Mode mode) {
        uploadAnswersThenSucceeds(aResponse().withStatus(503).withBody("{\"error\":\"Service unavailable\"}"));

        Throwable thrown = catchThrowable(() -> upload(mode, Source.STREAM));

        assertThat(thrown)
                .isExactlyInstanceOf(InternalServerException.class)
                .hasMessage("HTTP 503: Service unavailable");
        assertThat(uploads()).hasSize(1);
        assertThat(filePart(uploads().get(0)))
                .as("the one request carried the whole stream")
                .isEqualTo(CONTENT);
        assertThat(sleeper.sleeps).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aStreamUploadWhoseConnectionIsResetAfterTheBodyIsNotRetried(Mode mode) {
        uploadAnswersThenSucceeds(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        Throwable thrown = catchThrowable(() -> upload(mode, Source.STREAM));

        assertThat(thrown).isExactlyInstanceOf(Mka1IoException.class).hasMessageContaining("POST " + FILES);
        assertThat(uploads()).hasSize(1);
        assertThat(filePart(uploads().get(0))).isEqualTo(CONTENT);
        assertThat(sleeper.sleeps).isEmpty();
    }

    /**
     * OkHttp follows a 307 with the same method and body when the body can be sent again; the
     * engine marks a stream's body one-shot, so OkHttp hands the 307 back instead of a second,
     * empty body.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everySource")
    void a307RedirectIsFollowedWithTheSameBodyOnlyWhenTheBodyCanBeSentAgain(Mode mode, Source source) {
        wm.stubFor(post(urlEqualTo(FILES))
                .willReturn(aResponse().withStatus(307).withHeader("Location", "/upload-elsewhere")));
        wm.stubFor(post(urlEqualTo("/upload-elsewhere")).willReturn(okJson(fixture("file-batch-input.json"))));

        Throwable thrown = catchThrowable(() -> upload(mode, source));

        List<LoggedRequest> redirected = wm.findAll(postRequestedFor(urlEqualTo("/upload-elsewhere")));
        if (source == Source.STREAM) {
            assertThat(thrown)
                    .isExactlyInstanceOf(UnexpectedStatusException.class)
                    .hasMessageStartingWith("HTTP 307");
            assertThat(redirected).isEmpty();
        } else {
            assertThat(thrown).isNull();
            assertThat(redirected).hasSize(1);
            assertThat(redirected.get(0).getBody()).isEqualTo(uploads().get(0).getBody());
            assertThat(filePart(redirected.get(0))).isEqualTo(CONTENT);
        }
        assertThat(uploads()).hasSize(1);
        assertThat(sleeper.sleeps).isEmpty();
    }

    /**
     * A stream is retried while none of it can have been sent: the first attempt finds no server
     * (connection refused); the wait before the retry starts one on that port.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aStreamUploadIsRetriedWhenTheConnectionWasNeverMadeAndSendsAllOfIt(Mode mode) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            port = free.getLocalPort();
        }
        WireMockServer late = new WireMockServer(wireMockConfig().port(port).bindAddress("127.0.0.1"));
        Sleeper startsTheServer = duration -> {
            sleeper.sleep(duration);
            if (!late.isRunning()) {
                late.start();
                late.stubFor(post(urlEqualTo(FILES)).willReturn(okJson(fixture("file-batch-input.json"))));
            }
        };
        InputStream stream = new ByteArrayInputStream(CONTENT);
        try (Mka1Client client = Mka1Client.builder()
                .apiKey(ResilienceSupport.API_KEY)
                .baseUrl("http://127.0.0.1:" + port)
                .sleeper(startsTheServer)
                .clock(sleeper)
                .build()) {
            FileObject uploaded = mode.files(client).upload(stream, "requests.jsonl", FilePurpose.BATCH);

            assertThat(uploaded.getId()).isEqualTo("file-abc123");
            List<LoggedRequest> sent = late.findAll(anyRequestedFor(anyUrl()));
            assertThat(sent).hasSize(1);
            assertThat(filePart(sent.get(0))).isEqualTo(CONTENT);
            assertThat(sleeper.sleeps)
                    .hasSize(1)
                    .allSatisfy(wait -> assertThat(wait).isPositive());
        } finally {
            late.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aStreamUploadWithRetriesAllowedStillSendsAtMostOnceAfterAnErrorStatus(Mode mode) {
        uploadAnswersThenSucceeds(aResponse().withStatus(429).withHeader("Retry-After", "1"));

        Throwable thrown;
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper)
                .requestOptions(RequestOptions.builder().maxRetries(5).build())
                .build()) {
            thrown = catchThrowable(() -> mode.files(client)
                    .withOptions(RequestOptions.builder()
                            .maxRetries(5)
                            .timeout(Duration.ofMinutes(5))
                            .build())
                    .upload(new ByteArrayInputStream(CONTENT), "requests.jsonl", FilePurpose.BATCH));
        }

        assertThat(thrown).isInstanceOf(com.mka1.batches.errors.RateLimitException.class);
        assertThat(uploads()).hasSize(1);
        assertThat(sleeper.sleeps).isEmpty();
    }

    /** The caller's stream fails after {@code good} bytes. */
    // A few bytes, one at a time: speed is not the point.
    @SuppressWarnings("InputStreamSlowMultibyteRead")
    private static final class FailingStream extends InputStream {
        final IOException failure = new IOException("the caller's disk went away");
        private int left;

        FailingStream(int good) {
            this.left = good;
        }

        @Override
        public int read() throws IOException {
            if (left == 0) {
                throw failure;
            }
            left--;
            return 'x';
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aStreamThatFailsWhileSentEndsTheUploadWithItsFailureAndTheNextCallStillWorks(Mode mode) {
        uploadAnswersThenSucceeds(okJson(fixture("file-batch-input.json")));
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo(FILES + "/file-abc123"))
                .willReturn(okJson(fixture("file-batch-input.json"))));
        FailingStream stream = new FailingStream(20_000);

        try (Mka1Client client = ResilienceSupport.client(wm, sleeper)
                .requestOptions(RequestOptions.builder().maxRetries(2).build())
                .build()) {
            Throwable thrown =
                    catchThrowable(() -> mode.files(client).upload(stream, "requests.jsonl", FilePurpose.BATCH));

            assertThat(thrown).isExactlyInstanceOf(Mka1IoException.class).hasMessageContaining("(attempt 1)");
            assertThat(thrown.getCause()).isSameAs(stream.failure);
            assertThat(sleeper.sleeps).isEmpty();
            assertThat(mode.files(client)
                            .withOptions(RequestOptions.builder()
                                    .timeout(Duration.ofSeconds(5))
                                    .build())
                            .get("file-abc123")
                            .getId())
                    .as("the connection of the broken upload is not reused")
                    .isEqualTo("file-abc123");
        }
    }
}
