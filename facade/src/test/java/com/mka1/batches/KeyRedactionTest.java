package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.AuthenticationException;
import com.mka1.batches.errors.BadRequestException;
import com.mka1.batches.errors.InternalServerException;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.observability.AttemptResult;
import com.mka1.batches.observability.CallContext;
import com.mka1.batches.observability.CallListener;
import com.mka1.batches.observability.CallResult;
import com.mka1.batches.observability.RetryScheduled;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server that echoes the client's API key back, anywhere in its answer: the key (and its
 * {@code Bearer} form, and its percent-encoded form) reaches no exception message or accessor,
 * no stack trace, no listener and no log line. The key here does not look like a key (no
 * {@code sk-}), so only the client's knowing it can find it.
 */
class KeyRedactionTest {
    @RegisterExtension
    static final WireMockExtension wm = ResilienceSupport.loopbackWireMock();

    private static final String KEY = "mka1_live/7Hq2Zr9+Kp4Xw=8Vb3LdT";
    private static final String ENCODED = URLEncoder.encode(KEY, StandardCharsets.UTF_8);
    private static final String PATH = "/api/v1/llm/batches/batch_1";

    static Stream<Arguments> echoes() {
        List<Arguments> cases = new ArrayList<>();
        Object[][] rows = {
            {
                "a 400 JSON message",
                BadRequestException.class,
                json(
                        400,
                        "{\"error\":{\"message\":\"Malformed header: Authorization: Bearer " + KEY
                                + "\",\"type\":\"invalid_request_error\"}}")
            },
            {
                "a 401 'Incorrect API key provided'",
                AuthenticationException.class,
                json(
                        401,
                        "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\",\"code\":\"" + KEY
                                + "\"}}")
            },
            {
                "a JSON-escaped key",
                AuthenticationException.class,
                json(
                        401,
                        "{\"error\":{\"message\":\"Incorrect API key provided: "
                                + KEY.replace("/", "\\/").replace("m", "\\u006d") + "\"}}")
            },
            {
                "a short text/plain 500",
                InternalServerException.class,
                aResponse()
                        .withStatus(500)
                        .withHeader("Content-Type", "text/plain")
                        .withBody("bad key " + KEY)
            },
            {
                "an HTML page",
                InternalServerException.class,
                aResponse()
                        .withStatus(502)
                        .withHeader("Content-Type", "text/html")
                        .withBody("<html><head><title>Denied for " + KEY + "</title></head><body>token=" + ENCODED
                                + "</body></html>")
            },
            {
                "an HTML page without title",
                InternalServerException.class,
                aResponse()
                        .withStatus(503)
                        .withHeader("Content-Type", "text/html")
                        .withBody("<html><body><p>Authorization: Bearer " + KEY + "</p><p>query: ?key=" + ENCODED
                                + "</p></body></html>")
            },
            {
                "a header echoed into the message",
                InternalServerException.class,
                aResponse()
                        .withStatus(500)
                        .withHeader("X-Request-ID", "Bearer " + KEY)
                        .withHeader("X-Echo", KEY)
            },
            {
                "an invalid success body's snippet",
                InvalidResponseException.class,
                json(200, "{\"id\":\"batch_1\",\"note\":\"Bearer " + KEY + "\"")
            },
            {
                "a success body whose field name is the key",
                InvalidResponseException.class,
                json(200, "{\"" + KEY + "\": 1, }")
            },
        };
        for (Mode mode : Mode.values()) {
            for (Object[] row : rows) {
                cases.add(Arguments.of(mode, row[0], row[1], row[2]));
            }
        }
        return cases.stream();
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("echoes")
    void anEchoedKeyReachesNoMessageAccessorOrStackTrace(
            Mode mode, String what, Class<?> type, ResponseDefinitionBuilder response) {
        wm.stubFor(get(urlEqualTo(PATH)).willReturn(response));

        Throwable thrown;
        try (Mka1Client client = client().build()) {
            thrown = catchThrowable(() -> mode.batches(client).get("batch_1"));
        }

        assertThat(thrown).isExactlyInstanceOf(type);
        List<String> texts = new ArrayList<>(textsOf(thrown));
        if (thrown instanceof ApiException) {
            ApiException e = (ApiException) thrown;
            texts.add(e.body());
            texts.add(e.errorMessage());
            texts.add(e.errorType());
            texts.add(e.errorCode());
            texts.add(e.requestId());
            texts.add(e.headers().toString());
            texts.add(String.valueOf(e.header("X-Echo").orElse(null)));
        } else {
            texts.add(((InvalidResponseException) thrown).bodySnippet());
        }
        assertThat(texts).allSatisfy(KeyRedactionTest::holdsNoKey);
        assertThat(thrown.getMessage()).contains("[redacted]");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theRedactedMessageStillSaysWhatTheServerSaid(Mode mode) {
        wm.stubFor(get(urlEqualTo(PATH))
                .willReturn(json(
                        401,
                        "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ". Check your key.\"}}")));

        Throwable thrown;
        try (Mka1Client client = client().build()) {
            thrown = catchThrowable(() -> mode.batches(client).get("batch_1"));
        }

        assertThat(thrown).hasMessage("HTTP 401: Incorrect API key provided: [redacted]. Check your key.");
        assertThat(((ApiException) thrown).errorMessage())
                .isEqualTo("Incorrect API key provided: [redacted]. Check your key.");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aKeyCutOffAtTheEndOfTheErrorBodyPrefixIsRemovedToo(Mode mode) {
        String body =
                "x".repeat(64 * 1024 - 20) + KEY + "y".repeat(100_000); // the prefix ends 20 characters into the key
        wm.stubFor(get(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(500)
                        .withHeader("Content-Type", "text/plain")
                        .withBody(body)));

        Throwable thrown;
        try (Mka1Client client = client().build()) {
            thrown = catchThrowable(() -> mode.batches(client).get("batch_1"));
        }

        assertThat(((ApiException) thrown).body()).endsWith("xxx[redacted]").doesNotContain(KEY.substring(0, 8));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aSuccessThatEchoesTheKeyInAHeaderShowsItNowhere(Mode mode) {
        wm.stubFor(get(urlEqualTo(PATH))
                .willReturn(json(200, ResilienceSupport.BATCH_JSON.replace(ResilienceSupport.BATCH_ID, "batch_1"))
                        .withHeader("X-Request-ID", KEY)
                        .withHeader("X-Echo", "Bearer " + KEY)));

        RawResponse<?> raw;
        try (Mka1Client client = client().build()) {
            raw = mode.batches(client)
                    .withOptions(RequestOptions.none())
                    .withRawResponse()
                    .get("batch_1");
        }

        assertThat(List.of(
                        raw.toString(),
                        raw.headers().toString(),
                        raw.requestId(),
                        raw.header("X-Echo").get()))
                .allSatisfy(KeyRedactionTest::holdsNoKey);
        assertThat(raw.requestId()).isEqualTo("[redacted]");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    // The calls' outcomes are not what this test checks: they run for what they leave behind.
    @SuppressWarnings("CheckReturnValue")
    void listenersAndTheDebugLogNeverSeeTheKey(Mode mode) {
        wm.stubFor(get(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(500)
                        .withHeader("X-Request-ID", KEY)
                        .withBody("{\"error\":{\"message\":\"Bearer " + KEY + "\"}}")));
        List<Object> seen = new CopyOnWriteArrayList<>();
        CallListener everything = new CallListener() {
            @Override
            public void callStarted(CallContext call) {
                seen.add(call);
            }

            @Override
            public void attemptEnded(CallContext call, AttemptResult attempt) {
                seen.add(attempt);
                seen.add(attempt.requestId());
                seen.add(attempt.failure());
            }

            @Override
            public void retryScheduled(CallContext call, RetryScheduled retry) {
                seen.add(retry);
                seen.add(retry.failure());
            }

            @Override
            public void callEnded(CallContext call, CallResult result) {
                seen.add(result);
                seen.add(result.failure());
            }
        };

        List<String> texts = new ArrayList<>();
        try (ResilienceSupport.LogCapture logs = new ResilienceSupport.LogCapture();
                Mka1Client client = client().requestOptions(
                                RequestOptions.builder().maxRetries(1).build())
                        .addListener(everything)
                        .build()) {
            catchThrowable(() -> mode.batches(client).get("batch_1"));
            texts.addAll(logs.messages());
        }

        assertThat(texts).hasSize(2); // one debug line per attempt
        assertThat(seen).hasSizeGreaterThan(6);
        for (Object each : seen) {
            texts.addAll(each instanceof Throwable ? textsOf((Throwable) each) : List.of(String.valueOf(each)));
        }
        assertThat(texts).allSatisfy(KeyRedactionTest::holdsNoKey);
    }

    private static Mka1Client.Builder client() {
        return Mka1Client.builder()
                .apiKey(KEY)
                .baseUrl("http://127.0.0.1:" + wm.getPort())
                .sleeper(new FakeTime())
                .requestOptions(RequestOptions.builder().maxRetries(0).build());
    }

    /** The message, toString and whole stack trace (causes and suppressed included). */
    private static List<String> textsOf(Throwable thrown) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        return List.of(String.valueOf(thrown.getMessage()), thrown.toString(), trace.toString());
    }

    private static void holdsNoKey(String text) {
        assertThat(String.valueOf(text))
                .doesNotContain(KEY)
                .doesNotContain(ENCODED)
                .doesNotContain("8Vb3LdT");
    }
}
