package com.mka1.batches;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.mka1.batches.models.FilePurpose;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad arguments, one per row: the JDK exception the conventions promise, a message naming the
 * culprit, and not a single request on the wire.
 */
class BadInputTest {
    @RegisterExtension
    static final WireMockExtension wm = ResilienceSupport.loopbackWireMock();

    private static final Duration NEGATIVE = Duration.ofSeconds(-1);
    /** Paths for the file rows: nothing is ever written to them (every row throws before). */
    private static final Path DIRECTORY = TestSupport.fixturesDir();

    private static final Path EXISTING = DIRECTORY.resolve("batch-output.jsonl");
    private static final Path MISSING = DIRECTORY.resolve("no-such-file.jsonl");
    private static final Path TARGET = DIRECTORY.resolve("never-written.jsonl");
    private static final Path IN_MISSING_DIRECTORY =
            DIRECTORY.resolve("no-such-dir").resolve("out.jsonl");

    private static Mka1Client client;

    @BeforeAll
    static void open() {
        client = ResilienceSupport.client(wm, new FakeTime()).build();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @AfterEach
    void nothingReachedTheServer() {
        assertThat(wm.getAllServeEvents()).isEmpty();
        assertThat(TARGET).doesNotExist();
        try (java.util.stream.Stream<Path> files = Files.list(DIRECTORY)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".part"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Arguments row(String culprit, Class<? extends RuntimeException> type, Consumer<Mka1Client> call) {
        return Arguments.of(culprit, type, call);
    }

    private static InputStream stream() {
        return new ByteArrayInputStream(new byte[1]);
    }

    private static Mka1Client.Builder builder() {
        return Mka1Client.builder().apiKey(ResilienceSupport.API_KEY);
    }

    // Each async call here throws before it returns a future, so there is none to ignore.
    @SuppressWarnings("FutureReturnValueIgnored")
    static Stream<Arguments> badInputs() {
        Class<NullPointerException> npe = NullPointerException.class;
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<IllegalStateException> ise = IllegalStateException.class;
        return Stream.of(
                // client builder
                row("apiKey", npe, c -> Mka1Client.builder().apiKey(null)),
                row("apiKey", iae, c -> Mka1Client.builder().apiKey("")),
                row("apiKey", iae, c -> Mka1Client.builder().apiKey("   ")),
                row("apiKey", iae, c -> Mka1Client.builder().apiKey("sk key")),
                row("apiKey", iae, c -> Mka1Client.builder().apiKey("sk-\u00e9")),
                row("apiKey", ise, c -> Mka1Client.builder().build()),
                row("baseUrl", npe, c -> builder().baseUrl(null)),
                row("baseUrl", iae, c -> builder().baseUrl("ftp://example.com").build()),
                row("baseUrl", iae, c -> builder().baseUrl("https://").build()),
                row(
                        "baseUrl",
                        iae,
                        c -> builder().baseUrl("https://apigw.mka1.com/?x=1").build()),
                row(
                        "baseUrl",
                        iae,
                        c -> builder().baseUrl("http://apigw.mka1.com").build()),
                row("defaults", npe, c -> builder().requestOptions(null)),
                row(
                        "idempotencyKey",
                        iae,
                        c -> builder()
                                .requestOptions(RequestOptions.builder()
                                        .idempotencyKey("k")
                                        .build())),
                row("onBehalfOf", npe, c -> RequestOptions.builder().onBehalfOf(null)),
                row("onBehalfOf", iae, c -> RequestOptions.builder().onBehalfOf(" ")),
                row("connectTimeout", iae, c -> RequestOptions.builder().connectTimeout(Duration.ZERO)),
                row("readTimeout", iae, c -> RequestOptions.builder().readTimeout(NEGATIVE)),
                row("writeTimeout", npe, c -> RequestOptions.builder().writeTimeout(null)),
                row("attemptTimeout", iae, c -> RequestOptions.builder().attemptTimeout(Duration.ZERO)),
                row("timeout", iae, c -> RequestOptions.builder().timeout(NEGATIVE)),
                row("retryPolicy", npe, c -> RequestOptions.builder().retryPolicy(null)),
                row("maxRetries", iae, c -> RequestOptions.builder().maxRetries(-1)),
                row("maxRetries", iae, c -> RequestOptions.builder().maxRetries(101)),
                row("httpClient", npe, c -> builder().httpClient(null)),
                row("sleeper", npe, c -> builder().sleeper(null)),
                row("clock", npe, c -> builder().clock(null)),
                // retry policy
                row("initialBackoff", iae, c -> RetryPolicy.builder().initialBackoff(NEGATIVE)),
                row("maxBackoff", npe, c -> RetryPolicy.builder().maxBackoff(null)),
                row("multiplier", iae, c -> RetryPolicy.builder().multiplier(0.5)),
                row("multiplier", iae, c -> RetryPolicy.builder().multiplier(Double.NaN)),
                row("jitter", iae, c -> RetryPolicy.builder().jitter(1.5)),
                row("maxElapsedTime", iae, c -> RetryPolicy.builder().maxElapsedTime(Duration.ZERO)),
                row(
                        "maxBackoff",
                        ise,
                        c -> RetryPolicy.builder()
                                .initialBackoff(Duration.ofSeconds(10))
                                .maxBackoff(Duration.ofSeconds(1))
                                .build()),
                // request options
                row("header name", npe, c -> RequestOptions.builder().header(null, "v")),
                row("header name", iae, c -> RequestOptions.builder().header("", "v")),
                row("header name", iae, c -> RequestOptions.builder().header("X Trace", "v")),
                row("header name", iae, c -> RequestOptions.builder().header("X-Trace:", "v")),
                row(
                        "value of header X-Trace",
                        npe,
                        c -> RequestOptions.builder().header("X-Trace", null)),
                row(
                        "value of header X-Trace",
                        iae,
                        c -> RequestOptions.builder().header("X-Trace", "caf\u0101")),
                row("idempotencyKey", iae, c -> RequestOptions.builder().idempotencyKey(" ")),
                row("onBehalfOf", iae, c -> RequestOptions.builder().onBehalfOf("")),
                row("timeout", iae, c -> RequestOptions.builder().timeout(Duration.ZERO)),
                row("readTimeout", npe, c -> RequestOptions.builder().readTimeout(null)),
                row("maxRetries", iae, c -> RequestOptions.builder().maxRetries(-3)),
                // params
                row("inputFileId", npe, c -> CreateBatchParams.builder().inputFileId(null)),
                row("inputFileId", iae, c -> CreateBatchParams.builder().inputFileId("")),
                row(
                        "inputFileId",
                        ise,
                        c -> CreateBatchParams.builder()
                                .endpoint("/v1/chat/completions")
                                .build()),
                row(
                        "endpoint",
                        ise,
                        c -> CreateBatchParams.builder().inputFileId("file_1").build()),
                row("endpoint", iae, c -> CreateBatchParams.builder().endpoint("v1/chat/completions")),
                row("endpoint", npe, c -> CreateBatchParams.builder().endpoint((String) null)),
                row("completionWindow", iae, c -> CreateBatchParams.builder().completionWindow(" ")),
                row("metadata key", npe, c -> CreateBatchParams.builder().putMetadata(null, "v")),
                row(
                        "metadata value for key 'k'",
                        npe,
                        c -> CreateBatchParams.builder().putMetadata("k", null)),
                row("limit", iae, c -> ListBatchesParams.builder().limit(0)),
                row("limit", iae, c -> ListBatchesParams.builder().limit(101)),
                row("after", iae, c -> ListBatchesParams.builder().after(" ")),
                // calls
                row("batchId", npe, c -> c.llm().batches().get(null)),
                row("batchId", iae, c -> c.llm().batches().get("")),
                row("batchId", iae, c -> c.llm().batches().get(".")),
                row("batchId", iae, c -> c.llm().batches().cancel("..")),
                row("batchId", iae, c -> c.llm().batches().cancel(" \t")),
                row("options", npe, c -> c.llm().batches().withOptions(null)),
                row("params", npe, c -> c.llm().batches().create(null)),
                row("params", npe, c -> c.llm().batches().list(null)),
                row("batchId", npe, c -> c.llm().batches().withRawResponse().get(null)),
                row("batchId", iae, c -> c.async().llm().batches().get("")),
                row("batchId", iae, c -> c.async().llm().batches().cancel("..")),
                row("params", npe, c -> c.async().llm().batches().create(null)),
                row("options", npe, c -> c.async().llm().batches().withOptions(null)),
                // files: params
                row("limit", iae, c -> ListFilesParams.builder().limit(0)),
                row("limit", iae, c -> ListFilesParams.builder().limit(10_001)),
                row("after", npe, c -> ListFilesParams.builder().after(null)),
                row("after", iae, c -> ListFilesParams.builder().after(" ")),
                row("order", npe, c -> ListFilesParams.builder().order(null)),
                row("purpose", npe, c -> ListFilesParams.builder().purpose(null)),
                // files: uploads
                row("file", npe, c -> c.llm().files().upload((Path) null, FilePurpose.BATCH)),
                row("does not exist", iae, c -> c.llm().files().upload(MISSING, FilePurpose.BATCH)),
                row("not a regular file", iae, c -> c.llm().files().upload(DIRECTORY, FilePurpose.BATCH)),
                row("purpose", npe, c -> c.llm().files().upload(EXISTING, null)),
                row("purpose EVALS", iae, c -> c.llm().files().upload(EXISTING, FilePurpose.EVALS)),
                row("purpose", iae, c -> c.llm().files().upload(EXISTING, FilePurpose.of(" "))),
                row("content", npe, c -> c.llm().files().upload((byte[]) null, "a.jsonl", FilePurpose.BATCH)),
                row("filename", npe, c -> c.llm().files().upload(new byte[1], null, FilePurpose.BATCH)),
                row("filename", iae, c -> c.llm().files().upload(new byte[1], " ", FilePurpose.BATCH)),
                row("purpose EVALS", iae, c -> c.llm().files().upload(new byte[1], "a.jsonl", FilePurpose.EVALS)),
                row("content", npe, c -> c.llm().files().upload((InputStream) null, "a.jsonl", FilePurpose.BATCH)),
                row("filename", iae, c -> c.llm().files().upload(stream(), "", FilePurpose.BATCH)),
                row("purpose", npe, c -> c.llm().files().upload(stream(), "a.jsonl", null)),
                row("filename", iae, c -> c.llm().files().withRawResponse().upload(stream(), "\t", FilePurpose.BATCH)),
                row("filename", iae, c -> c.async().llm().files().upload(new byte[1], " ", FilePurpose.BATCH)),
                row("not a regular file", iae, c -> c.async().llm().files().upload(DIRECTORY, FilePurpose.VISION)),
                row("purpose EVALS", iae, c -> c.async().llm().files().upload(stream(), "a.jsonl", FilePurpose.EVALS)),
                // files: the other calls
                row("fileId", npe, c -> c.llm().files().get(null)),
                row("fileId", iae, c -> c.llm().files().get("")),
                row("fileId", iae, c -> c.llm().files().get("..")),
                row("fileId", iae, c -> c.llm().files().delete(" ")),
                row("fileId", iae, c -> c.llm().files().content(".")),
                row("options", npe, c -> c.llm().files().withOptions(null)),
                row("options", npe, c -> c.async().llm().files().withOptions(null)),
                row("params", npe, c -> c.llm().files().list(null)),
                row("fileId", npe, c -> c.llm().files().download(null, TARGET)),
                row("target", npe, c -> c.llm().files().download("file-1", null)),
                row("target", iae, c -> c.llm().files().download("file-1", DIRECTORY)),
                row("the directory of target", iae, c -> c.llm().files().download("file-1", IN_MISSING_DIRECTORY)),
                row("fileId", iae, c -> c.async().llm().files().delete("")),
                row("fileId", iae, c -> c.async().llm().files().content("..")),
                row("params", npe, c -> c.async().llm().files().list(null)),
                row("target", iae, c -> c.async().llm().files().download("file-1", DIRECTORY)),
                row(
                        "the directory of target",
                        iae,
                        c -> c.async().llm().files().withRawResponse().download("file-1", IN_MISSING_DIRECTORY)));
    }

    @ParameterizedTest(name = "[{index}] {1} naming {0}")
    @MethodSource("badInputs")
    void isRefusedBeforeAnyRequest(String culprit, Class<? extends RuntimeException> type, Consumer<Mka1Client> call) {
        Throwable thrown = catchThrowable(() -> call.accept(client));
        assertThat(thrown).isExactlyInstanceOf(type).hasMessageContaining(culprit);
    }

    @org.junit.jupiter.api.Test
    void theTableHasAtLeastNinetyRows() {
        assertThat(badInputs().count()).isGreaterThanOrEqualTo(90);
    }
}
