package com.mka1.batches.cli;

import static com.mka1.batches.cli.BatchCommandsTest.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import com.mka1.batches.models.ListBatchesResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code --output json} prints the API's model; {@code table} aligned columns; the flag goes anywhere. */
class OutputFormatTest {
    @RegisterExtension
    static final CliHarness cli = new CliHarness();

    @Test
    void jsonIsTheBatchObjectWithEveryField() {
        BatchObject batch = cli.createBatch(cli.inputFile(2, 0));

        CliHarness.Result result = cli.run("get", batch.getId(), "--output", "json");

        assertThat(result.exitCode).as(result.toString()).isZero();
        JsonObject json = JsonParser.parseString(result.out).getAsJsonObject();
        assertThat(json.get("id").getAsString()).isEqualTo(batch.getId());
        assertThat(json.get("object").getAsString()).isEqualTo("batch");
        assertThat(json.get("status").getAsString()).isEqualTo("validating");
        assertThat(json.get("endpoint").getAsString()).isEqualTo("/v1/chat/completions");
        assertThat(json.getAsJsonObject("request_counts").get("total").getAsInt())
                .isEqualTo(2);
        assertThat(json.has("output_file_id"))
                .as("nulls are printed, as the API sends them")
                .isTrue();
        assertThat(BatchPrinter.GSON.fromJson(result.out, BatchObject.class).getStatus())
                .isEqualTo(BatchStatus.VALIDATING);
    }

    @Test
    void theOutputFlagWorksBeforeTheCommandToo() {
        BatchObject batch = cli.createBatch(cli.inputFile(1, 0));

        CliHarness.Result before = cli.run("-o", "JSON", "get", batch.getId());
        CliHarness.Result after = cli.run("get", batch.getId(), "-o", "json");

        assertThat(before.exitCode).isZero();
        assertThat(before.out).isEqualTo(after.out).startsWith("{");
    }

    @Test
    void listAsJsonIsThePageAndListAllAsJsonIsAnArray() {
        String fileId = cli.inputFile(1, 0);
        for (int i = 0; i < 3; i++) {
            cli.createBatch(fileId);
        }

        CliHarness.Result page = cli.run("list", "--limit", "2", "--output", "json");
        CliHarness.Result all = cli.run("list", "--all", "--limit", "2", "--output", "json");

        ListBatchesResponse response = BatchPrinter.GSON.fromJson(page.out, ListBatchesResponse.class);
        assertThat(response.getData()).hasSize(2);
        assertThat(response.getHasMore()).isTrue();
        assertThat(page.err)
                .as("the next-page hint goes to stderr, leaving stdout to the JSON")
                .contains("--after " + response.getLastId());
        JsonArray array = JsonParser.parseString(all.out).getAsJsonArray();
        assertThat(array).hasSize(3);
    }

    @Test
    void listAsJsonLeavesStdoutToTheJsonAndPutsTheNextPageHintOnStderr() {
        String fileId = cli.inputFile(1, 0);
        cli.createBatch(fileId);
        cli.createBatch(fileId);

        CliHarness.Result result = cli.run("list", "--limit", "1", "-o", "json");

        assertThat(result.exitCode).as(result.toString()).isZero();
        JsonObject page = JsonParser.parseString(result.out).getAsJsonObject();
        assertThat(page.get("has_more").getAsBoolean()).isTrue();
        assertThat(result.out).doesNotContain("More batches follow");
        assertThat(lines(result.err))
                .containsExactly("More batches follow: add --after "
                        + page.get("last_id").getAsString() + ", or --all.");
    }

    @Test
    void tableColumnsAreAligned() {
        String good = cli.inputFile(1, 0);
        cli.createBatch(good);
        BatchObject cancelled = cli.createBatch(good);
        cli.run("cancel", cancelled.getId());

        List<String> table = lines(cli.run("list").out);

        assertThat(table).hasSize(3);
        int statusColumn = table.get(0).indexOf("STATUS");
        int endpointColumn = table.get(0).indexOf("ENDPOINT");
        assertThat(table).allSatisfy(row -> {
            assertThat(row.charAt(statusColumn - 1)).isEqualTo(' ');
            assertThat(row.charAt(statusColumn)).isNotEqualTo(' ');
            assertThat(row.charAt(endpointColumn)).isNotEqualTo(' ');
        });
        assertThat(table.get(1)).contains("cancelling");
    }

    @Test
    void anUnknownFormatIsAUsageError() {
        CliHarness.Result result = cli.run("list", "--output", "yaml");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.err).contains("yaml");
    }
}
