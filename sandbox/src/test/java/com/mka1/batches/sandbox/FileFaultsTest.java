package com.mka1.batches.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The body faults, seen by an OkHttp client downloading a file. */
class FileFaultsTest {
    private static Mka1Sandbox sandbox;
    private static TestApi api;
    private static final OkHttpClient HTTP = new OkHttpClient.Builder()
            .retryOnConnectionFailure(false)
            .readTimeout(Duration.ofSeconds(10))
            .build();
    private static final byte[] CONTENT = new byte[200_000];

    @BeforeAll
    static void start() {
        sandbox = Mka1Sandbox.builder().clock(SandboxClock.fixed(Fixtures.T0)).start();
        api = new TestApi(sandbox);
        new Random(7).nextBytes(CONTENT);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    @Test
    void cutBodyGivesThePromisedLengthThenAPrematureEof() throws IOException {
        String id = api.uploadFile("big.bin", "user_data", CONTENT).getId();
        sandbox.injectFault(FaultSpec.cutBodyAfter(70_000).on(SandboxOperation.GET_FILE_CONTENT));

        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (Response response = HTTP.newCall(content(id, null)).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(CONTENT.length));
            InputStream body = response.body().byteStream();
            assertThatThrownBy(() -> copy(body, received))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("unexpected end of stream");
        }
        assertThat(received.size()).isEqualTo(70_000);
        assertThat(received.toByteArray()).isEqualTo(Arrays.copyOf(CONTENT, 70_000));

        // The fault is used up; resuming with a Range gets exactly the rest.
        try (Response rest = HTTP.newCall(content(id, "bytes=70000-")).execute()) {
            assertThat(rest.code()).isEqualTo(206);
            assertThat(rest.header("Content-Range")).isEqualTo("bytes 70000-199999/200000");
            assertThat(rest.body().bytes()).isEqualTo(Arrays.copyOfRange(CONTENT, 70_000, CONTENT.length));
        }
    }

    @Test
    void cutOfARangedAnswerCountsFromTheRangesFirstByte() throws IOException {
        String id = api.uploadFile("big.bin", "user_data", CONTENT).getId();
        sandbox.injectFault(FaultSpec.cutBodyAfter(10).on(SandboxOperation.GET_FILE_CONTENT));
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (Response response = HTTP.newCall(content(id, "bytes=100-")).execute()) {
            assertThat(response.code()).isEqualTo(206);
            assertThatThrownBy(() -> copy(response.body().byteStream(), received))
                    .isInstanceOf(IOException.class);
        }
        assertThat(received.toByteArray()).isEqualTo(Arrays.copyOfRange(CONTENT, 100, 110));
    }

    @Test
    void cutAfterAsManyBytesAsTheBodyHasSendsItWhole() throws IOException {
        String id =
                api.uploadFile("small.bin", "user_data", new byte[] {1, 2, 3}).getId();
        sandbox.injectFault(FaultSpec.cutBodyAfter(3));
        try (Response response = HTTP.newCall(content(id, null)).execute()) {
            assertThat(response.body().bytes()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void slowBodyArrivesWholeInSeveralReads() throws IOException {
        String id = api.uploadFile("big.bin", "user_data", CONTENT).getId();
        sandbox.injectFault(FaultSpec.slowBody(4, Duration.ofMillis(40)).on(SandboxOperation.GET_FILE_CONTENT));

        try (Response response = HTTP.newCall(content(id, null)).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(CONTENT.length));
            assertThat(response.body().bytes()).isEqualTo(CONTENT);
        }
        assertThat(sandbox.pendingFaults()).isZero();
    }

    @Test
    void faultSpecsCheckTheirArguments() {
        assertThatThrownBy(() -> FaultSpec.cutBodyAfter(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bytes");
        assertThatThrownBy(() -> FaultSpec.slowBody(0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunks");
        assertThatThrownBy(() -> FaultSpec.slowBody(2, Duration.ofMinutes(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("total");
        assertThatThrownBy(() -> FaultSpec.slowBody(2, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("total");
        assertThatThrownBy(() -> FaultSpec.cutBodyAfter(1).body("x")).isInstanceOf(IllegalStateException.class);
        assertThat(FaultSpec.cutBodyAfter(5).toString()).contains("cut after 5 bytes");
    }

    private static Request content(String id, String range) {
        Request.Builder request = new Request.Builder()
                .url(sandbox.baseUrl() + "/api/v1/llm/files/" + id + "/content")
                .header("Authorization", "Bearer " + sandbox.apiKey());
        if (range != null) {
            request.header("Range", range);
        }
        return request.build();
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) throws IOException {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) != -1; ) {
            out.write(buffer, 0, n);
        }
    }
}
