package com.mka1.batches.cli;

import static com.mka1.batches.cli.BatchCommandsTest.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.models.BatchObject;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxOperation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code wait}: polls until the batch ends, draws the progress bar on stderr and exits by how it
 * ended. The harness's sleeper advances the sandbox clock, so no test really sleeps.
 */
class WaitCommandTest {
    @RegisterExtension
    static final CliHarness cli = new CliHarness();

    @Test
    void waitsForACompletedBatchWithAProgressBarOnATerminal() {
        BatchObject batch = cli.createBatch(cli.inputFile(3, 1));
        Instant start = cli.clock.instant();
        cli.terminal = true;

        CliHarness.Result result = cli.run("wait", batch.getId(), "--poll-interval", "500ms");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(lines(result.out).get(1))
                .startsWith(batch.getId())
                .contains(" completed ")
                .endsWith("3/4 ok, 1 failed");
        String[] frames = result.err.split("\r");
        assertThat(frames[frames.length - 1]).contains("100%").contains("4/4").contains("completed, 1 failed");
        assertThat(result.err).contains("in_progress");
        assertThat(cli.clock.instant())
                .as("the sandbox clock moved: a batch needs three steps")
                .isAfterOrEqualTo(start.plus(Mka1Sandbox.DEFAULT_STEP.multipliedBy(3)));
    }

    @Test
    void elsewhereProgressIsOnePlainLinePerChange() {
        BatchObject batch = cli.createBatch(cli.inputFile(3, 1));

        CliHarness.Result result = cli.run("wait", batch.getId(), "--poll-interval", "500ms");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(result.err).doesNotContain("\r").doesNotContain("%");
        List<String> progress = lines(result.err);
        assertThat(progress).first().isEqualTo("validating: 0/4 requests done");
        assertThat(progress).contains("in_progress: 0/4 requests done");
        assertThat(progress).last().isEqualTo("completed: 4/4 requests done, 1 failed");
        assertThat(progress).allMatch(line -> line.matches("[a-z_]+: [0-4]/4 requests done(, 1 failed)?"));
        for (int i = 1; i < progress.size(); i++) {
            assertThat(progress.get(i)).as("a line only when something changed").isNotEqualTo(progress.get(i - 1));
        }
        assertThat(cli.sandbox.requestCount(SandboxOperation.GET))
                .as("more polls than lines")
                .isGreaterThan(progress.size());
        assertThat(lines(result.out).get(1)).startsWith(batch.getId()).contains(" completed ");
        assertThat(lines(result.out).get(2)).matches("output_file_id: file_[0-9a-f]{24}");
        assertThat(lines(result.out).get(3)).matches("error_file_id:  file_[0-9a-f]{24}");
    }

    @Test
    void theRealContextSeesNoTerminalWhenStderrIsNotOne() {
        // Surefire's forked JVM has its standard streams on pipes, as under CI or with 2>log.
        assertThat(CliContext.system().terminal).isFalse();
    }

    @Test
    void aFailedBatchExitsFive() {
        BatchObject batch = cli.createBatch("file_000000000000000000000000");

        CliHarness.Result result = cli.run("wait", batch.getId());

        assertThat(result.exitCode).as(result.toString()).isEqualTo(5);
        assertThat(result.out).contains(" failed ");
        assertThat(result.err).contains("ended failed");
    }

    @Test
    void aCancelledBatchExitsFive() {
        BatchObject batch = cli.createBatch(cli.inputFile(2, 0));
        cli.run("cancel", batch.getId());

        CliHarness.Result result = cli.run("wait", batch.getId(), "--output", "json");

        assertThat(result.exitCode).as(result.toString()).isEqualTo(5);
        assertThat(BatchPrinter.GSON
                        .fromJson(result.out, BatchObject.class)
                        .getStatus()
                        .getValue())
                .isEqualTo("cancelled");
    }

    @Test
    void aTimeoutBeforeTheBatchEndsExitsSix() {
        BatchObject batch = cli.createBatch(cli.inputFile(2, 0));

        CliHarness.Result result = cli.run("wait", batch.getId(), "--poll-interval", "1s", "--timeout", "3s");

        assertThat(result.exitCode).as(result.toString()).isEqualTo(6);
        assertThat(lines(result.err).get(lines(result.err).size() - 1))
                .isEqualTo("mka1-batches: Batch " + batch.getId()
                        + " is still in_progress (1/2 ok, 0 failed) after waiting 3s");
        assertThat(result.out).isEmpty();
    }

    @Test
    void anUnreadableDurationIsAUsageError() {
        CliHarness.Result result = cli.run("wait", "batch_00000000000000000000000000000000", "--timeout", "soon");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.err).contains("'soon' is not a duration");
        assertThat(cli.sandbox.requestCount()).isZero();
    }

    @Test
    void durationsAreReadAndPrintedInTheSameShortForm() {
        BatchObject batch = cli.createBatch(cli.inputFile(2, 0));

        CliHarness.Result result = cli.run("wait", batch.getId(), "--poll-interval", "500ms", "--timeout", "1s500ms");

        assertThat(result.exitCode).as(result.toString()).isEqualTo(6);
        assertThat(lines(result.err).get(lines(result.err).size() - 1)).endsWith(" after waiting 1s500ms");
    }
}
