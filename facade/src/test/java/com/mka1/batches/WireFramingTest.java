package com.mka1.batches;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.InternalServerException;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.errors.NotFoundException;
import com.mka1.batches.errors.RateLimitException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An answer whose framing is wrong (a {@code Content-Length} that is negative or no number, a
 * body shorter or longer than announced) or whose body is huge or never ends: every call ends
 * with a documented exception, reading no more than a bounded prefix of an error body and no
 * more than the JSON cap of a success body; nothing reaches the caller as a raw library exception.
 * Served by {@link RawHttpServer}; each scenario runs in both modes.
 */
class WireFramingTest {
    private static final String ID = "batch_1";
    private static final String BATCH_JSON = ResilienceSupport.BATCH_JSON.replace(ResilienceSupport.BATCH_ID, ID);
    /** The error body prefix the client reads (64 KiB), and the JSON success body cap (32 MiB). */
    private static final int ERROR_PREFIX = 64 * 1024;

    private static final int JSON_CAP = 32 * 1024 * 1024;
    /**
     * What a server may have written before it notices the client has gone: the prefix read, plus
     * what the sockets' buffers on both sides hold. Far under the 1.5 GB or endless bodies served.
     */
    private static final long SERVED_BOUND = 48L * 1024 * 1024;

    private RawHttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = new RawHttpServer();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private Mka1Client client() {
        return Mka1Client.builder()
                .apiKey(ResilienceSupport.API_KEY)
                .baseUrl(server.baseUrl())
                .sleeper(new FakeTime())
                .requestOptions(RequestOptions.builder().maxRetries(2).build())
                .build();
    }

