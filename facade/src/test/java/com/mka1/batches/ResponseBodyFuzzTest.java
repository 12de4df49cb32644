package com.mka1.batches;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.internal.ApiCall;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.DeleteFileResponse;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.ListBatchesResponse;
import com.mka1.batches.models.ListFilesResponse;
import java.io.IOException;
import java.util.Objects;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Fuzzes the success bodies of every model through the path a response takes in the client
 * ({@link ApiCall#json}: the strict streamed parse and the required-field check), then uses the
 * value as a caller would (pages, getters, {@code toString}). Each body goes through three
 * transports: with a {@code Content-Length} (read whole), chunked (decoded as it streams), and
 * chunked with the connection reset after the last byte.
 *
 * <p>Property: a value, or an {@link InvalidResponseException} with a clean message; the cut
 * connection may also be an {@link IOException} (a failed attempt, retried). Read whole or
 * streamed, a body gives the same value or the same exception. Inputs: {@code
 * ResponseBodyFuzzTestInputs/<method>/}; each file is a response body.
 */
class ResponseBodyFuzzTest {
    private static final String JSON = "application/json; charset=utf-8";

    @FuzzTest(maxDuration = "60s")
    void batch(byte[] body) throws Exception {
        BatchObject batch = parse(body, BatchObject.class);
        if (batch != null) {
            BatchStatuses.isTerminal(batch.getStatus());
            assertThat(batch.toString()).isNotNull();
        }
    }

    @FuzzTest(maxDuration = "60s")
    void batchList(byte[] body) throws Exception {
        ListBatchesResponse list = parse(body, ListBatchesResponse.class);
        if (list != null) {
            Page<BatchObject, ListBatchesParams> page = Page.ofBatches(
                    null,
                    RequestOptions.none(),
                    ListBatchesParams.builder().build(),
                    RawResponse.of(200, Headers.of(), list));
            page.data().forEach(batch -> BatchStatuses.isTerminal(batch.getStatus()));
            if (page.hasNextPage()) {
                assertNextPageParamsLeadOnOrAreRefused(page::nextPageParams);
            }
        }
    }

    /** A page that says more follows gives a usable cursor, or is refused as the server's fault. */
    private static void assertNextPageParamsLeadOnOrAreRefused(java.util.function.Supplier<Object> next) {
        try {
            Object params = next.get();
            String after = params instanceof ListBatchesParams
                    ? ((ListBatchesParams) params).after()
                    : ((ListFilesParams) params).after();
            assertThat(after).isNotBlank();
        } catch (InvalidResponseException e) {
            assertThat(e.getMessage()).contains("has_more is true");
        }
    }

    @FuzzTest(maxDuration = "60s")
    void file(byte[] body) throws Exception {
        FileObject file = parse(body, FileObject.class);
        if (file != null) {
            assertThat(file.toString()).contains(file.getId());
        }
    }

    @FuzzTest(maxDuration = "60s")
    void fileList(byte[] body) throws Exception {
        ListFilesResponse list = parse(body, ListFilesResponse.class);
        if (list != null) {
            Page<FileObject, ListFilesParams> page = Page.ofFiles(
                    null,
                    RequestOptions.none(),
                    ListFilesParams.builder().build(),
                    RawResponse.of(200, Headers.of(), list));
            page.data().forEach(file -> Objects.requireNonNull(file.getId(), "a listed file without an id"));
            if (page.hasNextPage()) {
                assertNextPageParamsLeadOnOrAreRefused(page::nextPageParams);
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void deletedFile(byte[] body) throws Exception {
        DeleteFileResponse deleted = parse(body, DeleteFileResponse.class);
        if (deleted != null) {
            assertThat(deleted.getId()).isNotNull();
        }
    }

    /** @return the value read whole, or {@code null} when the body is rightly refused */
    private static <T> T parse(byte[] body, Class<T> type) throws Exception {
        String text = ResponseBody.create(body, MediaType.get(JSON)).string(); // as OkHttp decodes it
        Object[] whole = new Object[1];
        Throwable wholeFailure = DocumentedFailures.check(
                text, () -> whole[0] = read(body, type, body.length, -1), InvalidResponseException.class);
        Object[] streamed = new Object[1];
        Throwable streamedFailure = DocumentedFailures.check(
                text, () -> streamed[0] = read(body, type, -1, -1), InvalidResponseException.class);
        DocumentedFailures.check(
                text, () -> read(body, type, -1, body.length), InvalidResponseException.class, IOException.class);

        if (wholeFailure == null) {
            assertThat(whole[0]).as("a value read whole").isNotNull();
            assertThat(streamedFailure).as("streamed, the same body fails").isNull();
            assertThat(streamed[0]).as("the value, streamed").isEqualTo(whole[0]);
            return type.cast(whole[0]);
        }
        assertThat(streamedFailure)
                .as("streamed, the body that failed read whole")
                .isNotNull();
        assertThat(streamedFailure.getMessage()).as("the message, streamed").isEqualTo(wholeFailure.getMessage());
        assertThat(((InvalidResponseException) wholeFailure).statusCode()).isEqualTo(200);
        return null;
    }

    private static <T> T read(byte[] body, Class<T> type, long contentLength, long cutAfter) throws IOException {
        try (Response response = FakeResponses.response(
                FakeResponses.REQUEST,
                200,
                Headers.of("Content-Type", JSON),
                FakeResponses.body(body, JSON, contentLength, cutAfter))) {
            return ApiCall.json(type).read(response);
        }
    }
}
