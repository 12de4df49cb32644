package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.mka1.batches.TestSupport.FILES;
import static com.mka1.batches.TestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.errors.Mka1IoException;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A success body is parsed as it streams from the connection: an invalid one still shows the
 * first 200 characters of the body, wherever the problem lies; a body cut off by the connection
 * is an I/O failure, retried like any, never taken for malformed JSON.
 */
class StreamingParseTest {
    @RegisterExtension
    static final WireMockExtension wm = ResilienceSupport.loopbackWireMock();

    private static final String ID = "file-abc123";
    private static final String PATH = FILES + "/" + ID;
    private static final String FILE_JSON = fixture("file-batch-input.json");

    private final FakeTime sleeper = new FakeTime();

    private static String longName(char c, int length) {
        return String.valueOf(c).repeat(length);
    }

    static Stream<Arguments> invalidBodies() {
        String farProblem = "{\"id\":\"file-1\",\"filename\":\"" + longName('n', 3000) + "\",\"bytes\": oops}";
        String farMissing = "{\"id\":\"file-1\",\"filename\":\"" + longName('m', 3000)
                + "\",\"created_at\":1,\"purpose\":\"batch\"}";
        String wide = "{\"id\":\"file-1\",\"filename\":\"" + longName('é', 400) + "\",\"bytes\":\"many\"}";
        return Stream.of(Mode.values())
                .flatMap(mode -> Stream.of(
                        Arguments.of(
                                mode,
                                "5000 characters of text",
                                longName('x', 5000),
                                "not a valid FileObject: malformed JSON"),
                        Arguments.of(mode, "a syntax error at character 3030", farProblem, "malformed JSON at $.bytes"),
                        Arguments.of(
                                mode,
                                "a missing field noticed at the end",
                                farMissing,
                                "required field 'bytes' of FileObject is missing or null"),
                        Arguments.of(mode, "two-byte characters", wide, "a value of the wrong type at $.bytes"),
                        Arguments.of(
                                mode,
                                "200 characters exactly",
                                "[" + longName('1', 198) + "]",
                                "not a valid FileObject"),
                        Arguments.of(
                                mode, "201 characters", "[" + longName('1', 199) + "]", "not a valid FileObject")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidBodies")
    void anInvalidBodyShowsItsFirst200Characters(Mode mode, String what, String body, String problem) {
        wm.stubFor(get(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json; charset=utf-8")
                        .withBody(body)));

        Throwable thrown;
        try (Mka1Client client = ResilienceSupport.client(wm, sleeper).build()) {
            thrown = catchThrowable(() -> mode.files(client).get(ID));
        }

        assertThat(thrown).isExactlyInstanceOf(InvalidResponseException.class).hasMessageContaining(problem);
        String snippet = body.length() <= 200 ? body : body.substring(0, 200) + "…";
        assertThat(((InvalidResponseException) thrown).bodySnippet()).isEqualTo(snippet);
        assertThat(thrown.getMessage()).endsWith("; body starts: " + snippet);
        assertThat(sleeper.sleeps).as("an invalid body is final").isEmpty();
        wm.verify(1, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlEqualTo(PATH)));
    }

    /** Where the connection ends the body: after its first byte, midway, before the last brace, before its last newline. */
    static Stream<Arguments> cuts() {
        int length = FILE_JSON.length();
        return Stream.of(Mode.values())
                .flatMap(
                        mode -> Stream.of(1, length / 2, length - 2, length - 1).map(cut -> Arguments.of(mode, cut)));
    }

    @ParameterizedTest(name = "{0}: cut after {1} bytes")
    @MethodSource("cuts")
    void aJsonBodyCutByTheConnectionIsRetriedAsAnIoFailure(Mode mode, int cut) throws IOException {
        assertThat(FILE_JSON).endsWith("}\n").doesNotContain("é");
        try (RawHttpServer server = new RawHttpServer()
                        .script(
                                RawHttpServer.jsonCutAfter(FILE_JSON, cut),
                                RawHttpServer.jsonCutAfter(FILE_JSON, FILE_JSON.length()));
                Mka1Client client = ResilienceSupport.client(wm, sleeper)
                        .baseUrl(server.baseUrl())
                        .requestOptions(RequestOptions.builder().maxRetries(1).build())
                        .build()) {

            assertThat(mode.files(client).get(ID).getFilename()).isEqualTo("requests.jsonl");

            assertThat(server.requests()).hasSize(2);
            assertThat(sleeper.sleeps).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}: cut after {1} bytes")
    @MethodSource("cuts")
    void withoutRetriesACutJsonBodyIsAnIoFailureNotAnInvalidResponse(Mode mode, int cut) throws IOException {
        try (RawHttpServer server = new RawHttpServer().script(RawHttpServer.jsonCutAfter(FILE_JSON, cut));
                Mka1Client client = ResilienceSupport.client(wm, sleeper)
                        .baseUrl(server.baseUrl())
                        .requestOptions(RequestOptions.builder().maxRetries(0).build())
                        .build()) {

            Throwable thrown = catchThrowable(() -> mode.files(client).get(ID));

            assertThat(thrown)
                    .isExactlyInstanceOf(Mka1IoException.class)
                    .hasMessageStartingWith("GET " + PATH + " (attempt 1) failed: ")
                    .hasCauseInstanceOf(IOException.class);
            assertThat(thrown.getMessage()).doesNotContain("Invalid response", "malformed");
            assertThat(server.requests()).hasSize(1);
        }
    }
}
