package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static com.mka1.batches.TestSupport.API_KEY;
import static com.mka1.batches.TestSupport.BATCHES;
import static com.mka1.batches.TestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.AuthenticationException;
import com.mka1.batches.errors.BadRequestException;
import com.mka1.batches.errors.ConflictException;
import com.mka1.batches.errors.InternalServerException;
import com.mka1.batches.errors.NotFoundException;
import com.mka1.batches.errors.PermissionDeniedException;
import com.mka1.batches.errors.RateLimitException;
import com.mka1.batches.errors.UnexpectedStatusException;
import com.mka1.batches.errors.UnprocessableEntityException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every error status and every error body shape becomes the right typed exception, in both modes. */
@WireMockTest
class ErrorMappingTest {
    private static final String PATH = BATCHES + "/batch_123";

    private Mka1Client client;

    @BeforeEach
    void setUp(WireMockRuntimeInfo wm) {
        client = TestSupport.client(wm);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private static void respond(int status, String contentType, String body) {
        stubFor(get(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", contentType)
                        .withHeader("X-Request-ID", "req_123")
                        .withBody(body)));
    }

    private ApiException getFails(Mode mode) {
        ApiException e = catchThrowableOfType(
                ApiException.class, () -> mode.batches(client).get("batch_123"));
        assertThat(e).as("an ApiException").isNotNull();
        return e;
    }

    static Stream<Arguments> statuses() {
        return Stream.of(Mode.values())
                .flatMap(mode -> statusesAndExceptions().map(a -> Arguments.of(mode, a.get()[0], a.get()[1])));
    }

    private static Stream<Arguments> statusesAndExceptions() {
        return Stream.of(
                Arguments.of(400, BadRequestException.class),
                Arguments.of(401, AuthenticationException.class),
                Arguments.of(403, PermissionDeniedException.class),
                Arguments.of(404, NotFoundException.class),
                Arguments.of(409, ConflictException.class),
                Arguments.of(422, UnprocessableEntityException.class),
                Arguments.of(429, RateLimitException.class),
                Arguments.of(500, InternalServerException.class),
                Arguments.of(502, InternalServerException.class),
                Arguments.of(503, InternalServerException.class),
                Arguments.of(504, InternalServerException.class),
                Arguments.of(405, UnexpectedStatusException.class),
                Arguments.of(418, UnexpectedStatusException.class));
    }

    @ParameterizedTest(name = "{0} HTTP {1} -> {2}")
    @MethodSource("statuses")
    void eachStatusMapsToItsException(Mode mode, int status, Class<? extends ApiException> expected) {
        respond(status, "application/json", fixture("error-openai-style.json"));

        ApiException e = getFails(mode);

        assertThat(e).isExactlyInstanceOf(expected);
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.requestId()).isEqualTo("req_123");
        assertThat(e.headers().get("X-Request-ID")).containsExactly("req_123");
        assertThat(e.header("x-request-id")).contains("req_123");
        assertThat(e.body()).isEqualTo(fixture("error-openai-style.json"));
        assertThat(e.errorMessage()).isEqualTo("No batch found");
        assertThat(e.getMessage()).isEqualTo("HTTP " + status + ": No batch found (request id req_123)");
        assertThat(e.getMessage()).doesNotContain(API_KEY);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void openAiStyleBodyGivesMessageTypeAndCode(Mode mode) {
        respond(404, "application/json", fixture("error-openai-style.json"));

        ApiException e = getFails(mode);

        assertThat(e.errorMessage()).isEqualTo("No batch found");
        assertThat(e.errorType()).isEqualTo("invalid_request_error");
        assertThat(e.errorCode()).isEqualTo("not_found");
        assertThat(e).hasMessage("HTTP 404: No batch found (request id req_123)");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void documentedRateLimitBodyWithAStringError(Mode mode) {
        respond(429, "application/json", fixture("error-rate-limit.json"));

        ApiException e = getFails(mode);

        assertThat(e).isInstanceOf(RateLimitException.class);
        assertThat(e.errorMessage()).isEqualTo("Rate limit exceeded");
        assertThat(e.errorType()).isNull();
        assertThat(e.errorCode()).isNull();
        assertThat(e).hasMessage("HTTP 429: Rate limit exceeded (request id req_123)");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void topLevelMessageBody(Mode mode) {
        respond(503, "application/json", fixture("error-message-only.json"));

        ApiException e = getFails(mode);

        assertThat(e.errorMessage()).isEqualTo("Upstream service unavailable");
        assertThat(e.errorCode()).isNull();
        assertThat(e).hasMessage("HTTP 503: Upstream service unavailable (request id req_123)");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void htmlPageFromAProxyShowsOnlyItsTitleAndContentType(Mode mode) {
        String html = fixture("error-proxy.html");
        respond(502, "text/html", html);

        ApiException e = getFails(mode);

        assertThat(e).isInstanceOf(InternalServerException.class);
        assertThat(e.errorMessage()).isNull();
        assertThat(e).hasMessage("HTTP 502 (text/html): 502 Bad Gateway (request id req_123)");
        assertThat(e.body()).isEqualTo(html);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void emptyBody(Mode mode) {
        respond(500, "application/json", "");

        ApiException e = getFails(mode);

        assertThat(e.body()).isEmpty();
        assertThat(e.errorMessage()).isNull();
        assertThat(e).hasMessage("HTTP 500 (request id req_123)");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void emptyBodyWithoutRequestId(Mode mode) {
        stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(403)));

        ApiException e = getFails(mode);

        assertThat(e).isInstanceOf(PermissionDeniedException.class);
        assertThat(e.requestId()).isNull();
        assertThat(e).hasMessage("HTTP 403");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void shortPlainTextBodyIsTheMessage(Mode mode) {
        respond(401, "text/plain", "Invalid API key\n");

        ApiException e = getFails(mode);

        assertThat(e).isInstanceOf(AuthenticationException.class);
        assertThat(e.errorMessage()).isEqualTo("Invalid API key");
        assertThat(e).hasMessage("HTTP 401: Invalid API key (request id req_123)");
    }

    /** Found by ErrorResponseFuzzTest: a carriage return or an escape sequence went into the message as it was. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aTextBodyWithControlCharactersIsShownWithoutThem(Mode mode) {
        respond(502, "text/plain", "upstream\rreset \u001b[31mnow");

        ApiException e = getFails(mode);

        assertThat(e.errorMessage()).isNull();
        assertThat(e).hasMessage("HTTP 502 (text/plain): upstream reset [31mnow (request id req_123)");
    }

    /**
     * Found while fuzzing error bodies: the tag pattern tried every '<' up to the end of the body, so
     * a megabyte of unclosed '<' took the summary some twenty minutes (160,000 took 33 seconds).
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aHugeBodyOfUnclosedTagsIsSummarisedFromItsStart(Mode mode) {
        respond(502, "text/html", "<title".repeat(100_000) + "<".repeat(1_000_000));

        ApiException e = getFails(mode);

        assertThat(e.getMessage())
                .startsWith("HTTP 502 (text/html): <title<title")
                .contains("…")
                .endsWith("(request id req_123)");
        assertThat(e.body()).hasSize(64 * 1024); // the prefix an error body is read up to
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void invalidJsonBodyStillMapsByStatus(Mode mode) {
        String broken = "{\"error\": {\"message\": \"cut off";
        respond(400, "application/json", broken);

        ApiException e = getFails(mode);

        assertThat(e).isInstanceOf(BadRequestException.class);
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.body()).isEqualTo(broken);
        assertThat(e.errorMessage()).isNull();
        assertThat(e.errorType()).isNull();
        assertThat(e.errorCode()).isNull();
        assertThat(e)
                .hasMessage("HTTP 400 (application/json): {\"error\": {\"message\": \"cut off (request id req_123)");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aLongHtmlPageWithoutTitleIsStrippedCutAndCleanOfCredentials(Mode mode) {
        String page = "<html><body><script>var x = 1;</script><p>Upstream   said:\n Bearer sk-live-123 is bad</p>"
                + "<p>" + "x".repeat(500) + "</p></body></html>";
        respond(503, "text/html; charset=utf-8", page);

        ApiException e = getFails(mode);

        assertThat(e.getMessage())
                .startsWith("HTTP 503 (text/html): Upstream said: Bearer [redacted] is bad x")
                .contains("…")
                .doesNotContain("sk-live", "<p>", "var x", "\n")
                .hasSizeLessThan(200);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void jsonThatIsNotAnObjectMapsByStatus(Mode mode) {
        respond(422, "application/json", "[\"bad\", \"input\"]");

        ApiException e = getFails(mode);

        assertThat(e).isInstanceOf(UnprocessableEntityException.class);
        assertThat(e.body()).isEqualTo("[\"bad\", \"input\"]");
        assertThat(e.errorCode()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void headersAreKeptWithEveryValue(Mode mode) {
        stubFor(get(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("X-Request-ID", "req_123")
                        .withHeader("X-RateLimit-Limit", "60", "1000")
                        .withBody(fixture("error-rate-limit.json"))));

        ApiException e = getFails(mode);

        assertThat(e.headers().get("x-ratelimit-limit")).isEqualTo(List.of("60", "1000"));
        assertThat(e.header("X-RATELIMIT-LIMIT")).contains("60");
        verify(1, getRequestedFor(urlEqualTo(PATH)));
    }

    @org.junit.jupiter.api.Test
    void anExceptionMadeWithoutHeadersOrBodyHasNoneAndSaysOnlyItsStatus() {
        ApiException e = new ApiException(500, null, null, null, null, null);

        assertThat(e).hasMessage("HTTP 500");
        assertThat(e.headers()).isEmpty();
        assertThat(e.body()).isEmpty();
        assertThat(e.requestId()).isNull();
        assertThat(e.retryAfter()).isEmpty();
    }
}
