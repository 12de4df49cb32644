package com.mka1.batches.cli;

import static com.mka1.batches.cli.BatchCommandsTest.lines;
import static com.mka1.batches.cli.ResultsCommandTest.byCustomId;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.sandbox.FaultSpec;
import com.mka1.batches.sandbox.SandboxOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code run} and {@code run --resume}: one result line per input, exit 0 or 5, and a run that survives stopping. */
class RunCommandTest {
    @RegisterExtension
    static final CliHarness cli = new CliHarness();

    @Test
    void writesOneLinePerInputInInputOrderAndExitsFiveWhenARequestFailed() throws IOException {
        input(3, 2);

        CliHarness.Result result = cli.run(
                "run",
                "input.jsonl",
                "--endpoint",
                "/v1/chat/completions",
                "--out",
                "results.jsonl",
                "--work-dir",
                "work",
                "--max-requests-per-batch",
                "2",
                "--metadata",
                "job=nightly");

        assertThat(result.exitCode).as(result.toString()).isEqualTo(5);
        assertThat(result.out).isEmpty();
        List<String> written = lines(read(cli.dir().resolve("results.jsonl")));
        assertThat(written)
                .extracting(line -> line.substring(0, line.indexOf(',')))
                .containsExactly(
                        "{\"custom_id\":\"ok-0\"",
                        "{\"custom_id\":\"ok-1\"",
                        "{\"custom_id\":\"ok-2\"",
                        "{\"custom_id\":\"bad-0\"",
                        "{\"custom_id\":\"bad-1\"");
        Map<String, JsonObject> byId = byCustomId(String.join("\n", written));
        JsonObject ok = byId.get("ok-2");
        assertThat(ok.get("outcome").getAsString()).isEqualTo("succeeded");
        assertThat(ok.getAsJsonObject("response").get("status_code").getAsInt()).isEqualTo(200);
        assertThat(ok.getAsJsonObject("response")
                        .getAsJsonObject("body")
                        .get("object")
                        .getAsString())
                .isEqualTo("chat.completion");
        JsonObject bad = byId.get("bad-1");
        assertThat(bad.get("outcome").getAsString()).isEqualTo("failed");
        assertThat(bad.getAsJsonObject("error").get("code").getAsString()).isEqualTo("processing_error");

        List<BatchObject> batches = batches();
        assertThat(batches)
                .as("5 requests, at most 2 a batch")
                .hasSize(3)
                .allSatisfy(batch -> assertThat(batch.getMetadata()).containsEntry("job", "nightly"));
        assertThat(cli.sandbox.requestCount(SandboxOperation.UPLOAD_FILE)).isEqualTo(3);
        assertThat(byId.values())
                .extracting(line -> line.get("batch_id").getAsString())
                .containsOnlyElementsOf(batches.stream().map(BatchObject::getId).collect(Collectors.toList()));
        List<String> err = lines(result.err);
        assertThat(err.get(0))
                .isEqualTo("Checking input.jsonl, then uploading and creating its batches;"
                        + " the run's state is kept in work.");
        assertThat(err.get(1)).isEqualTo("If this stops, finish the run with: mka1-batches run --resume work");
        assertThat(err)
                .as("plain progress lines, stderr not being a terminal")
                .contains("3/3 batches finished: 5/5 requests done, 2 failed")
                .anyMatch(line -> line.matches("[0-2]/3 batches finished.*"));
        assertThat(err).contains("Its work directory work keeps the parts and downloaded files; delete it when done.");
        assertThat(err)
                .anyMatch(line -> line.startsWith("Run finished: 3 batches (batch_")
                        && line.endsWith("), 5 requests: 3 succeeded, 2 failed, 0 missing; written to results.jsonl."));
        assertThat(cli.dir().resolve("work").resolve("manifest.json")).isRegularFile();
        try (Stream<Path> files = Files.list(cli.dir())) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("input.jsonl", "results.jsonl", "work");
        }
    }

    @Test
    void exitsZeroAndWritesStdoutWhenEveryRequestSucceeded() {
        input(2, 0);

        CliHarness.Result result = cli.run("run", "input.jsonl", "--endpoint", "/v1/chat/completions");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(byCustomId(result.out))
                .containsOnlyKeys("ok-0", "ok-1")
                .allSatisfy((id, line) ->
                        assertThat(line.get("outcome").getAsString()).isEqualTo("succeeded"));
        assertThat(lines(result.err).get(0))
                .startsWith("Checking input.jsonl, then uploading and creating its batches;"
                        + " the run's state is kept in ")
                .contains("mka1-batch-run-");
        assertThat(result.err).contains("1 batch (batch_").contains("2 requests: 2 succeeded, 0 failed, 0 missing.");
    }

    @Test
    void aProgressBarOnATerminal() {
        input(2, 0);
        cli.terminal = true;

        CliHarness.Result result = cli.run("run", "input.jsonl", "--endpoint", "/v1/chat/completions");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(result.err)
                .contains("\rrequests")
                .contains("1/1 batches finished")
                .doesNotContain("1/1 batches finished: 2/2 requests done");
        assertThat(result.err)
                .as("the resume hint on a line of its own, over the bar")
                .containsPattern("\rIf this stops, finish the run with: mka1-batches run --resume \\S+ *\n\rrequests");
    }

    @Test
    void anInputWithProblemsListsEachWithItsLineAndUploadsNothing() throws IOException {
        Files.write(
                cli.dir().resolve("input.jsonl"),
                (String.format(CliHarness.CHAT_LINE, "a", "")
                                + String.format(CliHarness.CHAT_LINE, "a", "")
                                + "{\"custom_id\":\"b\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{}}\n")
                        .getBytes(StandardCharsets.UTF_8));

        CliHarness.Result result =
                cli.run("run", "input.jsonl", "--endpoint", "/v1/chat/completions", "--out", "r.jsonl");

        assertThat(result.exitCode).as(result.toString()).isEqualTo(2);
        List<String> err = lines(result.err);
        assertThat(err).contains("mka1-batches: input.jsonl has 2 problems; nothing was uploaded:");
        assertThat(err).anyMatch(line -> line.startsWith("  line 2: ") && line.contains("a"));
        assertThat(err).anyMatch(line -> line.startsWith("  line 3: ") && line.contains("/v1/embeddings"));
        assertThat(cli.sandbox.requestCount()).isZero();
        assertThat(cli.dir().resolve("r.jsonl")).doesNotExist();
    }

    @Test
    void aRunThatStoppedIsFinishedByResumeWithoutASecondBatch() throws IOException {
        input(3, 1);
        cli.sandbox.injectFault(
                FaultSpec.status(503).on(SandboxOperation.CREATE).times(3));

        CliHarness.Result stopped = cli.run(
                "run",
                "input.jsonl",
                "--endpoint",
                "/v1/chat/completions",
                "--work-dir",
                "work",
                "--max-requests-per-batch",
                "2",
                "--outage-budget",
                "0s");
        CliHarness.Result again =
                cli.run("run", "input.jsonl", "--endpoint", "/v1/chat/completions", "--work-dir", "work");
        CliHarness.Result resumed = cli.run("run", "--resume", "work", "--out", "results.jsonl");

        assertThat(stopped.exitCode).as(stopped.toString()).isEqualTo(4);
        assertThat(lines(stopped.err))
                .contains("The run's state is kept: finish it with 'mka1-batches run --resume work'.")
                .anyMatch(line -> line.startsWith("mka1-batches: HTTP 503"));
        assertThat(again.exitCode).isEqualTo(2);
        assertThat(lines(again.err))
                .containsExactly("mka1-batches: --work-dir work already holds a run: finish it with"
                        + " 'mka1-batches run --resume work', or choose another --work-dir");
        assertThat(resumed.exitCode).as(resumed.toString()).isEqualTo(5);
        assertThat(lines(resumed.err).get(0)).isEqualTo("Resuming the run in work.");
        assertThat(byCustomId(read(cli.dir().resolve("results.jsonl"))))
                .containsOnlyKeys("ok-0", "ok-1", "ok-2", "bad-0");
        assertThat(batches()).as("one batch per part, none twice").hasSize(2);
        assertThat(cli.sandbox.requestCount(SandboxOperation.UPLOAD_FILE))
                .as("each part uploaded once")
                .isEqualTo(2);
    }

    @Test
    void aRunWaitsOutAServerThatFailsLongerThanARequestsRetries() throws IOException {
        input(3, 1);
        cli.sandbox.injectFault(
                FaultSpec.status(503).on(SandboxOperation.CREATE).times(5));

        CliHarness.Result result = cli.run(
                "run",
                "input.jsonl",
                "--endpoint",
                "/v1/chat/completions",
                "--work-dir",
                "work",
                "--max-requests-per-batch",
                "2",
                "--out",
                "results.jsonl");

        assertThat(result.exitCode).as(result.toString()).isEqualTo(5);
        assertThat(byCustomId(read(cli.dir().resolve("results.jsonl"))))
                .containsOnlyKeys("ok-0", "ok-1", "ok-2", "bad-0");
        assertThat(batches()).as("one batch per part, none twice").hasSize(2);
        // The create's 3 attempts failed: the outage is shown (its length depends on the retries'
        // jitter), then its end; the next try's own retries got through.
        List<String> err = lines(result.err);
        assertThat(err)
                .filteredOn(line -> line.contains("outage"))
                .singleElement()
                .asString()
                .matches("0/2 batches finished \\(waiting out an outage: 1 failure in \\d+s\\d*m?s?, next try in 1s\\):"
                        + " 0/4 requests done");
        assertThat(err.get(err.lastIndexOf("0/2 batches finished: 0/4 requests done") - 1))
                .contains("outage");
    }

    @Test
    void resumeAfterATimeoutReportsTheRequestsOfACancelledBatchAsMissing() throws IOException {
        input(4, 0);

        CliHarness.Result timedOut = cli.run(
                "run",
                "input.jsonl",
                "--endpoint",
                "/v1/chat/completions",
                "--work-dir",
                "work",
                "--poll-interval",
                "500ms",
                "--timeout",
                "1s");
        BatchObject batch = batches().get(0);
        try (Mka1Client client = cli.client()) {
            client.llm().batches().cancel(batch.getId());
        }
        CliHarness.Result resumed = cli.run("run", "--resume", "work");

        assertThat(timedOut.exitCode).as(timedOut.toString()).isEqualTo(6);
        assertThat(resumed.exitCode).as(resumed.toString()).isEqualTo(5);
        Map<String, JsonObject> byId = byCustomId(resumed.out);
        assertThat(byId).containsOnlyKeys("ok-0", "ok-1", "ok-2", "ok-3");
        assertThat(byId.values()).allSatisfy(line -> {
            assertThat(line.get("outcome").getAsString()).isEqualTo("missing");
            assertThat(line.get("reason").getAsString()).contains(batch.getId()).contains("cancelled");
        });
        assertThat(resumed.err).contains("4 requests: 0 succeeded, 0 failed, 4 missing.");
    }

    @Test
    void mistakesInTheCommandLineAreNamedBeforeAnyRequest() throws IOException {
        input(1, 0);
        Files.createDirectories(cli.dir().resolve("empty"));
        Files.write(cli.dir().resolve("taken.jsonl"), new byte[0]);

        assertUsage(
                cli.run("run"),
                "mka1-batches: missing INPUT: give a JSONL input file, or --resume DIR to finish a run");
        assertUsage(
                cli.run("run", "input.jsonl"),
                "mka1-batches: missing --endpoint: the url of every line of INPUT, e.g. /v1/chat/completions");
        assertUsage(
                cli.run("run", "nope.jsonl", "--endpoint", "/v1/embeddings"),
                "mka1-batches: INPUT nope.jsonl is not a readable file");
        assertUsage(
                cli.run("run", "input.jsonl", "--endpoint", "v1/embeddings"),
                "mka1-batches: --endpoint must be a path starting with '/', was 'v1/embeddings'");
        assertUsage(
                cli.run("run", "input.jsonl", "--endpoint", "/v1/embeddings", "--max-requests-per-batch", "0"),
                "mka1-batches: --max-requests-per-batch must be at least 1, was 0");
        assertUsage(
                cli.run("run", "input.jsonl", "--endpoint", "/v1/embeddings", "--max-attempts", "0"),
                "mka1-batches: --max-attempts must be at least 1, was 0");
        assertUsage(
                cli.run("run", "input.jsonl", "--endpoint", "/v1/embeddings", "--work-dir", "input.jsonl"),
                "mka1-batches: --work-dir input.jsonl is not a directory");
        assertUsage(
                cli.run("run", "input.jsonl", "--endpoint", "/v1/embeddings", "--out", "taken.jsonl"),
                "mka1-batches: taken.jsonl already exists: add --force to replace it, or choose another path with --out");
        assertUsage(
                cli.run("run", "--resume", "empty"),
                "mka1-batches: --resume empty holds no run (no manifest.json in it):"
                        + " a run stopped before its input was checked and split sent nothing; start it again with INPUT, --endpoint"
                        + " and --work-dir empty");
        assertUsage(
                cli.run("run", "input.jsonl", "--resume", "empty", "--endpoint", "/v1/embeddings"),
                "mka1-batches: --resume continues a run as it was started: drop INPUT, --endpoint");
        assertThat(cli.sandbox.requestCount()).isZero();
    }

    @Test
    void aRunStoppedWhileSplittingItsInputIsNotOfferedToResumeAndStartsOverInItsWorkDir() throws IOException {
        input(3, 1);
        Path work = Files.createDirectories(cli.dir().resolve("work"));
        // As a kill in the middle of the split leaves it: a part cut short, no manifest.
        Files.write(work.resolve("part-0001.jsonl"), "{\"custom_id\":\"ok-0\",\"meth".getBytes(StandardCharsets.UTF_8));

        CliHarness.Result resumed = cli.run("run", "--resume", "work");
        CliHarness.Result again =
                cli.run("run", "input.jsonl", "--endpoint", "/v1/chat/completions", "--work-dir", "work");

        assertThat(resumed.exitCode).as(resumed.toString()).isEqualTo(2);
        assertThat(lines(resumed.err))
                .containsExactly("mka1-batches: --resume work holds no run (no manifest.json in it):"
                        + " a run stopped before its input was checked and split sent nothing; start it again with INPUT, --endpoint"
                        + " and --work-dir work");
        assertThat(again.exitCode).as(again.toString()).isEqualTo(5);
        assertThat(byCustomId(again.out)).containsOnlyKeys("ok-0", "ok-1", "ok-2", "bad-0");
        assertThat(lines(again.err).get(1))
                .isEqualTo("If this stops, finish the run with: mka1-batches run --resume work");
    }

    @Test
    void aWorkDirThatCannotBeWrittenExitsSevenAndOffersNoResume() throws IOException {
        input(2, 0);
        Path part = Files.createDirectories(cli.dir().resolve("work").resolve("part-0001.jsonl"));

        CliHarness.Result result =
                cli.run("run", "input.jsonl", "--endpoint", "/v1/chat/completions", "--work-dir", "work");

        assertThat(result.exitCode).as(result.toString()).isEqualTo(7);
        assertThat(lines(result.err))
                .hasSize(3)
                .contains("The run stopped before its input was checked and split: nothing was sent; start it again.");
        assertThat(lines(result.err).get(1)).startsWith("mka1-batches: could not create the run's part " + part + ": ");
        assertThat(result.err).doesNotContain("--resume");
        assertThat(cli.sandbox.requestCount()).isZero();
    }

    private static void assertUsage(CliHarness.Result result, String message) {
        assertThat(result.exitCode).as(result.toString()).isEqualTo(2);
        assertThat(lines(result.err)).containsExactly(message);
    }

    @Test
    void maxAttemptsBoundsHowOftenATransientFailureIsSentAgain() throws IOException {
        // Each custom_id is answered 503 the first time the sandbox runs it, then normally.
        for (String id : List.of("once", "twice")) {
            String line = "{\"custom_id\":\"" + id + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                    + "\"body\":{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                    + "\"sandbox_status\":503,\"sandbox_times\":1}}\n";
            Files.write(cli.dir().resolve(id + ".jsonl"), line.getBytes(StandardCharsets.UTF_8));
        }

        CliHarness.Result once = cli.run(
                "run", "once.jsonl", "--endpoint", "/v1/chat/completions", "--out", "once.out", "--max-attempts", "1");
        CliHarness.Result twice = cli.run(
                "run",
                "twice.jsonl",
                "--endpoint",
                "/v1/chat/completions",
                "--out",
                "twice.out",
                "--max-attempts",
                "2");

        assertThat(once.exitCode).as(once.toString()).isEqualTo(5);
        JsonObject failed = byCustomId(read(cli.dir().resolve("once.out"))).get("once");
        assertThat(failed.get("outcome").getAsString()).isEqualTo("failed");
        assertThat(failed.getAsJsonArray("attempts")).hasSize(1);
        assertThat(twice.exitCode).as(twice.toString()).isEqualTo(0);
        JsonObject succeeded = byCustomId(read(cli.dir().resolve("twice.out"))).get("twice");
        assertThat(succeeded.get("outcome").getAsString()).isEqualTo("succeeded");
        assertThat(succeeded.getAsJsonArray("attempts")).hasSize(2);
        assertThat(batches()).hasSize(3);
    }

    private void input(int ok, int failing) {
        try {
            Files.write(
                    cli.dir().resolve("input.jsonl"),
                    CliHarness.jsonl(ok, failing).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<BatchObject> batches() {
        try (Mka1Client client = cli.client()) {
            return client.llm().batches().list(ListBatchesParams.none()).autoPager().stream()
                    .collect(Collectors.toList());
        }
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
