package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.mka1.batches.TestSupport.BATCHES;
import static com.mka1.batches.TestSupport.fixture;
import static com.mka1.batches.TestSupport.fixtureWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A server newer than this library (new statuses, endpoints, fields) does not break parsing. */
@WireMockTest
class ForwardCompatibilityTest {
    private static final String ID = "batch_aa87e2b1112a455b8deabed784372198";

    private Mka1Client client;

    @BeforeEach
    void setUp(WireMockRuntimeInfo wm) {
        client = TestSupport.client(wm);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private BatchObject getWithBody(String body) {
        stubFor(get(urlEqualTo(BATCHES + "/" + ID)).willReturn(okJson(body)));
        return client.llm().batches().get(ID);
    }

    @Test
    void unknownStatusParsesToTheUnknownConstant() {
        BatchObject batch = getWithBody(fixtureWith("batch-completed.json", b -> b.addProperty("status", "paused")));

        assertThat(batch.getStatus()).isEqualTo(BatchStatus.UNKNOWN_DEFAULT_OPEN_API);
        assertThat(batch.getId()).isEqualTo(ID);
    }

    @Test
    void unknownEndpointParsesToTheUnknownConstant() {
        BatchObject batch = getWithBody(fixtureWith("batch-completed.json", b -> b.addProperty("endpoint", "/v1/responses")));

        assertThat(batch.getEndpoint()).isEqualTo(BatchEndpoint.UNKNOWN_DEFAULT_OPEN_API);
        assertThat(batch.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    }

    @Test
    void unknownFieldsAreIgnoredAtEveryLevel() {
        BatchObject batch = getWithBody(fixtureWith("batch-completed.json", b -> {
            b.addProperty("priority", "high");
            JsonObject usage = new JsonObject();
            usage.addProperty("input_tokens", 1200);
            usage.add("by_model", new JsonArray());
            b.add("usage", usage);
            b.getAsJsonObject("request_counts").addProperty("skipped", 2);
        }));

        assertThat(batch.getId()).isEqualTo(ID);
        assertThat(batch.getRequestCounts().getTotal()).isEqualTo(3);
        assertThat(batch.getMetadata()).containsEntry("description", "evaluation job");
    }

    @Test
    void nullsForEveryNullableFieldAreAccepted() {
        BatchObject batch = getWithBody(fixtureWith("batch-completed.json", b -> {
            for (String name : new String[] {"errors", "output_file_id", "error_file_id", "in_progress_at",
                    "expires_at", "finalizing_at", "completed_at", "metadata"}) {
                b.add(name, null);
            }
        }));

        assertThat(batch.getErrors()).isNull();
        assertThat(batch.getOutputFileId()).isNull();
        assertThat(batch.getCompletedAt()).isNull();
        assertThat(batch.getMetadata()).isNull();
        assertThat(batch.getCreatedAt()).isEqualTo(1704067200L);
    }

    @Test
    void aBatchWithOnlyTheRequiredFieldsParses() {
        BatchObject batch = getWithBody(fixture("batch-minimal.json"));

        assertThat(batch.getStatus()).isEqualTo(BatchStatus.IN_PROGRESS);
        assertThat(batch.getErrors()).isNull();
        assertThat(batch.getMetadata()).isNull();
        assertThat(batch.getExpiresAt()).isNull();
    }

    @Test
    void unknownValuesInsideAListPageDoNotBreakIt() {
        String body = fixtureWith("list-page-1.json", page -> {
            page.addProperty("total_count", 42);
            page.getAsJsonArray("data").get(0).getAsJsonObject().addProperty("status", "archived");
        });
        stubFor(get(urlPathEqualTo(BATCHES)).willReturn(okJson(body)));

        BatchPage page = client.llm().batches().list();

        assertThat(page.data()).extracting(BatchObject::getStatus)
                .containsExactly(BatchStatus.UNKNOWN_DEFAULT_OPEN_API, BatchStatus.COMPLETED);
    }
}
