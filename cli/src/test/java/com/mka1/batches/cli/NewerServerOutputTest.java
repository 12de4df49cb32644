package com.mka1.batches.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.mka1.batches.cli.BatchCommandsTest.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server newer than the tool: {@code -o json} prints every value and field as the server sent
 * them, and the table shows a new status or endpoint as sent, not a stand-in.
 */
class NewerServerOutputTest {
    @RegisterExtension
    static final CliHarness cli = new CliHarness();

    private static final String BATCH_ID = "batch_aa87e2b1112a455b8deabed784372198";
    private static final String FILE_ID = "file-abc123";
    /** A batch as a newer API sends it: a new status and endpoint, new fields outside and inside. */
    private static final String BATCH =
            "{\"id\":\"" + BATCH_ID + "\",\"object\":\"batch\",\"endpoint\":\"/v1/responses\","
                    + "\"input_file_id\":\"file_abc123\",\"completion_window\":\"24h\",\"status\":\"paused\",\"created_at\":1704067200,"
                    + "\"request_counts\":{\"total\":3,\"completed\":1,\"failed\":0,\"skipped\":2},"
                    + "\"model\":\"gpt-5\",\"usage\":{\"input_tokens\":9007199254740993,\"output_tokens\":17}}";

    private static final String FILE =
            "{\"id\":\"" + FILE_ID + "\",\"object\":\"file\",\"bytes\":120,\"created_at\":1704067200,"
                    + "\"filename\":\"tuned.jsonl\",\"purpose\":\"fine-tune-results\",\"status\":\"scanning\",\"sha256\":\"ab12\"}";

    private static WireMockServer server;

    @BeforeAll
    static void startServer() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        server.stubFor(get(urlEqualTo("/api/v1/llm/batches/" + BATCH_ID)).willReturn(okJson(BATCH)));
        server.stubFor(get(urlPathEqualTo("/api/v1/llm/batches"))
                .willReturn(okJson("{\"object\":\"list\",\"data\":[" + BATCH + "],\"first_id\":\"" + BATCH_ID
                        + "\",\"last_id\":\"" + BATCH_ID + "\",\"has_more\":false,\"total_count\":1}")));
        server.stubFor(get(urlEqualTo("/api/v1/llm/files/" + FILE_ID)).willReturn(okJson(FILE)));
        server.stubFor(get(urlPathEqualTo("/api/v1/llm/files"))
                .willReturn(okJson(
                        "{\"object\":\"list\",\"data\":[" + FILE + "],\"has_more\":false,\"next_cursor\":null}")));
        server.stubFor(delete(urlEqualTo("/api/v1/llm/files/" + FILE_ID))
                .willReturn(okJson("{\"id\":\"" + FILE_ID
                        + "\",\"object\":\"file\",\"deleted\":true,\"deleted_at\":1704067300}")));
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @BeforeEach
    void pointAtTheNewerServer() {
        cli.env.put("MKA1_BASE_URL", server.baseUrl());
    }

    private static JsonObject json(CliHarness.Result result) {
        assertThat(result.exitCode).as(result.toString()).isZero();
        return JsonParser.parseString(result.out).getAsJsonObject();
    }

    @Test
    void getAsJsonPrintsEveryValueAndFieldAsSent() {
        JsonObject batch = json(cli.run("get", BATCH_ID, "-o", "json"));

        assertThat(batch.get("status").getAsString()).isEqualTo("paused");
        assertThat(batch.get("endpoint").getAsString()).isEqualTo("/v1/responses");
        assertThat(batch.get("model").getAsString()).isEqualTo("gpt-5");
        assertThat(batch.getAsJsonObject("usage").get("input_tokens").getAsLong())
                .isEqualTo(9_007_199_254_740_993L);
        assertThat(batch.getAsJsonObject("request_counts").get("skipped").getAsInt())
                .isEqualTo(2);
        for (String field : JsonParser.parseString(BATCH).getAsJsonObject().keySet()) {
            assertThat(batch.get(field))
                    .as(field)
                    .isEqualTo(JsonParser.parseString(BATCH).getAsJsonObject().get(field));
        }
    }

    @Test
    void theTableShowsANewStatusAndEndpointAsSent() {
        CliHarness.Result result = cli.run("get", BATCH_ID);

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(lines(result.out).get(1)).contains("paused", "/v1/responses").doesNotContainIgnoringCase("unknown");
    }

    @Test
    void listAsJsonKeepsThePagesNewFieldsAndItsItems() {
        JsonObject page = json(cli.run("list", "-o", "json"));

        assertThat(page.get("total_count").getAsInt()).isEqualTo(1);
        JsonObject batch = page.getAsJsonArray("data").get(0).getAsJsonObject();
        assertThat(batch.get("status").getAsString()).isEqualTo("paused");
        assertThat(batch.getAsJsonObject("usage").get("output_tokens").getAsInt())
                .isEqualTo(17);
    }

    @Test
    void filesGetListAndDeleteAsJsonKeepNewValuesAndFields() {
        JsonObject file = json(cli.run("files", "get", FILE_ID, "-o", "json"));
        JsonObject page = json(cli.run("files", "list", "-o", "json"));
        JsonObject deleted = json(cli.run("files", "delete", FILE_ID, "-o", "json"));

        assertThat(file.get("purpose").getAsString()).isEqualTo("fine-tune-results");
        assertThat(file.get("status").getAsString()).isEqualTo("scanning");
        assertThat(file.get("sha256").getAsString()).isEqualTo("ab12");
        assertThat(page.has("next_cursor")).as("a new field, null as sent").isTrue();
        assertThat(page.getAsJsonArray("data")
                        .get(0)
                        .getAsJsonObject()
                        .get("purpose")
                        .getAsString())
                .isEqualTo("fine-tune-results");
        assertThat(deleted.get("deleted_at").getAsLong()).isEqualTo(1704067300L);
    }

    @Test
    void filesTableShowsANewPurposeAsSent() {
        CliHarness.Result result = cli.run("files", "get", FILE_ID);

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(result.out).contains("fine-tune-results");
    }
}