    /** Answers {@code status} with {@code body} and the given headers, as they are. */
    private static RawHttpServer.Handler answer(int status, String body, String... headers) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return exchange -> {
            exchange.head(status, headers);
            exchange.body(bytes, 0, bytes.length);
            exchange.end();
        };
    }

    /**
     * Answers {@code status}, then writes {@code start} and {@code filler} bytes (64 KiB at a time)
     * until {@code length} bytes are written or, with a length below 0, until the client goes away.
     */
    private static RawHttpServer.Handler huge(int status, String contentType, long length, String start, char filler) {
        byte[] head = start.getBytes(StandardCharsets.UTF_8);
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) filler);
        return exchange -> {
            if (length >= 0) {
                exchange.head(status, "Content-Type", contentType, "Content-Length", String.valueOf(length));
            } else {
                exchange.head(status, "Content-Type", contentType); // no length: the body ends when the connection does
            }
            exchange.body(head, 0, head.length);
            long written = head.length;
            while (length < 0 || written < length) {
                int n = (int) Math.min(chunk.length, length < 0 ? chunk.length : length - written);
                exchange.body(chunk, 0, n); // throws once the client has closed the connection
                written += n;
            }
            exchange.end();
        };
    }

    // Framing

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aNegativeContentLengthOnASuccessIsAFailedAttempt(Mode mode) {
        server.script(answer(200, BATCH_JSON, "Content-Type", "application/json", "Content-Length", "-5"));

        Throwable thrown;
        try (Mka1Client client = client()) {
            thrown = catchThrowable(() -> mode.batches(client).get(ID));
        }

        assertThat(thrown)
                .isExactlyInstanceOf(Mka1IoException.class)
                .hasMessageContaining("(attempt 3)")
                .hasMessageContaining("Content-Length");
        assertThat(server.requests()).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aNegativeContentLengthOnAnErrorIsAFailedAttempt(Mode mode) {
        server.script(answer(
                400, "{\"error\":{\"message\":\"bad\"}}", "Content-Type", "application/json", "Content-Length", "-5"));

        Throwable thrown;
        try (Mka1Client client = client()) {
            thrown = catchThrowable(() -> mode.batches(client).get(ID));
        }

        assertThat(thrown).isExactlyInstanceOf(Mka1IoException.class).hasMessageContaining("Content-Length");
        assertThat(server.requests()).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aNegativeContentLengthOnFileContentIsAFailedAttempt(Mode mode) {
        server.script(
                answer(200, "{\"a\":1}\n", "Content-Type", "application/jsonl", "Content-Length", "-5"),
                answer(200, "{\"a\":1}\n", "Content-Type", "application/jsonl", "Content-Length", "8"));

        byte[] read;
        try (Mka1Client client = client();
                FileContent content = mode.files(client).content("file_1")) {
            read = content.inputStream().readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }

        assertThat(read).asString(StandardCharsets.UTF_8).isEqualTo("{\"a\":1}\n");
        assertThat(server.requests()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aContentLengthThatIsNoNumberIsAFailedAttempt(Mode mode) {
        server.script(
                answer(200, BATCH_JSON, "Content-Type", "application/json", "Content-Length", "12abc"),
                answer(
                        200,
                        BATCH_JSON,
                        "Content-Type",
                        "application/json",
                        "Content-Length",
                        String.valueOf(BATCH_JSON.length()),
                        "Content-Length",
                        "7"),
                answer(
                        200,
                        BATCH_JSON,
                        "Content-Type",
                        "application/json",
                        "Content-Length",
                        String.valueOf(BATCH_JSON.length())));

        try (Mka1Client client = client()) {
            assertThat(mode.batches(client).get(ID).getId()).isEqualTo(ID);
        }
        assertThat(server.requests()).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aBodyShorterThanAnnouncedIsAFailedAttemptForSuccessesAndErrors(Mode mode) {
        String error = "{\"error\":{\"message\":\"slow down\"}}";
        server.script(RawHttpServer.jsonCutAfter(BATCH_JSON, 40), exchange -> {
            exchange.head(429, "Content-Type", "application/json", "Content-Length", "500");
            exchange.body(error.getBytes(StandardCharsets.UTF_8), 0, error.length());
            exchange.end();
        });

        Throwable thrown;
        try (Mka1Client client = client()) {
            thrown = catchThrowable(() -> mode.batches(client).get(ID));
        }

        assertThat(thrown).isExactlyInstanceOf(Mka1IoException.class).hasMessageContaining("(attempt 3)");
        assertThat(server.requests()).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aFileContentStreamShorterThanAnnouncedThrowsIoExceptionFromItsRead(Mode mode) {
        byte[] content = "0123456789".repeat(1000).getBytes(StandardCharsets.UTF_8);
        server.script(RawHttpServer.cutAfter(content, 4000));

        Throwable thrown;
        try (Mka1Client client = client();
                FileContent file = mode.files(client).content("file_1")) {
            InputStream in = file.inputStream();
            thrown = catchThrowable(in::readAllBytes);
        }

        assertThat(thrown).isInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aBodyLongerThanAnnouncedIsReadToItsAnnouncedEnd(Mode mode) {
        server.script(answer(
                200,
                BATCH_JSON + "{\"id\":\"batch_2\"}",
                "Content-Type",
                "application/json",
                "Content-Length",
                String.valueOf(BATCH_JSON.length())));

        try (Mka1Client client = client()) {
            assertThat(mode.batches(client).get(ID).getId()).isEqualTo(ID);
        }
        server.script(answer(200, BATCH_JSON, "Content-Type", "application/json", "Content-Length", "30"));
        Throwable thrown;
        try (Mka1Client client = client()) {
            thrown = catchThrowable(() -> mode.batches(client).get(ID));
        }
        assertThat(thrown)
                .isExactlyInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("not a valid BatchObject");
    }

    /**
     * A client whose responses throw from {@code close()} (as okio's stream of a negative length
     * did): an interceptor of the caller's OkHttpClient stands in for the broken stream.
     */
    private Mka1Client clientWhoseResponsesThrowOnClose() {
        OkHttpClient throwingClose = new OkHttpClient.Builder()
                .addInterceptor(chain -> {
                    Response response = chain.proceed(chain.request());
                    ResponseBody body = response.body();
                    BufferedSource source = Okio.buffer(new ForwardingSource(body.source()) {
                        @Override
                        public void close() throws IOException {
                            super.close();
                            throw new IllegalArgumentException("byteCount < 0: -5");
                        }
                    });
                    return response.newBuilder()
                            .body(ResponseBody.create(source, body.contentType(), body.contentLength()))
                            .build();
                })
                .build();
        return Mka1Client.builder()
                .apiKey(ResilienceSupport.API_KEY)
                .baseUrl(server.baseUrl())
                .httpClient(throwingClose)
                .sleeper(new FakeTime())
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .build();
    }

    /**
     * A JSON success is read and closed by its reader: a close that throws fails the attempt
     * (retried like a broken connection). An error body and file content are read by the client
     * and the caller: the answer stands, and the stream's close fails with an IOException.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aResponseWhoseCloseThrowsEndsInADocumentedType(Mode mode) throws IOException {
        String error = "{\"error\":{\"message\":\"No batch found\"}}";
        server.script(
                answer(
                        200,
                        BATCH_JSON,
                        "Content-Type",
                        "application/json",
                        "Content-Length",
                        String.valueOf(BATCH_JSON.length())),
                answer(
                        404,
                        error,
                        "Content-Type",
                        "application/json",
                        "Content-Length",
                        String.valueOf(error.length())),
                answer(200, "{\"a\":1}\n", "Content-Type", "application/jsonl", "Content-Length", "8"));

        Throwable thrown;
        try (Mka1Client client = clientWhoseResponsesThrowOnClose()) {
            assertThat(catchThrowable(() -> mode.batches(client).get(ID)))
                    .isExactlyInstanceOf(Mka1IoException.class)
                    .hasMessageContaining("could not be read");
            thrown = catchThrowable(() -> mode.batches(client).get(ID));
            FileContent content = mode.files(client).content("file_1");
            assertThat(content.inputStream().readAllBytes())
                    .asString(StandardCharsets.UTF_8)
                    .isEqualTo("{\"a\":1}\n");
            assertThat(catchThrowable(content.inputStream()::close)).isInstanceOf(IOException.class);
            content.close();
        }

        assertThat(thrown).isExactlyInstanceOf(NotFoundException.class).hasMessage("HTTP 404: No batch found");
    }

    // Error bodies: a bounded prefix

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anErrorBodyOfOneAndAHalfGigabytesIsReadUpToItsPrefix(Mode mode) {
        server.script(huge(500, "text/plain", 1_610_612_736L, "upstream exploded: ", 'x'));

        Throwable thrown;
        try (Mka1Client client = Mka1Client.builder()
                .apiKey(ResilienceSupport.API_KEY)
                .baseUrl(server.baseUrl())
                .sleeper(new FakeTime())
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .build()) {
            thrown = catchThrowable(() -> mode.batches(client)
                    .withOptions(RequestOptions.builder()
                            .timeout(Duration.ofSeconds(20))
                            .build())
                    .get(ID));
        }

        assertThat(thrown).isExactlyInstanceOf(InternalServerException.class);
        ApiException e = (ApiException) thrown;
        assertThat(e.body()).startsWith("upstream exploded: xxx").hasSize(ERROR_PREFIX);
        assertThat(e.getMessage())
                .startsWith("HTTP 500 (text/plain): upstream exploded: xxx")
                .hasSizeLessThan(200);
        assertThat(server.bodyBytesServed()).isLessThan(SERVED_BOUND);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anErrorBodyThatNeverEndsIsReadUpToItsPrefixOnEveryAttempt(Mode mode) {
        server.script(huge(429, "application/json", -1, "{\"error\":{\"message\":\"", 'y'));

        Throwable thrown;
        try (Mka1Client client = client()) {
            thrown = catchThrowable(() -> mode.batches(client)
                    .withOptions(RequestOptions.builder()
                            .timeout(Duration.ofSeconds(20))
                            .build())
                    .get(ID));
        }

        assertThat(thrown).isExactlyInstanceOf(RateLimitException.class);
        assertThat(((ApiException) thrown).body()).hasSize(ERROR_PREFIX);
        assertThat(server.requests()).hasSize(3);
        assertThat(server.bodyBytesServed()).isLessThan(3 * SERVED_BOUND);
    }

    // Success bodies: the JSON cap

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aJsonSuccessBodyOverTheCapIsAnInvalidResponse(Mode mode) {
        server.script(huge(200, "application/json", -1, "{\"id\":\"", 'z'));

        Throwable thrown;
        try (Mka1Client client = client()) {
            thrown = catchThrowable(() -> mode.batches(client)
                    .withOptions(RequestOptions.builder()
                            .timeout(Duration.ofSeconds(30))
                            .build())
                    .get(ID));
        }

        assertThat(thrown)
                .isExactlyInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("exceeds " + JSON_CAP + " bytes")
                .hasMessageContaining("body starts: {\"id\":\"zzz");
        assertThat(server.requests()).hasSize(1);
        assertThat(server.bodyBytesServed()).isLessThan(JSON_CAP + SERVED_BOUND);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aJsonSuccessBodyAnnouncedOverTheCapIsRefusedBeforeItIsRead(Mode mode) {
        server.script(huge(200, "application/json", 1_610_612_736L, "{\"id\":\"", 'z'));

        Throwable thrown;
        try (Mka1Client client = client()) {
            thrown = catchThrowable(() -> mode.batches(client)
                    .withOptions(RequestOptions.builder()
                            .timeout(Duration.ofSeconds(30))
                            .build())
                    .get(ID));
        }

        assertThat(thrown)
                .isExactlyInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("exceeds " + JSON_CAP + " bytes");
        assertThat(server.requests()).hasSize(1);
        assertThat(server.bodyBytesServed()).isLessThan(SERVED_BOUND);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void fileContentIsNeverCapped(Mode mode) throws IOException {
        long size = JSON_CAP + 1_000_000L;
        server.script(huge(200, "application/jsonl", size, "", 'c'));

        long read = 0;
        try (Mka1Client client = client();
                FileContent content = mode.files(client).content("file_1")) {
            InputStream in = content.inputStream();
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                read += n;
            }
        }

        assertThat(read).isEqualTo(size);
    }
}
