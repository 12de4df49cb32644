package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.findAll;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static com.mka1.batches.TestSupport.API_KEY;
import static com.mka1.batches.TestSupport.FILES;
import static com.mka1.batches.TestSupport.fixture;
import static com.mka1.batches.TestSupport.fixtureWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.BadRequestException;
import com.mka1.batches.errors.InternalServerException;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.errors.NotFoundException;
import com.mka1.batches.errors.PermissionDeniedException;
import com.mka1.batches.models.DeleteFileResponse;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import com.mka1.batches.models.ListFilesResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Each file operation's request on the wire, and the value or exception it gives back, in both modes. */
@WireMockTest
class FileServiceTest {
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final String ID = "file-abc123";
    private static final byte[] JSONL = ("{\"custom_id\":\"r1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\"}\n"
                    + "{\"custom_id\":\"r2\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\"}\n")
            .getBytes(StandardCharsets.UTF_8);

    private Mka1Client client;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp(WireMockRuntimeInfo wm) {
        client = TestSupport.client(wm);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private static void uploadAnswers(String body) {
        stubFor(post(urlEqualTo(FILES)).willReturn(okJson(body)));
    }

    private static LoggedRequest onlyUpload() {
        List<LoggedRequest> sent = findAll(postRequestedFor(urlEqualTo(FILES)));
        assertThat(sent).hasSize(1);
        return sent.get(0);
    }

    private static List<MultipartParts.Part> parts(LoggedRequest request) {
        return MultipartParts.parse(request.getHeader("Content-Type"), request.getBody());
    }

    /** The two parts the spec asks for, in order: the file with its name and type, then the purpose. */
    private static void assertUploaded(
            LoggedRequest request, byte[] content, String filename, String contentType, String purpose) {
        assertThat(request.getHeader("Content-Type")).startsWith("multipart/form-data; boundary=");
        List<MultipartParts.Part> parts = parts(request);
        assertThat(parts).hasSize(2);
        MultipartParts.Part file = parts.get(0);
        assertThat(file.header("Content-Disposition"))
                .isEqualTo("form-data; name=\"file\"; filename=\"" + filename + "\"");
        assertThat(file.header("Content-Type")).isEqualTo(contentType);
        assertThat(file.body).isEqualTo(content);
        MultipartParts.Part purposePart = parts.get(1);
        assertThat(purposePart.header("Content-Disposition")).isEqualTo("form-data; name=\"purpose\"");
        assertThat(purposePart.header("Content-Type")).startsWith("text/plain");
        assertThat(purposePart.text()).isEqualTo(purpose);
    }

    // upload

    @ParameterizedTest
    @EnumSource(Mode.class)
    void uploadFromAPathSendsTheFileAndPurposeAsMultipartWithAuthOnBehalfOfAndAnIdempotencyKey(Mode mode)
            throws IOException {
        Path file = Files.write(dir.resolve("requests.jsonl"), JSONL);
        uploadAnswers(fixture("file-batch-input.json"));

        FileObject uploaded = mode.files(client)
                .withOptions(RequestOptions.builder().onBehalfOf("user_42").build())
                .upload(file, FilePurpose.BATCH);

        verify(postRequestedFor(urlEqualTo(FILES))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .withHeader("X-On-Behalf-Of", equalTo("user_42"))
                .withHeader("Idempotency-Key", matching(UUID_PATTERN))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("User-Agent", matching("mka1-batches-java/.*")));
        assertUploaded(onlyUpload(), JSONL, "requests.jsonl", "application/jsonl", "batch");
        assertThat(uploaded.getId()).isEqualTo(ID);
        assertThat(uploaded.getObject()).isEqualTo("file");
        assertThat(uploaded.getBytes()).isEqualTo(125000L);
        assertThat(uploaded.getCreatedAt()).isEqualTo(1704067200L);
        assertThat(uploaded.getExpiresAt()).isNull();
        assertThat(uploaded.getFilename()).isEqualTo("requests.jsonl");
        assertThat(uploaded.getPurpose()).isEqualTo(FilePurpose.BATCH);
        assertThat(uploaded.getStatus()).isEqualTo(FileObject.StatusEnum.PROCESSED);
        assertThat(file).hasBinaryContent(JSONL);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void uploadOfBytesSendsThemUnderTheGivenNameWithThePurposesWireValue(Mode mode) {
        uploadAnswers(fixture("file-batch-input.json"));

        mode.files(client).upload(JSONL, "tuning.json", FilePurpose.FINE_TUNE);

        verify(postRequestedFor(urlEqualTo(FILES))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .withHeader("X-On-Behalf-Of", absent())
                .withHeader("Idempotency-Key", matching(UUID_PATTERN)));
        assertUploaded(onlyUpload(), JSONL, "tuning.json", "application/json", "fine-tune");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void uploadOfAStreamSendsAllOfItAndLeavesItOpen(Mode mode) {
        byte[] content = new byte[300_000]; // several buffers' worth
        new Random(7).nextBytes(content);
        TrackedStream stream = new TrackedStream(content);
        uploadAnswers(fixture("file-batch-input.json"));

        mode.files(client)
                .withOptions(RequestOptions.builder().idempotencyKey("upload-7").build())
                .upload(stream, "images.bin", FilePurpose.VISION);

        verify(postRequestedFor(urlEqualTo(FILES)).withHeader("Idempotency-Key", equalTo("upload-7")));
        assertUploaded(onlyUpload(), content, "images.bin", "application/octet-stream", "vision");
        assertThat(stream.available()).as("read to its end").isZero();
        assertThat(stream.closed).as("the caller's stream is left open").isFalse();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aFileNameOutsideAsciiIsSentAsUtf8AndQuotesAreEscaped(Mode mode) {
        uploadAnswers(fixture("file-batch-input.json"));

        mode.files(client).upload("notes".getBytes(StandardCharsets.UTF_8), "résumé \"v2\".txt", FilePurpose.USER_DATA);

        MultipartParts.Part file = parts(onlyUpload()).get(0);
        assertThat(file.header("Content-Disposition"))
                .isEqualTo("form-data; name=\"file\"; filename=\"résumé %22v2%22.txt\"");
        assertThat(file.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void eachUploadHasItsOwnIdempotencyKeyAndARawUploadGivesStatusAndRequestId(Mode mode) {
        stubFor(post(urlEqualTo(FILES))
                .willReturn(okJson(fixture("file-batch-input.json")).withHeader("X-Request-ID", "req_up")));

        mode.files(client).upload(JSONL, "a.jsonl", FilePurpose.BATCH);
        RawResponse<FileObject> raw = mode.files(client).withRawResponse().upload(JSONL, "b.jsonl", FilePurpose.BATCH);

        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.requestId()).isEqualTo("req_up");
        assertThat(raw.value().getId()).isEqualTo(ID);
        List<LoggedRequest> sent = findAll(postRequestedFor(urlEqualTo(FILES)));
        assertThat(sent)
                .extracting(r -> r.getHeader("Idempotency-Key"))
                .doesNotHaveDuplicates()
                .hasSize(2);
    }

    /** A stream that records whether it was closed. */
    private static final class TrackedStream extends ByteArrayInputStream {
        volatile boolean closed;

        TrackedStream(byte[] content) {
            super(content);
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }
    }

    // get, delete

    @ParameterizedTest
    @EnumSource(Mode.class)
    void getSendsGetToTheFilePathAndParsesEveryField(Mode mode) {
        stubFor(get(urlEqualTo(FILES + "/" + ID)).willReturn(okJson(fixture("file-batch-input.json"))));

        FileObject file = mode.files(client).get(ID);

        verify(getRequestedFor(urlEqualTo(FILES + "/" + ID))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("Idempotency-Key", absent()));
        assertThat(file.getId()).isEqualTo(ID);
        assertThat(file.getBytes()).isEqualTo(125000L);
        assertThat(file.getFilename()).isEqualTo("requests.jsonl");
        assertThat(file.getPurpose()).isEqualTo(FilePurpose.BATCH);
        assertThat(file.getStatusDetails()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aMinimalFileWithASizeBeyondIntParses(Mode mode) {
        stubFor(get(urlEqualTo(FILES + "/file_out789")).willReturn(okJson(fixture("file-minimal.json"))));

        FileObject file = mode.files(client)
                .withOptions(RequestOptions.builder().onBehalfOf("user_1").build())
                .get("file_out789");

        verify(getRequestedFor(urlEqualTo(FILES + "/file_out789")).withHeader("X-On-Behalf-Of", equalTo("user_1")));
        assertThat(file.getBytes()).isEqualTo(5_000_000_000L);
        assertThat(file.getObject()).as("the spec's default").isEqualTo("file");
        assertThat(file.getStatus()).isNull();
        assertThat(file.getExpiresAt()).isNull();
    }

    /** Every overload of upload, plain or raw, blocking or not, with options or without, returns the stored file. */
    @org.junit.jupiter.api.Test
    void everyUploadOverloadReturnsTheStoredFile() throws Exception {
        uploadAnswers(fixture("file-batch-input.json"));
        byte[] content = "{\"custom_id\":\"a\"}\n".getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("input.jsonl"), content);
        RequestOptions options = RequestOptions.builder().onBehalfOf("user_u").build();
        FilePurpose batch = FilePurpose.BATCH;
        FileService files = client.llm().files();
        FileService.WithRawResponse raw = files.withRawResponse();
        AsyncFileService async = client.async().llm().files();
        AsyncFileService.WithRawResponse asyncRaw = async.withRawResponse();

        List<FileObject> stored = List.of(
                files.upload(file, batch),
                files.withOptions(options).upload(file, batch),
                files.upload(content, "in.jsonl", batch),
                files.withOptions(options).upload(content, "in.jsonl", batch),
                files.upload(new ByteArrayInputStream(content), "in.jsonl", batch),
                files.withOptions(options).upload(new ByteArrayInputStream(content), "in.jsonl", batch),
                raw.upload(file, batch).value(),
                files.withOptions(options).withRawResponse().upload(file, batch).value(),
                raw.upload(content, "in.jsonl", batch).value(),
                files.withOptions(options)
                        .withRawResponse()
                        .upload(content, "in.jsonl", batch)
                        .value(),
                raw.upload(new ByteArrayInputStream(content), "in.jsonl", batch).value(),
                files.withOptions(options)
                        .withRawResponse()
                        .upload(new ByteArrayInputStream(content), "in.jsonl", batch)
                        .value(),
                async.upload(file, batch).get(),
                async.withOptions(options).upload(file, batch).get(),
                async.upload(content, "in.jsonl", batch).get(),
                async.withOptions(options).upload(content, "in.jsonl", batch).get(),
                async.upload(new ByteArrayInputStream(content), "in.jsonl", batch)
                        .get(),
                async.withOptions(options)
                        .upload(new ByteArrayInputStream(content), "in.jsonl", batch)
                        .get(),
                asyncRaw.upload(file, batch).get().value(),
                async.withOptions(options)
                        .withRawResponse()
                        .upload(file, batch)
                        .get()
                        .value(),
                asyncRaw.upload(content, "in.jsonl", batch).get().value(),
                async.withOptions(options)
                        .withRawResponse()
                        .upload(content, "in.jsonl", batch)
                        .get()
                        .value(),
                asyncRaw.upload(new ByteArrayInputStream(content), "in.jsonl", batch)
                        .get()
                        .value(),
                async.withOptions(options)
                        .withRawResponse()
                        .upload(new ByteArrayInputStream(content), "in.jsonl", batch)
                        .get()
                        .value());

        assertThat(stored).extracting(FileObject::getId).containsOnly(ID).hasSize(24);
        verify(exactly(12), postRequestedFor(urlEqualTo(FILES)).withHeader("X-On-Behalf-Of", equalTo("user_u")));
        verify(exactly(12), postRequestedFor(urlEqualTo(FILES)).withHeader("X-On-Behalf-Of", absent()));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void deleteWithOptionsSendsThemAndReturnsTheConfirmation(Mode mode) {
        stubFor(delete(urlEqualTo(FILES + "/" + ID)).willReturn(okJson(fixture("deleted-file.json"))));

        DeleteFileResponse deleted = mode.files(client)
                .withOptions(RequestOptions.builder().onBehalfOf("user_d").build())
                .delete(ID);

        assertThat(deleted.getId()).isEqualTo(ID);
        assertThat(deleted.getDeleted()).isTrue();
        verify(
                exactly(1),
                deleteRequestedFor(urlEqualTo(FILES + "/" + ID)).withHeader("X-On-Behalf-Of", equalTo("user_d")));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void deleteSendsDeleteAndParsesTheConfirmation(Mode mode) {
        stubFor(delete(urlEqualTo(FILES + "/" + ID))
                .willReturn(okJson(fixture("deleted-file.json")).withHeader("X-Request-ID", "req_del")));

        DeleteFileResponse deleted = mode.files(client).delete(ID);
        RawResponse<DeleteFileResponse> raw =
                mode.files(client).withRawResponse().delete(ID);

        verify(
                exactly(2),
                deleteRequestedFor(urlEqualTo(FILES + "/" + ID))
                        .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                        .withHeader("Idempotency-Key", absent()));
        assertThat(deleted.getId()).isEqualTo(ID);
        assertThat(deleted.getObject()).isEqualTo("file");
        assertThat(deleted.getDeleted()).isTrue();
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.requestId()).isEqualTo("req_del");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aFileIdIsOnePathSegment(Mode mode) throws IOException {
        stubFor(get(urlEqualTo(FILES + "/file%2F..%2Fx")).willReturn(okJson(fixture("file-batch-input.json"))));
        stubFor(delete(urlEqualTo(FILES + "/file%2F..%2Fx")).willReturn(okJson(fixture("deleted-file.json"))));
        stubFor(get(urlEqualTo(FILES + "/file%2F..%2Fx/content"))
                .willReturn(aResponse().withBody(JSONL)));

        mode.files(client).get("file/../x");
        mode.files(client).delete("file/../x");
        mode.files(client).content("file/../x").close();

        verify(exactly(1), getRequestedFor(urlEqualTo(FILES + "/file%2F..%2Fx")));
        verify(exactly(1), deleteRequestedFor(urlEqualTo(FILES + "/file%2F..%2Fx")));
        verify(exactly(1), getRequestedFor(urlEqualTo(FILES + "/file%2F..%2Fx/content")));
    }

    // list

    @ParameterizedTest
    @EnumSource(Mode.class)
    void listWithoutParamsSendsNoQueryAndParsesThePage(Mode mode) {
        stubFor(get(urlPathEqualTo(FILES)).willReturn(okJson(fixture("files-page-1.json"))));

        Page<FileObject, ListFilesParams> page = mode.files(client).list(ListFilesParams.none());

        verify(
                exactly(1),
                getRequestedFor(urlEqualTo(FILES)).withHeader("Authorization", equalTo("Bearer " + API_KEY)));
        assertThat(page.data()).extracting(FileObject::getId).containsExactly("file-p1a", "file-p1b");
        assertThat(page.data().get(1).getPurpose()).isEqualTo(FilePurpose.ASSISTANTS);
        assertThat(page.data().get(1).getExpiresAt()).isEqualTo(1706659200L);
        assertThat(page.hasNextPage()).isTrue();
        assertThat(page.firstId()).isEqualTo("file-p1a");
        assertThat(page.lastId()).isEqualTo("file-p1b");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void listSendsEveryParamAsItsQueryValue(Mode mode) {
        stubFor(get(urlPathEqualTo(FILES)).willReturn(okJson(fixture("files-page-2.json"))));

        Page<FileObject, ListFilesParams> page = mode.files(client)
                .list(ListFilesParams.builder()
                        .after("file-p1b")
                        .limit(50)
                        .order(ListFilesParams.Order.ASC)
                        .purpose(FilePurpose.FINE_TUNE)
                        .build());
        mode.files(client)
                .list(ListFilesParams.builder()
                        .order(ListFilesParams.Order.DESC)
                        .purpose(FilePurpose.EVALS)
                        .build());

        verify(exactly(1), getRequestedFor(urlEqualTo(FILES + "?after=file-p1b&limit=50&order=asc&purpose=fine-tune")));
        verify(exactly(1), getRequestedFor(urlEqualTo(FILES + "?order=desc&purpose=evals")));
        assertThat(page.data()).extracting(FileObject::getPurpose).containsExactly(FilePurpose.EVALS);
        assertThat(page.hasNextPage()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void rawListAndRawGetCarryStatusHeadersAndTheValue(Mode mode) {
        stubFor(get(urlPathEqualTo(FILES))
                .willReturn(okJson(fixture("files-page-1.json")).withHeader("X-Request-ID", "req_l")));
        stubFor(get(urlEqualTo(FILES + "/" + ID))
                .willReturn(
                        okJson(fixture("file-batch-input.json")).withStatus(203).withHeader("X-Request-ID", "req_g")));

        RawResponse<ListFilesResponse> listed = mode.files(client)
                .withRawResponse()
                .list(ListFilesParams.builder().limit(2).build());
        RawResponse<FileObject> got = mode.files(client).withRawResponse().get(ID);

        verify(exactly(1), getRequestedFor(urlEqualTo(FILES + "?limit=2")));
        assertThat(listed.requestId()).isEqualTo("req_l");
        assertThat(listed.value().getData()).extracting(FileObject::getId).containsExactly("file-p1a", "file-p1b");
        assertThat(got.statusCode()).isEqualTo(203);
        assertThat(got.requestId()).isEqualTo("req_g");
        assertThat(got.value().getFilename()).isEqualTo("requests.jsonl");
    }

    // errors

    /** Each operation, its request, and the call through the mode. */
    // Test cases as constants; their functions hold no state.
    @SuppressWarnings("ImmutableEnumChecker")
    enum Op {
        UPLOAD(() -> post(urlEqualTo(FILES)), f -> f.upload(JSONL, "a.jsonl", FilePurpose.BATCH)),
        GET(() -> get(urlEqualTo(FILES + "/" + ID)), f -> f.get(ID)),
        DELETE(() -> delete(urlEqualTo(FILES + "/" + ID)), f -> f.delete(ID)),
        LIST(() -> get(urlPathEqualTo(FILES)), f -> f.list(ListFilesParams.none())),
        CONTENT(() -> get(urlEqualTo(FILES + "/" + ID + "/content")), f -> f.content(ID));

        final java.util.function.Supplier<com.github.tomakehurst.wiremock.client.MappingBuilder> request;
        final Function<Mode.Files, Object> call;

        Op(
                java.util.function.Supplier<com.github.tomakehurst.wiremock.client.MappingBuilder> request,
                Function<Mode.Files, Object> call) {
            this.request = request;
            this.call = call;
        }
    }

    static Stream<Arguments> errorStatuses() {
        return Stream.of(Mode.values())
                .flatMap(mode -> Stream.of(Op.values())
                        .flatMap(op -> Stream.of(
                                Arguments.of(mode, op, 400, BadRequestException.class),
                                Arguments.of(mode, op, 403, PermissionDeniedException.class),
                                Arguments.of(mode, op, 404, NotFoundException.class),
                                Arguments.of(mode, op, 503, InternalServerException.class))));
    }

    @ParameterizedTest(name = "{0} {1}: HTTP {2} -> {3}")
    @MethodSource("errorStatuses")
    void anErrorStatusIsItsTypedExceptionWithTheServersMessage(
            Mode mode, Op op, int status, Class<? extends ApiException> expected) {
        stubFor(op.request
                .get()
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("X-Request-ID", "req_e")
                        .withBody("{\"error\":{\"message\":\"No file found\",\"code\":\"not_found\"}}")));

        Throwable thrown = catchThrowable(() -> op.call.apply(mode.files(client)));

        assertThat(thrown)
                .isExactlyInstanceOf(expected)
                .hasMessage("HTTP " + status + ": No file found (request id req_e)");
        assertThat(((ApiException) thrown).errorCode()).isEqualTo("not_found");
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(Mode.values())
                .flatMap(mode -> Stream.of(
                        Arguments.of(
                                mode,
                                Op.GET,
                                "{\"id\": file-1}",
                                "Invalid response body (HTTP 200): not a valid FileObject: malformed JSON at $.id;"
                                        + " body starts: {\"id\": file-1}"),
                        Arguments.of(
                                mode,
                                Op.GET,
                                fixtureWith("file-batch-input.json", f -> f.remove("bytes")),
                                "required field 'bytes' of FileObject is missing or null"),
                        Arguments.of(
                                mode,
                                Op.UPLOAD,
                                "<html>Request Entity Too Large</html>",
                                "Invalid response body (HTTP 200): not a valid FileObject: malformed JSON"),
                        Arguments.of(
                                mode, Op.DELETE, "{}", "required field 'id' of DeleteFileResponse is missing or null"),
                        Arguments.of(
                                mode,
                                Op.LIST,
                                fixtureWith(
                                        "files-page-1.json",
                                        p -> p.getAsJsonArray("data")
                                                .get(1)
                                                .getAsJsonObject()
                                                .remove("filename")),
                                "required field 'data[1].filename' of ListFilesResponse is missing or null"),
                        Arguments.of(
                                mode,
                                Op.LIST,
                                "",
                                "Invalid response body (HTTP 200): expected a JSON ListFilesResponse,"
                                        + " got an empty body")));
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("badBodies")
    void aSuccessWithABodyThatIsNotTheDocumentedJsonIsAnInvalidResponseInPlainWords(
            Mode mode, Op op, String body, String message) {
        stubFor(op.request
                .get()
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));

        Throwable thrown = catchThrowable(() -> op.call.apply(mode.files(client)));

        assertThat(thrown).isExactlyInstanceOf(InvalidResponseException.class).hasMessageContaining(message);
        assertThat(thrown.getMessage())
                .doesNotContain("setStrictness", "LENIENT", "gson", "Troubleshooting", "line 1 column");
        assertThat(((InvalidResponseException) thrown).bodySnippet())
                .isEqualTo(body.length() <= 200 ? body : body.substring(0, 200) + "…");
    }

    // content

    @ParameterizedTest
    @EnumSource(Mode.class)
    void contentStreamsTheBytesWithTheServersTypeAndLength(Mode mode) throws IOException {
        byte[] content = new byte[200_000];
        new Random(11).nextBytes(content);
        try (RawHttpServer server = new RawHttpServer().script(RawHttpServer.whole(content));
                Mka1Client raw = Mka1Client.builder()
                        .apiKey(API_KEY)
                        .baseUrl(server.baseUrl())
                        .requestOptions(RequestOptions.builder().maxRetries(0).build())
                        .build()) {
            try (FileContent file = mode.files(raw)
                    .withOptions(RequestOptions.builder().onBehalfOf("user_c").build())
                    .content(ID)) {
                assertThat(file.contentType()).contains("application/jsonl");
                assertThat(file.contentLength()).hasValue(content.length);
                assertThat(file.inputStream().readAllBytes()).isEqualTo(content);
            }
            RawHttpServer.Recorded sent = server.requests().get(0);
            assertThat(server.requests()).hasSize(1);
            assertThat(sent.method + " " + sent.target).isEqualTo("GET " + FILES + "/" + ID + "/content");
            assertThat(sent.header("Authorization")).isEqualTo("Bearer " + API_KEY);
            assertThat(sent.header("X-On-Behalf-Of")).isEqualTo("user_c");
            assertThat(sent.header("Accept")).isEqualTo("*/*");
            assertThat(sent.header("Range")).isNull();
        }
    }

    /** The length of a compressed body is not the file's: the stream gives the file, its length is unknown. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aCompressedBodyIsStreamedUncompressedWithoutALength(Mode mode) throws IOException {
        byte[] content = new byte[100_000];
        new Random(12).nextBytes(content);
        java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(gzipped)) {
            gzip.write(content);
        }
        stubFor(get(urlEqualTo(FILES + "/" + ID + "/content"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/octet-stream")
                        .withHeader("Content-Encoding", "gzip")
                        .withHeader("Content-Length", String.valueOf(gzipped.size()))
                        .withBody(gzipped.toByteArray())));

        try (FileContent file = mode.files(client).content(ID)) {
            assertThat(file.contentType()).contains("application/octet-stream");
            assertThat(file.contentLength()).isEmpty();
            assertThat(file.inputStream().readAllBytes()).isEqualTo(content);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anEmptyFileHasTheLength0AndReadsAsText(Mode mode) throws IOException {
        stubFor(get(urlEqualTo(FILES + "/" + ID + "/content"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/jsonl")
                        .withHeader("Content-Length", "0")));

        try (FileContent file = mode.files(client).content(ID)) {
            assertThat(file.contentLength()).hasValue(0);
            assertThat(file.inputStream().readAllBytes()).isEmpty();
            assertThat(file).hasToString("FileContent{contentType=application/jsonl, contentLength=0}");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aFileOfUnknownTypeAndLengthReadsAsText(Mode mode) throws IOException {
        byte[] content = "{}\n".getBytes(StandardCharsets.UTF_8);
        try (RawHttpServer server = new RawHttpServer().script(exchange -> {
                    exchange.head(200, "Transfer-Encoding", "chunked");
                    exchange.raw("3\r\n");
                    exchange.body(content, 0, 3);
                    exchange.raw("\r\n0\r\n\r\n");
                    exchange.end();
                });
                Mka1Client raw = Mka1Client.builder()
                        .apiKey(API_KEY)
                        .baseUrl(server.baseUrl())
                        .requestOptions(RequestOptions.builder().maxRetries(0).build())
                        .build();
                FileContent file = mode.files(raw).content(ID)) {
            assertThat(file).hasToString("FileContent{contentType=none, contentLength=unknown}");
            assertThat(file.inputStream().readAllBytes()).isEqualTo(content);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void rawContentCarriesStatusAndHeaders(Mode mode) throws IOException {
        stubFor(get(urlEqualTo(FILES + "/" + ID + "/content"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/jsonl")
                        .withHeader("X-Request-ID", "req_c")
                        .withBody(JSONL)));

        RawResponse<FileContent> raw = mode.files(client).withRawResponse().content(ID);
        try (FileContent file = raw.value()) {
            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(raw.requestId()).isEqualTo("req_c");
            assertThat(file.contentType()).contains("application/jsonl");
            assertThat(file.inputStream().readAllBytes()).isEqualTo(JSONL);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void closingTheContentReleasesTheConnectionAndEndsTheStream(Mode mode, WireMockRuntimeInfo wm) throws IOException {
        stubFor(get(urlEqualTo(FILES + "/" + ID + "/content"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/jsonl")
                        .withBody(JSONL)));
        ConnectionPool pool = new ConnectionPool();
        try (Mka1Client pooled = TestSupport.clientBuilder(wm)
                .httpClient(new OkHttpClient.Builder().connectionPool(pool).build())
                .build()) {
            FileContent file = mode.files(pooled).content(ID);
            InputStream in = file.inputStream();
            assertThat(in.read()).isEqualTo(JSONL[0]);
            assertThat(pool.connectionCount() - pool.idleConnectionCount())
                    .as("connections in use while open")
                    .isEqualTo(1);

            file.close();
            file.close();

            assertThat(pool.connectionCount() - pool.idleConnectionCount())
                    .as("connections in use after close")
                    .isZero();
            assertThatThrownBy(in::read).isInstanceOf(IOException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void contentOfAMissingFileIsNotFoundAndHoldsNoConnection(Mode mode, WireMockRuntimeInfo wm) {
        stubFor(get(urlEqualTo(FILES + "/" + ID + "/content"))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withBody("{\"error\":{\"message\":\"No file found with id file-abc123\"}}")));
        ConnectionPool pool = new ConnectionPool();
        try (Mka1Client pooled = TestSupport.clientBuilder(wm)
                .httpClient(new OkHttpClient.Builder().connectionPool(pool).build())
                .build()) {
            assertThatThrownBy(() -> mode.files(pooled).content(ID))
                    .isExactlyInstanceOf(NotFoundException.class)
                    .hasMessage("HTTP 404: No file found with id file-abc123");
            assertThat(pool.connectionCount() - pool.idleConnectionCount()).isZero();
        }
    }
}
