package com.mka1.batches.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.ListBatchesResponse;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxOperation;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** create, get, cancel and list against the embedded sandbox, in table form. */
class BatchCommandsTest {
    @RegisterExtension
    static final CliHarness cli = new CliHarness();

    @Test
    void createPrintsTheNewBatch() {
        String fileId = cli.inputFile(2, 0);

        CliHarness.Result result =
                cli.run("create", "--input-file-id", fileId, "--metadata", "team=search", "--metadata", "run=7");

        assertThat(result.exitCode).as(result.toString()).isZero();
        List<String> lines = lines(result.out);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("ID +STATUS +ENDPOINT +CREATED +COUNTS");
        assertThat(lines.get(1))
                .matches("batch_[0-9a-f]{32} +validating +/v1/chat/completions +2024-01-01T\\d\\d:\\d\\d:\\d\\dZ"
                        + " +0/2 ok, 0 failed");
        BatchObject created = onlyBatch();
        assertThat(created.getInputFileId()).isEqualTo(fileId);
        assertThat(created.getMetadata()).containsEntry("team", "search").containsEntry("run", "7");
        assertThat(created.getCompletionWindow()).isEqualTo("24h");
    }

    @Test
    void createTakesTheEndpointAndCompletionWindow() {
        String fileId = cli.sandbox.registerInputFile(
                "{\"custom_id\":\"e1\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{\"model\":\"m\",\"input\":\"x\"}}\n");

        CliHarness.Result result = cli.run(
                "create", "--input-file-id", fileId, "--endpoint", "/v1/embeddings", "--completion-window", "24h");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(result.out).contains("/v1/embeddings");
    }

    @Test
    void createWithoutAnInputFileIsAUsageError() {
        CliHarness.Result result = cli.run("create");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.err).contains("--input-file-id").contains("mka1-batches create --help");
        assertThat(cli.sandbox.requestCount()).isZero();
    }

    @Test
    void getPrintsTheBatchAsItIsNow() {
        BatchObject batch = cli.createBatch(cli.inputFile(3, 1));
        cli.clock.advance(Mka1Sandbox.DEFAULT_STEP.multipliedBy(3));

        CliHarness.Result result = cli.run("get", batch.getId());

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(lines(result.out).get(1))
                .startsWith(batch.getId())
                .contains(" completed ")
                .endsWith("3/4 ok, 1 failed");
    }

    @Test
    void getShowsTheFilesOfAnEndedBatch() {
        BatchObject batch = cli.createBatch(cli.inputFile(3, 1));
        cli.clock.advance(Mka1Sandbox.DEFAULT_STEP.multipliedBy(3));
        BatchObject ended =
                BatchPrinter.GSON.fromJson(cli.run("get", batch.getId(), "-o", "json").out, BatchObject.class);

        CliHarness.Result result = cli.run("get", batch.getId());

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(ended.getOutputFileId()).isNotNull();
        assertThat(ended.getErrorFileId()).isNotNull();
        assertThat(lines(result.out)).hasSize(4);
        assertThat(lines(result.out).get(2)).isEqualTo("output_file_id: " + ended.getOutputFileId());
        assertThat(lines(result.out).get(3)).isEqualTo("error_file_id:  " + ended.getErrorFileId());
    }

    @Test
    void getShowsTheErrorsOfAFailedBatch() {
        String fileId = cli.sandbox.registerInputFile(String.format(CliHarness.CHAT_LINE, "a", "")
                + "{not json\n"
                + "{\"custom_id\":\"c\",\"method\":\"GET\",\"url\":\"/v1/chat/completions\",\"body\":{}}\n");
        BatchObject batch = cli.createBatch(fileId);
        cli.clock.advance(Mka1Sandbox.DEFAULT_STEP.multipliedBy(2));

        CliHarness.Result result = cli.run("get", batch.getId());

        assertThat(result.exitCode).as(result.toString()).isZero();
        List<String> lines = lines(result.out);
        assertThat(lines.get(1)).contains(" failed ");
        assertThat(lines.subList(2, lines.size())).hasSize(5);
        assertThat(lines.get(2)).isEqualTo("output_file_id: none");
        assertThat(lines.get(3)).isEqualTo("error_file_id:  none");
        assertThat(lines.get(4)).isEqualTo("errors:");
        assertThat(lines.get(5)).startsWith("  line 2: invalid_json_line: ");
        assertThat(lines.get(6)).startsWith("  line 3: invalid_method: ");
    }

    @Test
    void cancelMovesTheBatchToCancelling() {
        BatchObject batch = cli.createBatch(cli.inputFile(2, 0));

        CliHarness.Result result = cli.run("cancel", batch.getId());

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(lines(result.out).get(1)).startsWith(batch.getId()).contains(" cancelling ");
    }

    @Test
    void listAllFollowsEveryPage() {
        String fileId = cli.inputFile(1, 0);
        for (int i = 0; i < 250; i++) {
            cli.createBatch(fileId);
        }

        CliHarness.Result result = cli.run("list", "--all", "--limit", "40");

        assertThat(result.exitCode).as(result.toString()).isZero();
        List<String> rows = lines(result.out).subList(1, 251);
        assertThat(lines(result.out)).hasSize(251);
        assertThat(rows).allMatch(row -> row.matches("batch_[0-9a-f]{32} .*"));
        assertThat(rows.stream().map(row -> row.substring(0, 38)).distinct()).hasSize(250);
        assertThat(cli.sandbox.requestCount(SandboxOperation.LIST)).isEqualTo(7);
    }

    @Test
    void listShowsOnePageAndSaysHowToGetTheNext() {
        String fileId = cli.inputFile(1, 0);
        BatchObject oldest = cli.createBatch(fileId);
        cli.createBatch(fileId);
        BatchObject newest = cli.createBatch(fileId);

        CliHarness.Result firstPage = cli.run("list", "--limit", "2");

        assertThat(firstPage.exitCode).as(firstPage.toString()).isZero();
        assertThat(lines(firstPage.out)).hasSize(3);
        assertThat(lines(firstPage.out).get(1)).startsWith(newest.getId());
        String lastId = lines(firstPage.out).get(2).substring(0, 38);
        assertThat(firstPage.err).contains("--after " + lastId);

        CliHarness.Result secondPage = cli.run("list", "--limit", "2", "--after", lastId);

        assertThat(lines(secondPage.out)).hasSize(2);
        assertThat(lines(secondPage.out).get(1)).startsWith(oldest.getId());
        assertThat(secondPage.err).doesNotContain("--after");
    }

    @Test
    void listWithNoBatchesSaysSo() {
        CliHarness.Result result = cli.run("list");

        assertThat(result.exitCode).isZero();
        assertThat(result.out).contains("(no batches)");
    }

    @Test
    void anOutOfRangeLimitIsAUsageError() {
        CliHarness.Result result = cli.run("list", "--limit", "101");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(lines(result.err)).hasSize(1);
        assertThat(result.err).contains("limit");
    }

    private static BatchObject onlyBatch() {
        CliHarness.Result json = cli.run("list", "--output", "json");
        return BatchPrinter.GSON
                .fromJson(json.out, ListBatchesResponse.class)
                .getData()
                .get(0);
    }

    static List<String> lines(String text) {
        return Arrays.stream(text.split("\\R")).filter(line -> !line.isEmpty()).collect(Collectors.toList());
    }
}
