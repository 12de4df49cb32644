package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static com.mka1.batches.TestSupport.BATCHES;
import static com.mka1.batches.TestSupport.FILES;
import static com.mka1.batches.TestSupport.fixtureWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.google.gson.JsonObject;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.FilePurpose;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A success status with a body that is not the documented JSON fails with InvalidResponseException. */
@WireMockTest
class InvalidResponseTest {
    private static final String PATH = BATCHES + "/batch_1";

    private Mka1Client client;

    @BeforeEach
    void setUp(WireMockRuntimeInfo wm) {
        client = TestSupport.client(wm);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private static String completedWith(Consumer<JsonObject> edit) {
        return fixtureWith("batch-completed.json", edit);
    }

    static Stream<Arguments> badBatchBodies() {
        return Stream.of(
                Arguments.of("not JSON", "<html>oops</html>", "not a valid BatchObject"),
                Arguments.of("truncated JSON", "{\"id\": \"batch_1\", \"object\":", "not a valid BatchObject"),
                Arguments.of("a JSON array", "[]", "not a valid BatchObject"),
                Arguments.of("a JSON string", "\"batch_1\"", "not a valid BatchObject"),
                Arguments.of("JSON null", "null", "got null"),
                Arguments.of("an empty body", "", "expected a JSON BatchObject"),
                Arguments.of("a blank body", "  \n", "expected a JSON BatchObject"),
                Arguments.of("trailing data", completedWith(b -> {}) + " {}", "BatchObject"),
                Arguments.of("no id", completedWith(b -> b.remove("id")), "'id'"),
                Arguments.of("a null status", completedWith(b -> b.add("status", null)), "'status'"),
                Arguments.of(
                        "no request_counts.total",
                        completedWith(b -> b.getAsJsonObject("request_counts").remove("total")),
                        "'request_counts.total'"),
                Arguments.of(
                        "created_at \"abc\"", completedWith(b -> b.addProperty("created_at", "abc")), "BatchObject"),
                Arguments.of("created_at 1.5", completedWith(b -> b.addProperty("created_at", 1.5)), "BatchObject"),
                Arguments.of(
                        "request_counts a string",
                        completedWith(b -> b.addProperty("request_counts", "3")),
                        "BatchObject"),
                Arguments.of(
                        "metadata a string",
                        completedWith(b -> b.addProperty("metadata", "evaluation job")),
                        "BatchObject"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBatchBodies")
    void getWithABadBodyThrowsInvalidResponse(String what, String body, String problem) {
        stubFor(get(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));

        Throwable thrown = catchThrowable(() -> client.llm().batches().get("batch_1"));

        assertThat(thrown).isExactlyInstanceOf(InvalidResponseException.class).hasMessageContaining(problem);
        InvalidResponseException e = (InvalidResponseException) thrown;
        assertThat(e.statusCode()).isEqualTo(200);
        assertThat(e.bodySnippet()).isEqualTo(body.length() <= 200 ? body : body.substring(0, 200) + "…");
        assertThat(e.getMessage()).startsWith("Invalid response body (HTTP 200): ");
    }

    @Test
    void anEmptyBodyIsSaidOnce() {
        stubFor(get(urlEqualTo(BATCHES + "/batch_1"))
                .willReturn(aResponse().withStatus(200).withBody("")));

        assertThatThrownBy(() -> client.llm().batches().get("batch_1"))
                .isExactlyInstanceOf(InvalidResponseException.class)
                .hasMessage("Invalid response body (HTTP 200): expected a JSON BatchObject, got an empty body");
    }

    static Stream<Arguments> notBlankBodies() {
        return Stream.of(
                Arguments.of("NUL and backspace characters", "\u0000\u0000\u0000\b"),
                Arguments.of("300 spaces, then {", " ".repeat(300) + "{"),
                Arguments.of("300 spaces, then x", " ".repeat(300) + "x"));
    }

    /**
     * Found by ResponseBodyFuzzTest: control characters (NUL here) are not JSON whitespace, and a
     * body with text after 256 blanks is not blank. Both were said to be "only whitespace".
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("notBlankBodies")
    void aBodyWithMoreThanWhitespaceIsNotCalledBlank(String what, String body) {
        stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody(body)));

        Throwable thrown = catchThrowable(() -> client.llm().batches().get("batch_1"));

        assertThat(thrown)
                .isExactlyInstanceOf(InvalidResponseException.class)
                .hasMessageStartingWith("Invalid response body (HTTP 200): not a valid BatchObject: ")
                .hasMessageNotContaining("whitespace");
    }

    @Test
    void theSnippetOfALongBodyIsCut() {
        String body = "x".repeat(5000);
        stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(201).withBody(body)));

        Throwable thrown = catchThrowable(() -> client.llm().batches().get("batch_1"));

        assertThat(thrown).isInstanceOf(InvalidResponseException.class);
        InvalidResponseException e = (InvalidResponseException) thrown;
        assertThat(e.statusCode()).isEqualTo(201);
        assertThat(e.bodySnippet()).hasSize(201).startsWith("xxx");
        assertThat(e.getMessage()).doesNotContain("x".repeat(201));
    }

    @Test
    void aListItemMissingARequiredFieldIsNamedWithItsIndex() {
        String body = fixtureWith(
                "list-page-1.json",
                page -> page.getAsJsonArray("data").get(1).getAsJsonObject().remove("id"));
        stubFor(get(urlPathEqualTo(BATCHES))
                .willReturn(aResponse().withStatus(200).withBody(body)));

        Throwable thrown = catchThrowable(() -> client.llm().batches().list(ListBatchesParams.none()));

        assertThat(thrown).isInstanceOf(InvalidResponseException.class).hasMessageContaining("'data[1].id'");
    }

    /** Found by ResponseBodyFuzzTest: a null item used to reach the caller as a null BatchObject. */
    @Test
    void aNullListItemIsInvalid() {
        String body = fixtureWith(
                "list-page-1.json", page -> page.getAsJsonArray("data").add((JsonObject) null));
        stubFor(get(urlPathEqualTo(BATCHES))
                .willReturn(aResponse().withStatus(200).withBody(body)));

        Throwable thrown = catchThrowable(() -> client.llm().batches().list(ListBatchesParams.none()));

        assertThat(thrown)
                .isInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("required field 'data[2]' of ListBatchesResponse is missing or null");
    }

    @Test
    void aListWithoutHasMoreIsInvalid() {
        String body = fixtureWith("list-page-1.json", page -> page.remove("has_more"));
        stubFor(get(urlPathEqualTo(BATCHES))
                .willReturn(aResponse().withStatus(200).withBody(body)));

        Throwable thrown = catchThrowable(() -> client.llm().batches().list(ListBatchesParams.none()));

        assertThat(thrown).isInstanceOf(InvalidResponseException.class).hasMessageContaining("'has_more'");
    }

    @Test
    void aListWhoseDataIsNotAnArrayIsInvalid() {
        String body = fixtureWith("list-page-1.json", page -> page.add("data", new JsonObject()));
        stubFor(get(urlPathEqualTo(BATCHES))
                .willReturn(aResponse().withStatus(200).withBody(body)));

        Throwable thrown = catchThrowable(() -> client.llm().batches().list(ListBatchesParams.none()));

        assertThat(thrown).isInstanceOf(InvalidResponseException.class);
    }

    /** What Gson appends to its own messages; a user of this client must never see it. */
    private static final String[] GSON_ADVICE = {
        "setStrictness", "LENIENT", "github.com/google/gson", "Troubleshooting", "at line 1 column"
    };

    static Stream<Arguments> badBodiesInBothModes() {
        return Stream.of(Mode.values())
                .flatMap(mode -> badBatchBodies().map(a -> Arguments.of(mode, a.get()[0], a.get()[1])));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badBodiesInBothModes")
    void theMessageIsInOurWordsWithoutGsonsAdvice(Mode mode, String what, String body) {
        stubFor(get(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));

        Throwable thrown = catchThrowable(() -> mode.batches(client).get("batch_1"));

        assertThat(thrown).isExactlyInstanceOf(InvalidResponseException.class);
        assertThat(thrown.getMessage()).doesNotContain(GSON_ADVICE);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Mode.class)
    void malformedJsonIsNamedWithItsPath(Mode mode) {
        stubFor(get(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\": batch_1}")));

        Throwable thrown = catchThrowable(() -> mode.batches(client).get("batch_1"));

        assertThat(thrown)
                .isExactlyInstanceOf(InvalidResponseException.class)
                .hasMessage("Invalid response body (HTTP 200): not a valid BatchObject: malformed JSON at $.id;"
                        + " body starts: {\"id\": batch_1}");
    }

    static Stream<Arguments> unusableIdsInBothModes() {
        String control = "file" + (char) 1 + "x";
        return Stream.of(Mode.values())
                .flatMap(mode -> Stream.of(
                        Arguments.of(mode, "", "it is blank"),
                        Arguments.of(mode, "   ", "it is blank"),
                        Arguments.of(mode, "..", "it is '.' or '..'"),
                        Arguments.of(mode, "x/../y", "it contains '/'"),
                        Arguments.of(mode, control, "it contains a control character (code point 1 at index 4)"),
                        Arguments.of(mode, "f".repeat(300), "it is 300 characters long, more than 256")));
    }

    /** What a create answers is what the caller goes on with: an id that is no id is the server's fault, told at once. */
    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("unusableIdsInBothModes")
    void aCreateAnsweringAnUnusableIdIsAnInvalidResponseNamingTheField(Mode mode, String id, String problem) {
        stubFor(post(urlEqualTo(BATCHES)).willReturn(okJson(completedWith(b -> b.addProperty("id", id)))));

        assertThatThrownBy(() -> mode.batches(client)
                        .create(CreateBatchParams.builder()
                                .inputFileId("file_abc123")
                                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                                .build()))
                .isExactlyInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("the created batch's id '")
                .hasMessageContaining("is not a usable batch id: " + problem);
        verify(1, postRequestedFor(urlEqualTo(BATCHES)));
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("unusableIdsInBothModes")
    void anUploadAnsweringAnUnusableIdIsAnInvalidResponseNamingTheField(Mode mode, String id, String problem) {
        stubFor(post(urlEqualTo(FILES))
                .willReturn(okJson(fixtureWith("file-batch-input.json", f -> f.addProperty("id", id)))));

        assertThatThrownBy(() -> mode.files(client)
                        .upload("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "in.jsonl", FilePurpose.BATCH))
                .isExactlyInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("the uploaded file's id '")
                .hasMessageContaining("is not a usable file id: " + problem);
        verify(1, postRequestedFor(urlEqualTo(FILES)));
    }
}
