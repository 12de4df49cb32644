package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
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
import static com.mka1.batches.TestSupport.BATCHES;
import static com.mka1.batches.TestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each operation's request on the wire, and the value it returns, in both modes. */
@WireMockTest
class BatchServiceTest {
    private static final String ID = "batch_aa87e2b1112a455b8deabed784372198";
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private Mka1Client client;

    @BeforeEach
    void setUp(WireMockRuntimeInfo wm) {
        client = TestSupport.client(wm);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private static CreateBatchParams.Builder chatParams() {
        return CreateBatchParams.builder().inputFileId("file_abc123").endpoint(BatchEndpoint.CHAT_COMPLETIONS);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void createPostsSnakeCaseJsonWithAuthUserAgentAndIdempotencyKey(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(post(urlEqualTo(BATCHES)).willReturn(okJson(fixture("batch-validating.json"))));

        BatchObject batch = batches.create(
                chatParams().putMetadata("description", "evaluation job").build());

        verify(postRequestedFor(urlEqualTo(BATCHES))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .withHeader("User-Agent", matching("mka1-batches-java/" + Pattern.quote(Mka1Client.VERSION) + "( .*)?"))
                .withHeader("Content-Type", matching("application/json(;.*)?"))
                .withHeader("Idempotency-Key", matching(UUID_PATTERN))
                .withHeader("X-On-Behalf-Of", absent())
                .withRequestBody(equalToJson(
                        "{\"input_file_id\":\"file_abc123\",\"endpoint\":\"/v1/chat/completions\","
                                + "\"completion_window\":\"24h\",\"metadata\":{\"description\":\"evaluation job\"}}",
                        false,
                        false)));
        assertThat(Mka1Client.VERSION).isNotBlank().isNotEqualTo("unknown").doesNotContain("${");
        assertThat(batch.getId()).isEqualTo("batch_0c1d2e3f405162738495a6b7c8d9e0f1");
        assertThat(batch.getStatus()).isEqualTo(BatchStatus.VALIDATING);
        assertThat(batch.getEndpoint()).isEqualTo(BatchEndpoint.EMBEDDINGS.getValue());
        assertThat(batch.getInputFileId()).isEqualTo("file_embed001");
        assertThat(batch.getInProgressAt()).isNull();
        assertThat(batch.getExpiresAt()).isEqualTo(1704240000L);
        assertThat(batch.getRequestCounts().getTotal()).isZero();
        assertThat(batch.getMetadata())
                .containsExactly(Map.entry("description", "nightly embeddings"), Map.entry("team", "search"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void createWithoutMetadataLeavesItOutOfTheBody(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(post(urlEqualTo(BATCHES)).willReturn(okJson(fixture("batch-validating.json"))));

        batches.create(chatParams().completionWindow("48h").build());

        verify(postRequestedFor(urlEqualTo(BATCHES))
                .withRequestBody(equalToJson(
                        "{\"input_file_id\":\"file_abc123\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"48h\"}",
                        false,
                        false)));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void createSendsAnEndpointTheEnumDoesNotKnowVerbatim(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(post(urlEqualTo(BATCHES)).willReturn(okJson(fixture("batch-validating.json"))));

        batches.create(CreateBatchParams.builder()
                .inputFileId("file_abc123")
                .endpoint("/v1/responses")
                .build());

        verify(postRequestedFor(urlEqualTo(BATCHES))
                .withRequestBody(equalToJson(
                        "{\"input_file_id\":\"file_abc123\",\"endpoint\":\"/v1/responses\",\"completion_window\":\"24h\"}",
                        false,
                        false)));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void createUsesTheIdempotencyKeyFromTheOptions(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(post(urlEqualTo(BATCHES)).willReturn(okJson(fixture("batch-validating.json"))));

        batches.withOptions(RequestOptions.builder().idempotencyKey("create-42").build())
                .create(chatParams().build());
        batches.create(chatParams().build());
        batches.create(chatParams().build());

        List<LoggedRequest> sent = findAll(postRequestedFor(urlEqualTo(BATCHES)));
        assertThat(sent).extracting(r -> r.getHeader("Idempotency-Key")).first().isEqualTo("create-42");
        assertThat(sent.get(1).getHeader("Idempotency-Key"))
                .isNotEqualTo(sent.get(2).getHeader("Idempotency-Key"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void getSendsGetToTheBatchPathAndParsesEveryField(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(get(urlEqualTo(BATCHES + "/" + ID)).willReturn(okJson(fixture("batch-completed.json"))));

        BatchObject batch = batches.get(ID);

        verify(getRequestedFor(urlEqualTo(BATCHES + "/" + ID))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .withHeader("User-Agent", matching("mka1-batches-java/.*"))
                .withHeader("Idempotency-Key", absent())
                .withHeader("Content-Type", absent()));
        assertThat(batch.getId()).isEqualTo(ID);
        assertThat(batch.getObject()).isEqualTo("batch");
        assertThat(batch.getEndpoint()).isEqualTo(BatchEndpoint.CHAT_COMPLETIONS.getValue());
        assertThat(batch.getErrors()).isNull();
        assertThat(batch.getInputFileId()).isEqualTo("file_abc123");
        assertThat(batch.getCompletionWindow()).isEqualTo("24h");
        assertThat(batch.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(batch.getOutputFileId()).isEqualTo("file_def456");
        assertThat(batch.getErrorFileId()).isNull();
        assertThat(batch.getCreatedAt()).isEqualTo(1704067200L);
        assertThat(batch.getInProgressAt()).isEqualTo(1704067260L);
        assertThat(batch.getExpiresAt()).isEqualTo(1704153600L);
        assertThat(batch.getFinalizingAt()).isEqualTo(1704070800L);
        assertThat(batch.getCompletedAt()).isEqualTo(1704070860L);
        assertThat(batch.getFailedAt()).isNull();
        assertThat(batch.getExpiredAt()).isNull();
        assertThat(batch.getCancellingAt()).isNull();
        assertThat(batch.getCancelledAt()).isNull();
        assertThat(batch.getRequestCounts().getTotal()).isEqualTo(3);
        assertThat(batch.getRequestCounts().getCompleted()).isEqualTo(3);
        assertThat(batch.getRequestCounts().getFailed()).isZero();
        assertThat(batch.getMetadata()).containsExactly(Map.entry("description", "evaluation job"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void getParsesTheErrorsOfAFailedBatch(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(get(urlEqualTo(BATCHES + "/batch_failed0001"))
                .willReturn(okJson(fixture("batch-failed-with-errors.json"))));

        BatchObject batch = batches.get("batch_failed0001");

        assertThat(batch.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(batch.getFailedAt()).isEqualTo(1704067230L);
        assertThat(batch.getMetadata()).isNull();
        assertThat(batch.getErrors().getObject()).isEqualTo("list");
        assertThat(batch.getErrors().getData()).hasSize(2);
        assertThat(batch.getErrors().getData().get(0).getCode()).isEqualTo("invalid_url");
        assertThat(batch.getErrors().getData().get(0).getMessage()).startsWith("Line 2:");
        assertThat(batch.getErrors().getData().get(0).getParam()).isEqualTo("url");
        assertThat(batch.getErrors().getData().get(0).getLine()).isEqualTo(2);
        assertThat(batch.getErrors().getData().get(1).getParam()).isNull();
        assertThat(batch.getErrors().getData().get(1).getLine()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void countsAndErrorLinesBeyondTheIntRangeAreReadWhole(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(get(urlEqualTo(BATCHES + "/batch_huge0001"))
                .willReturn(okJson(fixture("batch-counts-beyond-int32.json"))));

        BatchObject batch = batches.get("batch_huge0001");

        assertThat(batch.getRequestCounts().getTotal()).isEqualTo(5_000_000_000L);
        assertThat(batch.getRequestCounts().getCompleted()).isEqualTo(2_500_000_000L);
        assertThat(batch.getRequestCounts().getFailed()).isEqualTo(2_147_483_648L);
        assertThat(batch.getErrors().getData().get(0).getLine()).isEqualTo(4_294_967_297L);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void cancelPostsWithoutBodyToTheCancelPath(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(post(urlEqualTo(BATCHES + "/batch_cancel0001/cancel"))
                .willReturn(okJson(fixture("batch-cancelling.json"))));

        BatchObject batch = batches.cancel("batch_cancel0001");

        verify(postRequestedFor(urlEqualTo(BATCHES + "/batch_cancel0001/cancel"))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .withHeader("Content-Type", absent())
                .withHeader("Idempotency-Key", absent()));
        LoggedRequest sent = findAll(postRequestedFor(urlEqualTo(BATCHES + "/batch_cancel0001/cancel")))
                .get(0);
        assertThat(sent.getBody()).isEmpty();
        assertThat(batch.getStatus()).isEqualTo(BatchStatus.CANCELLING);
        assertThat(batch.getEndpoint()).isEqualTo(BatchEndpoint.IMAGES_GENERATIONS.getValue());
        assertThat(batch.getCancellingAt()).isEqualTo(1704068000L);
        assertThat(batch.getRequestCounts().getCompleted()).isEqualTo(4);
        assertThat(batch.getRequestCounts().getFailed()).isEqualTo(1);
        assertThat(batch.getMetadata()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void listWithoutParamsSendsNoQuery(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(get(urlPathEqualTo(BATCHES)).willReturn(okJson(fixture("list-page-1.json"))));

        Page<BatchObject, ListBatchesParams> page = batches.list(ListBatchesParams.none());

        verify(getRequestedFor(urlEqualTo(BATCHES))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .withHeader("User-Agent", matching("mka1-batches-java/.*")));
        assertThat(page.data()).extracting(BatchObject::getId).containsExactly("batch_p1a", "batch_p1b");
        assertThat(page.hasNextPage()).isTrue();
        assertThat(page.firstId()).isEqualTo("batch_p1a");
        assertThat(page.lastId()).isEqualTo("batch_p1b");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void listSendsAfterAndLimitAsQuery(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(get(urlPathEqualTo(BATCHES)).willReturn(okJson(fixture("list-page-3.json"))));

        Page<BatchObject, ListBatchesParams> page = batches.list(
                ListBatchesParams.builder().after("batch_p2b").limit(5).build());

        verify(
                exactly(1),
                getRequestedFor(urlPathEqualTo(BATCHES))
                        .withQueryParam("after", equalTo("batch_p2b"))
                        .withQueryParam("limit", equalTo("5")));
        assertThat(page.data()).extracting(BatchObject::getId).containsExactly("batch_p3a");
        assertThat(page.hasNextPage()).isFalse();
        assertThat(page.hasNextPage()).isFalse();
    }

    /** The raw calls without options answer like those with them. */
    @org.junit.jupiter.api.Test
    void rawCallsWithoutOptionsReturnTheResponseAndItsValue() throws Exception {
        stubFor(post(urlEqualTo(BATCHES + "/" + ID + "/cancel")).willReturn(okJson(fixture("batch-cancelling.json"))));
        stubFor(post(urlEqualTo(BATCHES)).willReturn(okJson(fixture("batch-validating.json"))));
        stubFor(get(urlPathEqualTo(BATCHES)).willReturn(okJson(fixture("list-page-1.json"))));
        ListBatchesParams params = ListBatchesParams.builder().limit(2).build();

        assertThat(client.llm().batches().withRawResponse().list(params).value().getData())
                .extracting(BatchObject::getId)
                .containsExactly("batch_p1a", "batch_p1b");
        AsyncBatchService.WithRawResponse async = client.async().llm().batches().withRawResponse();
        assertThat(async.list(params).get().value().getData())
                .extracting(BatchObject::getId)
                .containsExactly("batch_p1a", "batch_p1b");
        assertThat(async.create(chatParams().build()).get().value().getId())
                .isEqualTo("batch_0c1d2e3f405162738495a6b7c8d9e0f1");
        assertThat(async.cancel(ID).get().value().getId()).isEqualTo("batch_cancel0001");
        verify(exactly(2), getRequestedFor(urlEqualTo(BATCHES + "?limit=2")));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void onBehalfOfComesFromTheClientAndCanBeOverriddenPerCall(Mode mode, WireMockRuntimeInfo wm) {
        stubFor(get(urlEqualTo(BATCHES + "/" + ID)).willReturn(okJson(fixture("batch-completed.json"))));
        stubFor(post(urlEqualTo(BATCHES + "/" + ID + "/cancel")).willReturn(okJson(fixture("batch-cancelling.json"))));
        stubFor(post(urlEqualTo(BATCHES)).willReturn(okJson(fixture("batch-validating.json"))));
        stubFor(get(urlPathEqualTo(BATCHES)).willReturn(okJson(fixture("list-empty.json"))));
        RequestOptions asOther =
                RequestOptions.builder().onBehalfOf("user_other").build();

        try (Mka1Client acting = TestSupport.clientBuilder(wm)
                .requestOptions(
                        RequestOptions.builder().onBehalfOf("user_default").build())
                .build()) {
            Mode.Batches service = mode.batches(acting);
            service.get(ID);
            service.cancel(ID);
            service.create(chatParams().build());
            service.list(ListBatchesParams.none());
            assertThat(service.withOptions(asOther).get(ID).getId()).isEqualTo(ID);
            assertThat(service.withOptions(asOther).cancel(ID).getId()).isEqualTo("batch_cancel0001");
            assertThat(service.withOptions(asOther).create(chatParams().build()).getId())
                    .isEqualTo("batch_0c1d2e3f405162738495a6b7c8d9e0f1");
            service.withOptions(asOther).list(ListBatchesParams.none());
        }

        verify(
                exactly(1),
                getRequestedFor(urlEqualTo(BATCHES + "/" + ID)).withHeader("X-On-Behalf-Of", equalTo("user_default")));
        verify(
                exactly(1),
                getRequestedFor(urlEqualTo(BATCHES + "/" + ID)).withHeader("X-On-Behalf-Of", equalTo("user_other")));
        verify(
                exactly(1),
                postRequestedFor(urlEqualTo(BATCHES + "/" + ID + "/cancel"))
                        .withHeader("X-On-Behalf-Of", equalTo("user_default")));
        verify(
                exactly(1),
                postRequestedFor(urlEqualTo(BATCHES + "/" + ID + "/cancel"))
                        .withHeader("X-On-Behalf-Of", equalTo("user_other")));
        verify(exactly(1), postRequestedFor(urlEqualTo(BATCHES)).withHeader("X-On-Behalf-Of", equalTo("user_default")));
        verify(exactly(1), postRequestedFor(urlEqualTo(BATCHES)).withHeader("X-On-Behalf-Of", equalTo("user_other")));
        verify(exactly(1), getRequestedFor(urlEqualTo(BATCHES)).withHeader("X-On-Behalf-Of", equalTo("user_default")));
        verify(exactly(1), getRequestedFor(urlEqualTo(BATCHES)).withHeader("X-On-Behalf-Of", equalTo("user_other")));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aViewsOptionsLieOverTheViewItCameFromAndLeaveTheServiceAsItWas(Mode mode) {
        stubFor(get(urlEqualTo(BATCHES + "/" + ID)).willReturn(okJson(fixture("batch-completed.json"))));
        Mode.Batches batches = mode.batches(client);
        Mode.Batches acting = batches.withOptions(RequestOptions.builder()
                .onBehalfOf("user_a")
                .header("X-Trace-Id", "t-1")
                .build());
        Mode.Batches actingForB =
                acting.withOptions(RequestOptions.builder().onBehalfOf("user_b").build());

        batches.get(ID);
        acting.get(ID);
        actingForB.withRawResponse().get(ID);
        batches.withRawResponse().get(ID);

        List<LoggedRequest> gets = findAll(getRequestedFor(urlEqualTo(BATCHES + "/" + ID)));
        assertThat(gets).extracting(r -> r.getHeader("X-On-Behalf-Of")).containsExactly(null, "user_a", "user_b", null);
        assertThat(gets).extracting(r -> r.getHeader("X-Trace-Id")).containsExactly(null, "t-1", "t-1", null);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aViewsOptionsReachThePollsOfAWaitUnderTheWaitsOwnRequestOptions(Mode mode) {
        stubFor(get(urlEqualTo(BATCHES + "/" + ID)).willReturn(okJson(fixture("batch-completed.json"))));
        Mode.Batches acting = mode.batches(client)
                .withOptions(RequestOptions.builder()
                        .onBehalfOf("user_a")
                        .header("X-Trace-Id", "t-1")
                        .build());

        assertThat(acting.waitForCompletion(ID, WaitOptions.defaults()).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);
        acting.withOptions(RequestOptions.builder().onBehalfOf("user_w").build())
                .waitForCompletion(ID, WaitOptions.defaults());

        List<LoggedRequest> polls = findAll(getRequestedFor(urlEqualTo(BATCHES + "/" + ID)));
        assertThat(polls).extracting(r -> r.getHeader("X-On-Behalf-Of")).containsExactly("user_a", "user_w");
        assertThat(polls).extracting(r -> r.getHeader("X-Trace-Id")).containsExactly("t-1", "t-1");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void extraHeadersFromRequestOptionsAreSentButCannotReplaceTheKey(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(get(urlEqualTo(BATCHES + "/" + ID)).willReturn(okJson(fixture("batch-completed.json"))));

        batches.withOptions(RequestOptions.builder()
                        .header("X-Trace-Id", "trace-1")
                        .header("X-Tenant", "acme")
                        .header("Authorization", "Bearer someone-else")
                        .build())
                .get(ID);

        verify(getRequestedFor(urlEqualTo(BATCHES + "/" + ID))
                .withHeader("X-Trace-Id", equalTo("trace-1"))
                .withHeader("X-Tenant", equalTo("acme"))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY)));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void rawResponseCarriesStatusHeadersAndValue(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(get(urlEqualTo(BATCHES + "/" + ID))
                .willReturn(okJson(fixture("batch-completed.json")).withHeader("X-Request-ID", "req_ok_1")));

        RawResponse<BatchObject> raw = batches.withRawResponse().get(ID);

        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.requestId()).isEqualTo("req_ok_1");
        assertThat(raw.header("x-request-id")).contains("req_ok_1");
        assertThat(raw.value().getId()).isEqualTo(ID);
        assertThat(raw.toString())
                .startsWith("RawResponse{statusCode=200, requestId=req_ok_1, value=")
                .contains(ID);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void rawResponseHeadersAreReadOnlyAndARepeatedHeaderReadsItsFirstValue(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(get(urlEqualTo(BATCHES + "/" + ID))
                .willReturn(okJson(fixture("batch-completed.json")).withHeader("X-Trace", "first", "second")));

        RawResponse<BatchObject> raw = batches.withRawResponse().get(ID);

        assertThat(raw.header("X-Trace")).contains("first");
        assertThat(raw.headers().get("x-trace")).containsExactly("first", "second");
        assertThatThrownBy(() -> raw.headers().put("x-evil", List.of("1")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyRawOperationCarriesStatusRequestIdAndValueAndSendsWhatTheValueOperationSends(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(post(urlEqualTo(BATCHES))
                .willReturn(okJson(fixture("batch-validating.json"))
                        .withStatus(201)
                        .withHeader("X-Request-ID", "req_create")));
        stubFor(post(urlEqualTo(BATCHES + "/" + ID + "/cancel"))
                .willReturn(okJson(fixture("batch-cancelling.json")).withHeader("X-Request-ID", "req_cancel")));
        stubFor(get(urlPathEqualTo(BATCHES))
                .willReturn(okJson(fixture("list-page-1.json"))
                        .withHeader("X-Request-ID", "req_list")
                        .withHeader("X-Extra", "a", "b")));
        RequestOptions options = RequestOptions.builder()
                .idempotencyKey("raw-create-1")
                .onBehalfOf("user_raw")
                .build();

        RawResponse<BatchObject> created = batches.withOptions(options)
                .withRawResponse()
                .create(chatParams().build());
        RawResponse<BatchObject> cancelled =
                batches.withOptions(options).withRawResponse().cancel(ID);
        RawResponse<com.mka1.batches.models.ListBatchesResponse> listed = batches.withOptions(options)
                .withRawResponse()
                .list(ListBatchesParams.builder().limit(2).build());

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.requestId()).isEqualTo("req_create");
        assertThat(created.value().getId()).isEqualTo("batch_0c1d2e3f405162738495a6b7c8d9e0f1");
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(cancelled.requestId()).isEqualTo("req_cancel");
        assertThat(cancelled.value().getStatus()).isEqualTo(BatchStatus.CANCELLING);
        assertThat(listed.requestId()).isEqualTo("req_list");
        assertThat(listed.headers().get("x-extra")).containsExactly("a", "b");
        assertThat(listed.value().getData()).extracting(BatchObject::getId).containsExactly("batch_p1a", "batch_p1b");
        verify(
                exactly(1),
                postRequestedFor(urlEqualTo(BATCHES))
                        .withHeader("Idempotency-Key", equalTo("raw-create-1"))
                        .withHeader("X-On-Behalf-Of", equalTo("user_raw")));
        verify(
                exactly(1),
                postRequestedFor(urlEqualTo(BATCHES + "/" + ID + "/cancel"))
                        .withHeader("X-On-Behalf-Of", equalTo("user_raw")));
        verify(
                exactly(1),
                getRequestedFor(urlEqualTo(BATCHES + "?limit=2")).withHeader("X-On-Behalf-Of", equalTo("user_raw")));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRawErrorIsTheSameTypedExceptionAsTheValueOperations(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(get(urlEqualTo(BATCHES + "/" + ID))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withStatus(404)
                        .withHeader("X-Request-ID", "req_404")
                        .withBody(fixture("error-openai-style.json"))));

        assertThatThrownBy(() -> batches.withRawResponse().get(ID))
                .isExactlyInstanceOf(com.mka1.batches.errors.NotFoundException.class)
                .hasMessage("HTTP 404: No batch found (request id req_404)");
    }
}
