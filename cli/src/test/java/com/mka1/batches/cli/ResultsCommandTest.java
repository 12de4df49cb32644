package com.mka1.batches.cli;

import static com.mka1.batches.cli.BatchCommandsTest.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code results}: one JSON line per request, counts on stderr, exit 0 or 5 by how the requests went. */
class ResultsCommandTest {
    @RegisterExtension
    static final CliHarness cli = new CliHarness();

    @Test
    void printsOneLinePerResultAndExitsFiveWhenARequestFailed() {
        BatchObject batch = endedBatch(2, 1);

        CliHarness.Result result = cli.run("results", batch.getId());

        assertThat(result.exitCode).as(result.toString()).isEqualTo(5);
        Map<String, JsonObject> byId = byCustomId(result.out);
        assertThat(byId).containsOnlyKeys("ok-0", "ok-1", "bad-0");
        JsonObject ok = byId.get("ok-0");
        assertThat(ok.get("outcome").getAsString()).isEqualTo("succeeded");
        assertThat(ok.getAsJsonObject("response").get("status_code").getAsInt()).isEqualTo(200);
        assertThat(ok.getAsJsonObject("response")
                        .getAsJsonObject("body")
                        .get("object")
                        .getAsString())
                .isEqualTo("chat.completion");
        assertThat(ok.has("error")).isFalse();
        JsonObject bad = byId.get("bad-0");
        assertThat(bad.get("outcome").getAsString()).isEqualTo("failed");
        assertThat(bad.getAsJsonObject("error").get("code").getAsString()).isEqualTo("processing_error");
        assertThat(bad.getAsJsonObject("error").get("message").getAsString()).isNotBlank();
        assertThat(bad.has("response")).isFalse();
        assertThat(lines(result.out).get(2))
                .as("the output file first, then the error file")
                .contains("\"bad-0\"");
        assertThat(lines(result.err))
                .containsExactly("Batch " + batch.getId() + " (completed): 3 results, 2 succeeded, 1 failed.");
        assertThat(cli.sandbox.requestCount(SandboxOperation.GET_FILE_CONTENT)).isEqualTo(2);
    }

    @Test
    void exitsZeroWhenEveryRequestSucceeded() {
        BatchObject batch = endedBatch(2, 0);

        CliHarness.Result result = cli.run("results", batch.getId(), "-o", "table");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(lines(result.out)).hasSize(2).allMatch(line -> line.startsWith("{\"custom_id\":\"ok-"));
        assertThat(lines(result.err))
                .containsExactly("Batch " + batch.getId() + " (completed): 2 results, 2 succeeded, 0 failed.");
    }

    @Test
    void outWritesTheWholeFileAndReplacesOneOnlyWithForce() throws IOException {
        BatchObject batch = endedBatch(2, 1);
        Path out = cli.dir().resolve("results.jsonl");

        CliHarness.Result written = cli.run("results", batch.getId(), "--out", "results.jsonl");
        CliHarness.Result refused = cli.run("results", batch.getId(), "--out", "results.jsonl");
        Files.write(out, "stale\n".getBytes(StandardCharsets.UTF_8));
        CliHarness.Result forced = cli.run("results", batch.getId(), "--out", "results.jsonl", "--force");

        assertThat(written.exitCode).as(written.toString()).isEqualTo(5);
        assertThat(written.out).isEmpty();
        assertThat(lines(written.err))
                .containsExactly("Batch " + batch.getId()
                        + " (completed): 3 results, 2 succeeded, 1 failed; written to " + out + ".");
        assertThat(refused.exitCode).isEqualTo(2);
        assertThat(lines(refused.err))
                .containsExactly("mka1-batches: results.jsonl already exists:"
                        + " add --force to replace it, or choose another path with --out");
        assertThat(forced.exitCode).isEqualTo(5);
        String text = new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
        assertThat(byCustomId(text)).containsOnlyKeys("ok-0", "ok-1", "bad-0");
        try (Stream<Path> files = Files.list(cli.dir())) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).containsExactly("results.jsonl");
        }
    }

    @Test
    void aBatchStillRunningIsAUsageErrorNamingItsStatus() {
        BatchObject batch = cli.createBatch(cli.inputFile(2, 0));
        cli.clock.advance(Mka1Sandbox.DEFAULT_STEP);

        CliHarness.Result result = cli.run("results", batch.getId());

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(lines(result.err))
                .containsExactly("mka1-batches: batch " + batch.getId()
                        + " is in_progress: it has results once it has ended; wait for it with 'mka1-batches wait "
                        + batch.getId() + "'");
        assertThat(result.out).isEmpty();
        assertThat(cli.sandbox.requestCount(SandboxOperation.GET_FILE_CONTENT)).isZero();
    }

    @Test
    void aCancelledBatchSaysHowManyRequestsHaveNoResult() {
        BatchObject batch = cli.createBatch(cli.inputFile(4, 0));
        cli.clock.advance(Mka1Sandbox.DEFAULT_STEP.multipliedBy(3).dividedBy(2));
        try (Mka1Client client = cli.client()) {
            client.llm().batches().cancel(batch.getId());
        }
        cli.clock.advance(Mka1Sandbox.DEFAULT_STEP.multipliedBy(2));

        CliHarness.Result result = cli.run("results", batch.getId());

        assertThat(result.exitCode).as(result.toString()).isEqualTo(5);
        assertThat(lines(result.out)).hasSize(2);
        assertThat(lines(result.err))
                .containsExactly("Batch " + batch.getId()
                        + " (cancelled): 2 results, 2 succeeded, 0 failed; 2 of 4 requests have no result.");
    }

    @Test
    void aBatchThatFailedHasNoResultsAndExitsFive() {
        BatchObject batch = cli.createBatch("file_000000000000000000000000");
        cli.clock.advance(Mka1Sandbox.DEFAULT_STEP.multipliedBy(2));

        CliHarness.Result result = cli.run("results", batch.getId());

        assertThat(result.exitCode).as(result.toString()).isEqualTo(5);
        assertThat(result.out).isEmpty();
        assertThat(lines(result.err))
                .containsExactly("Batch " + batch.getId() + " (failed): 0 results, 0 succeeded, 0 failed.");
    }

    @Test
    void anUnknownBatchIsNotFound() {
        CliHarness.Result result = cli.run("results", "batch_00000000000000000000000000000000");

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(lines(result.err)).hasSize(1);
        assertThat(result.err).startsWith("mka1-batches: HTTP 404");
    }

    private static BatchObject endedBatch(int ok, int failing) {
        BatchObject batch = cli.createBatch(cli.inputFile(ok, failing));
        cli.clock.advance(Mka1Sandbox.DEFAULT_STEP.multipliedBy(3));
        return batch;
    }

    static Map<String, JsonObject> byCustomId(String jsonLines) {
        return lines(jsonLines).stream()
                .map(line -> JsonParser.parseString(line).getAsJsonObject())
                .collect(Collectors.toMap(json -> json.get("custom_id").getAsString(), Function.identity()));
    }
}
