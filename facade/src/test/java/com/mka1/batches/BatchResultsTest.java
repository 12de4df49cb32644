package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static com.mka1.batches.TestSupport.BATCHES;
import static com.mka1.batches.TestSupport.fixture;
import static com.mka1.batches.TestSupport.fixtureWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.errors.JsonlFormatException;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.errors.NotFoundException;
import com.mka1.batches.jsonl.BatchResult;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code batches().results(id)}: the output file, then the error file, streamed as typed lines. */
@WireMockTest
class BatchResultsTest {
    private static final String ID = "batch_done";
    private static final String FILES = "/api/v1/llm/files/";

    private Mka1Client client;

    @BeforeEach
    void setUp(WireMockRuntimeInfo wm) {
        client = TestSupport.client(wm);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private static void batch(String status, String outputFileId, String errorFileId) {
        stubFor(get(urlEqualTo(BATCHES + "/" + ID)).willReturn(okJson(fixtureWith("batch-completed.json", json -> {
            json.addProperty("id", ID);
            json.addProperty("status", status);
            json.addProperty("output_file_id", outputFileId);
            json.addProperty("error_file_id", errorFileId);
        }))));
    }

    private static void content(String fileId, String body) {
        stubFor(get(urlEqualTo(FILES + fileId + "/content"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/jsonl")
                        .withBody(body)));
    }

    private static List<String> summary(Iterable<BatchResult> results) {
        List<String> lines = new ArrayList<>();
        for (BatchResult r : results) {
            lines.add(r.customId() + " " + r.statusCode() + " " + (r.isSuccess() ? "ok" : "failed"));
        }
        return lines;
    }

    @Test
    void readsTheOutputFileThenTheErrorFileOneTypedResultPerLine() {
        batch("completed", "file_out", "file_err");
        content("file_out", fixture("batch-output.jsonl"));
        content("file_err", fixture("batch-errors.jsonl"));

        try (BatchResults results = client.llm().batches().results(ID)) {
            assertThat(results.batch().getId()).isEqualTo(ID);
            assertThat(summary(results))
                    .containsExactly(
                            "request-1 200 ok",
                            "request-2 400 failed", // error: null, but the endpoint answered 400
                            "request-3 null failed");
        }
        verify(exactly(1), getRequestedFor(urlEqualTo(FILES + "file_out/content")));
        verify(exactly(1), getRequestedFor(urlEqualTo(FILES + "file_err/content")));
    }

    @Test
    void linesEndingInCrLfAndALastLineWithoutNewlineAreAllRead() {
        batch("completed", "file_out", null);
        String line1 = "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":{\"n\":1}},\"error\":null}";
        String line2 = "{\"custom_id\":\"b\",\"response\":{\"status_code\":200,\"body\":{\"n\":2}},\"error\":null}";
        content("file_out", line1 + "\r\n\r\n" + line2);

        try (BatchResults results = client.llm().batches().results(ID)) {
            assertThat(summary(results)).containsExactly("a 200 ok", "b 200 ok");
        }
    }

    @Test
    void aCancelledBatchGivesThePartialResultsItHas() {
        batch("cancelled", "file_out", null);
        content("file_out", fixture("batch-output.jsonl"));

        try (Stream<BatchResult> results = client.llm().batches().results(ID).stream()) {
            assertThat(results.map(BatchResult::customId).collect(Collectors.toList()))
                    .containsExactly("request-1", "request-2");
        }
    }

    @Test
    void aBatchWithoutFilesHasNoResultsAndFetchesNothing() {
        batch("failed", null, null);

        try (BatchResults results = client.llm().batches().results(ID)) {
            assertThat(results.iterator().hasNext()).isFalse();
        }
        verify(exactly(0), getRequestedFor(urlEqualTo(FILES + "file_out/content")));
    }

    @Test
    void aBatchStillRunningIsRefusedNamingItsStatus() {
        batch("in_progress", null, null);

        assertThatThrownBy(() -> client.llm().batches().results(ID))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("batch " + ID + " is in_progress")
                .hasMessageContaining("waitForCompletion");
    }

    @Test
    void filesAreOpenedOnlyAsIterationReachesThem() {
        batch("completed", "file_out", "file_err");
        content("file_out", fixture("batch-output.jsonl"));
        content("file_err", fixture("batch-errors.jsonl"));

        try (BatchResults results = client.llm().batches().results(ID)) {
            Iterator<BatchResult> it = results.iterator();
            assertThat(it.next().customId()).isEqualTo("request-1");
            verify(exactly(0), getRequestedFor(urlEqualTo(FILES + "file_err/content")));
        }
        verify(exactly(0), getRequestedFor(urlEqualTo(FILES + "file_err/content")));
    }

    /** Closing the results part way through a file releases its connection. */
    @Test
    void closingTheResultsReleasesTheConnectionOfTheFileBeingRead(WireMockRuntimeInfo wm) {
        batch("completed", "file_out", null);
        String line = fixture("batch-output.jsonl").split("\n")[0];
        content("file_out", String.join("\n", java.util.Collections.nCopies(5_000, line)) + "\n");
        okhttp3.ConnectionPool pool = new okhttp3.ConnectionPool();
        try (Mka1Client pooled = TestSupport.clientBuilder(wm)
                .httpClient(
                        new okhttp3.OkHttpClient.Builder().connectionPool(pool).build())
                .build()) {
            BatchResults results = pooled.llm().batches().results(ID);
            Iterator<BatchResult> iterator = results.iterator();
            assertThat(iterator.next().customId()).isEqualTo("request-1");
            assertThat(pool.connectionCount() - pool.idleConnectionCount())
                    .as("connections in use while reading")
                    .isEqualTo(1);

            results.close();

            assertThat(pool.connectionCount() - pool.idleConnectionCount())
                    .as("connections in use after close")
                    .isZero();
            assertThat(iterator.hasNext()).isFalse();
        }
    }

    @Test
    void toStringNamesTheBatchAndItsFiles() {
        batch("completed", "file_out", "file_err");

        try (BatchResults results = client.llm().batches().results(ID)) {
            assertThat(results)
                    .hasToString("BatchResults{batch=" + ID + ", status=completed, outputFileId=file_out,"
                            + " errorFileId=file_err}");
        }
    }

    @Test
    void resultsCanBeIteratedOnceAndNotAfterClose() {
        batch("completed", null, null);
        BatchResults results = client.llm().batches().results(ID);
        Object unused = results.iterator(); // the one iterator allowed
        assertThatThrownBy(results::iterator)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("once");
        BatchResults closed = client.llm().batches().results(ID);
        closed.close();
        assertThatThrownBy(closed::iterator)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aMalformedLineNamesItsLineNumber() {
        batch("completed", "file_out", null);
        content("file_out", fixture("batch-output.jsonl").split("\n")[0] + "\n{not json\n");

        try (BatchResults results = client.llm().batches().results(ID)) {
            Iterator<BatchResult> it = results.iterator();
            it.next();
            assertThatThrownBy(it::hasNext)
                    .isInstanceOfSatisfying(
                            JsonlFormatException.class,
                            e -> assertThat(e.lineNumber()).isEqualTo(2));
        }
    }

    @Test
    void aConnectionBrokenMidFileIsATypedIoFailureNamingTheFile() {
        batch("completed", "file_out", null);
        stubFor(get(urlEqualTo(FILES + "file_out/content"))
                .willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));

        try (BatchResults results = client.llm().batches().results(ID)) {
            assertThatThrownBy(() -> results.iterator().hasNext())
                    .isInstanceOf(Mka1IoException.class)
                    .hasMessageContaining("reading file file_out of batch " + ID + " failed");
        }
    }

    @Test
    void aMissingOutputFileIsTheServersNotFound() {
        batch("completed", "file_gone", null);
        stubFor(get(urlEqualTo(FILES + "file_gone/content"))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"No such file\"}}")));

        try (BatchResults results = client.llm().batches().results(ID)) {
            assertThatThrownBy(() -> results.iterator().hasNext())
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("No such file");
        }
    }

    @Test
    void bodyAsMapsTheResponseBodyToTheCallersType() {
        batch("completed", "file_out", null);
        content("file_out", fixture("batch-output.jsonl"));

        try (BatchResults results = client.llm().batches().results(ID)) {
            Completion completion = results.iterator().next().bodyAs(Completion.class);
            assertThat(completion.id).isEqualTo("chatcmpl-1");
            assertThat(completion.choices.get(0).message.content).isEqualTo("Hello!");
        }
    }

    @Test
    void bodyAsOnABodyOfTheWrongShapeNamesTheResultAndLine() {
        batch("completed", "file_out", null);
        content(
                "file_out",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":{\"choices\":\"none\"}}}\n");

        try (BatchResults results = client.llm().batches().results(ID)) {
            BatchResult result = results.iterator().next();
            assertThatThrownBy(() -> result.bodyAs(Completion.class))
                    .isInstanceOfSatisfying(
                            JsonlFormatException.class,
                            e -> assertThat(e.lineNumber()).isEqualTo(1))
                    .hasMessageContaining("the body of result a is not a Completion")
                    .hasMessageNotContaining("setStrictness")
                    .hasMessageNotContaining("github.com/google/gson");
        }
    }

    @Test
    void asyncResultsCompleteWithTheSameResults() throws Exception {
        batch("completed", "file_out", "file_err");
        content("file_out", fixture("batch-output.jsonl"));
        content("file_err", fixture("batch-errors.jsonl"));

        try (BatchResults results = client.async().llm().batches().results(ID).get(10, TimeUnit.SECONDS)) {
            assertThat(summary(results))
                    .containsExactly("request-1 200 ok", "request-2 400 failed", "request-3 null failed");
        }
    }

    @Test
    void asyncResultsOfARunningBatchFailTheFuture() {
        batch("validating", null, null);

        assertThatThrownBy(() -> client.async().llm().batches().results(ID).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is validating");
    }

    @Test
    void badIdsAreRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> client.llm().batches().results(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batchId must not be blank");
        assertThatThrownBy(() -> client.llm().batches().withOptions(null).results(ID))
                .isInstanceOf(NullPointerException.class);
    }

    /** A file id the server hands back is its data, not the caller's argument: a typed answer, no request with it. */
    @ParameterizedTest(name = "{0} output_file_id [{1}]")
    @MethodSource("unusableFileIds")
    void anUnusableFileIdOfTheBatchIsAnInvalidResponseNamingTheField(Mode mode, String fileId) {
        batch("completed", fileId, null);

        assertThatThrownBy(() -> mode.batches(client).results(ID))
                .isInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("the batch's output_file_id '" + fileId + "' is not a usable file id");
        verify(exactly(0), getRequestedFor(urlMatching(FILES + ".*")));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void anUnusableErrorFileIdIsAnInvalidResponseNamingTheField(Mode mode) {
        batch("completed", "file_out", "a/b");

        assertThatThrownBy(() -> mode.batches(client).results(ID))
                .isInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("the batch's error_file_id 'a/b' is not a usable file id: it contains '/'");
        verify(exactly(0), getRequestedFor(urlMatching(FILES + ".*")));
    }

    static Stream<Arguments> unusableFileIds() {
        return Stream.of(Mode.values())
                .flatMap(mode -> Stream.of("", "..", "   ", ".").map(id -> Arguments.of(mode, id)));
    }

    /** A caller's own type for a chat completion. */
    static final class Completion {
        String id;
        List<Choice> choices;

        static final class Choice {
            Message message;
        }

        static final class Message {
            String content;
        }
    }
}
