package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
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
import static com.mka1.batches.TestSupport.fixture;
import static com.mka1.batches.TestSupport.fixtureWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.internal.Json;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import com.mka1.batches.models.DeleteFileResponse;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import com.mka1.batches.models.RequestCounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server newer than this library: every value it sends (statuses, endpoints, purposes) keeps its
 * text, and every field it adds is kept on the model that carries it, at every level, in both modes.
 */
@WireMockTest
class ForwardCompatibilityTest {
    private static final String ID = "batch_aa87e2b1112a455b8deabed784372198";
    private static final String FILE_ID = "file-abc123";

    private Mka1Client client;

    @BeforeEach
    void setUp(WireMockRuntimeInfo wm) {
        client = TestSupport.client(wm);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    /** A batch as a newer API sends it: a new status, endpoint and fields, inside and out. */
    static String newerBatch() {
        return fixtureWith("batch-completed.json", b -> {
            b.addProperty("status", "paused");
            b.addProperty("endpoint", "/v1/responses");
            b.addProperty("model", "gpt-5");
            JsonObject usage = new JsonObject();
            usage.addProperty("input_tokens", 9_007_199_254_740_993L); // beyond a double's exact range
            usage.addProperty("output_tokens", 17);
            b.add("usage", usage);
            b.getAsJsonObject("request_counts").addProperty("skipped", 2);
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aNewStatusEndpointAndFieldsAreReadableFromTheBatch(Mode mode) {
        stubFor(get(urlEqualTo(BATCHES + "/" + ID)).willReturn(okJson(newerBatch())));

        BatchObject batch = mode.batches(client).get(ID);

        assertThat(batch.getStatus().asString()).isEqualTo("paused");
        assertThat(batch.getStatus().isKnown()).isFalse();
        assertThat(batch.getStatus().value()).isEqualTo(BatchStatus.Value._UNKNOWN);
        assertThat(batch.getStatus()).isEqualTo(BatchStatus.of("paused")).isNotEqualTo(BatchStatus.COMPLETED);
        assertThat(batch.getEndpoint()).isEqualTo("/v1/responses");
        assertThat(BatchEndpoint.of(batch.getEndpoint()).isKnown()).isFalse();
        assertThat(batch.getAdditionalProperty("model")).isEqualTo(new JsonPrimitive("gpt-5"));
        assertThat(batch.getAdditionalProperty("usage")
                        .getAsJsonObject()
                        .get("input_tokens")
                        .getAsLong())
                .isEqualTo(9_007_199_254_740_993L);
        assertThat(batch.getAdditionalProperties()).containsOnlyKeys("model", "usage");
        RequestCounts counts = batch.getRequestCounts();
        assertThat(counts.getTotal()).isEqualTo(3);
        assertThat(counts.getAdditionalProperty("skipped")).isEqualTo(new JsonPrimitive(2));
        assertThat(BatchStatuses.isTerminal(batch.getStatus())).isFalse();
        assertThat(BatchStatuses.isActive(batch.getStatus())).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void knownValuesAreTheConstants(Mode mode) {
        stubFor(get(urlEqualTo(BATCHES + "/" + ID)).willReturn(okJson(fixture("batch-completed.json"))));

        BatchObject batch = mode.batches(client).get(ID);

        assertThat(batch.getStatus()).isSameAs(BatchStatus.COMPLETED);
        assertThat(batch.getStatus().isKnown()).isTrue();
        assertThat(batch.getStatus().value()).isEqualTo(BatchStatus.Value.COMPLETED);
        assertThat(BatchEndpoint.of(batch.getEndpoint())).isSameAs(BatchEndpoint.CHAT_COMPLETIONS);
        assertThat(batch.getAdditionalProperties()).isEmpty();
        assertThat(batch.getRequestCounts().getAdditionalProperties()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aBatchPageKeepsItsOwnNewFieldsAndThoseOfItsItems(Mode mode) {
        String body = fixtureWith("list-page-1.json", page -> {
            page.addProperty("total_count", 42);
            page.getAsJsonArray("data").get(0).getAsJsonObject().addProperty("status", "archived");
            page.getAsJsonArray("data").get(0).getAsJsonObject().addProperty("priority", "high");
        });
        stubFor(get(urlPathEqualTo(BATCHES)).willReturn(okJson(body)));

        Page<BatchObject, ListBatchesParams> page = mode.batches(client).list(ListBatchesParams.none());

        assertThat(page.additionalProperties()).containsOnlyKeys("total_count");
        assertThat(page.additionalProperties().get("total_count").getAsInt()).isEqualTo(42);
        assertThat(page.data()).extracting(b -> b.getStatus().asString()).containsExactly("archived", "completed");
        assertThat(page.data().get(0).getAdditionalProperty("priority")).isEqualTo(new JsonPrimitive("high"));
        assertThat(page.additionalProperties()).isUnmodifiable();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aNewPurposeStatusAndFieldAreReadableFromTheFile(Mode mode) {
        stubFor(get(urlEqualTo(FILES + "/" + FILE_ID)).willReturn(okJson(fixtureWith("file-batch-input.json", f -> {
            f.addProperty("purpose", "fine-tune-results");
            f.addProperty("status", "scanning");
            f.addProperty("sha256", "ab12");
        }))));

        FileObject file = mode.files(client).get(FILE_ID);

        assertThat(file.getPurpose().asString()).isEqualTo("fine-tune-results");
        assertThat(file.getPurpose().isKnown()).isFalse();
        assertThat(file.getPurpose().value()).isEqualTo(FilePurpose.Value._UNKNOWN);
        @SuppressWarnings("deprecation")
        FileObject.StatusEnum status = file.getStatus();
        assertThat(status.asString()).isEqualTo("scanning");
        assertThat(status.isKnown()).isFalse();
        assertThat(file.getAdditionalProperty("sha256")).isEqualTo(new JsonPrimitive("ab12"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aFilePageKeepsItsOwnNewFieldsAndThoseOfItsItems(Mode mode) {
        stubFor(get(urlPathEqualTo(FILES)).willReturn(okJson(fixtureWith("files-page-1.json", page -> {
            page.addProperty("next_cursor", "c2");
            page.getAsJsonArray("data").get(1).getAsJsonObject().addProperty("purpose", "evals-results");
            page.getAsJsonArray("data").get(1).getAsJsonObject().addProperty("expires_after", 3600);
        }))));

        Page<FileObject, ListFilesParams> page = mode.files(client).list(ListFilesParams.none());

        assertThat(page.additionalProperties().get("next_cursor").getAsString()).isEqualTo("c2");
        assertThat(page.data()).extracting(f -> f.getPurpose().asString()).containsExactly("batch", "evals-results");
        assertThat(page.data().get(0).getPurpose()).isSameAs(FilePurpose.BATCH);
        assertThat(page.data().get(1).getAdditionalProperty("expires_after").getAsInt())
                .isEqualTo(3600);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aDeleteAnswerKeepsNewFields(Mode mode) {
        stubFor(delete(urlEqualTo(FILES + "/" + FILE_ID))
                .willReturn(okJson(fixtureWith("deleted-file.json", d -> d.addProperty("deleted_at", 1704067300)))));

        DeleteFileResponse deleted = mode.files(client).delete(FILE_ID);

        assertThat(deleted.getDeleted()).isTrue();
        assertThat(deleted.getAdditionalProperty("deleted_at").getAsLong()).isEqualTo(1704067300L);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anErrorWithNewFieldsKeepsItsBodyAndMessage(Mode mode) {
        stubFor(get(urlEqualTo(BATCHES + "/" + ID))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody(
                                "{\"error\":{\"message\":\"No batch\",\"type\":\"invalid_request_error\",\"code\":\"not_found\","
                                        + "\"doc_url\":\"https://docs.mka1.com/errors\"},\"trace\":\"t-1\"}")));

        ApiException e = catchThrowableOfType(
                ApiException.class, () -> mode.batches(client).get(ID));

        assertThat(e.errorMessage()).isEqualTo("No batch");
        assertThat(e.errorCode()).isEqualTo("not_found");
        assertThat(e.body()).contains("\"doc_url\":\"https://docs.mka1.com/errors\"", "\"trace\":\"t-1\"");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anEndpointNewerThanTheLibraryIsCreatedAsGiven(Mode mode) {
        stubFor(post(urlEqualTo(BATCHES)).willReturn(okJson(newerBatch())));

        BatchObject batch = mode.batches(client)
                .create(CreateBatchParams.builder()
                        .inputFileId("file_abc123")
                        .endpoint(BatchEndpoint.of("/v1/responses"))
                        .build());

        verify(
                postRequestedFor(urlEqualTo(BATCHES))
                        .withRequestBody(
                                equalToJson(
                                        "{\"input_file_id\":\"file_abc123\",\"endpoint\":\"/v1/responses\",\"completion_window\":\"24h\"}")));
        assertThat(batch.getEndpoint()).isEqualTo("/v1/responses");
    }

    @Test
    void aModelWrittenBackIsTheJsonItWasReadFromLessItsNulls() throws Exception {
        JsonObject sent = JsonParser.parseString(newerBatch()).getAsJsonObject();

        BatchObject batch = Json.read(sent.toString(), BatchObject.class);

        sent.entrySet().removeIf(field -> field.getValue().isJsonNull());
        assertThat(JsonParser.parseString(Json.GSON.toJson(batch))).isEqualTo(sent);
    }

    @Test
    void aDeclaredFieldCannotBeAddedAsAnUndeclaredOne() {
        BatchObject batch = new BatchObject().putAdditionalProperty("usage", new JsonObject());

        assertThat(batch.getAdditionalProperties()).containsOnlyKeys("usage");
        assertThatThrownBy(() -> batch.putAdditionalProperty("status", new JsonPrimitive("paused")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'status'");
        assertThatThrownBy(() -> batch.getAdditionalProperties().put("x", new JsonObject()))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aValueOfTheWrongTypeIsNamedByItsFullPath() {
        String body = fixtureWith(
                "list-page-1.json",
                page -> page.getAsJsonArray("data")
                        .get(1)
                        .getAsJsonObject()
                        .getAsJsonObject("request_counts")
                        .addProperty("total", "many"));
        stubFor(get(urlPathEqualTo(BATCHES)).willReturn(okJson(body)));

        assertThatThrownBy(() -> client.llm().batches().list(ListBatchesParams.none()))
                .isInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("a value of the wrong type at $.data[1].request_counts.total");
    }

    @Test
    void nullsForEveryNullableFieldAreAccepted() {
        stubFor(get(urlEqualTo(BATCHES + "/" + ID)).willReturn(okJson(fixtureWith("batch-completed.json", b -> {
            for (String name : new String[] {
                "errors",
                "output_file_id",
                "error_file_id",
                "in_progress_at",
                "expires_at",
                "finalizing_at",
                "completed_at",
                "metadata"
            }) {
                b.add(name, null);
            }
        }))));

        BatchObject batch = client.llm().batches().get(ID);

        assertThat(batch.getErrors()).isNull();
        assertThat(batch.getOutputFileId()).isNull();
        assertThat(batch.getCompletedAt()).isNull();
        assertThat(batch.getMetadata()).isNull();
        assertThat(batch.getCreatedAt()).isEqualTo(1704067200L);
        assertThat(batch.getAdditionalProperties()).isEmpty();
    }

    @Test
    void aBatchWithOnlyTheRequiredFieldsParses() {
        stubFor(get(urlEqualTo(BATCHES + "/" + ID)).willReturn(okJson(fixture("batch-minimal.json"))));

        BatchObject batch = client.llm().batches().get(ID);

        assertThat(batch.getStatus()).isEqualTo(BatchStatus.IN_PROGRESS);
        assertThat(batch.getErrors()).isNull();
        assertThat(batch.getMetadata()).isNull();
        assertThat(batch.getExpiresAt()).isNull();
    }
}
