package com.mka1.batches.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxOperation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code demo} end to end: no API key, an uploaded input, a completed batch, its results, the same as one run, a cancelled batch. */
class DemoCommandTest {
    @RegisterExtension
    static final CliHarness cli = new CliHarness();

    @Test
    void showsACompletedBatchWithItsResultsAndACancelledOne() {
        cli.env.clear();

        CliHarness.Result result = cli.run("demo");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(result.out)
                .contains("1. Started the sandbox")
                .containsPattern("Uploaded it: files.upload\\(path, FilePurpose.BATCH\\)\\R"
                        + " +file_[0-9a-f]{24}: mka1-demo-input-\\d+\\.jsonl, \\d+ bytes, purpose batch")
                .containsPattern("The batch batch_[0-9a-f]{32} is completed: 3/4 ok, 1 failed\\.")
                .containsPattern("Read the results: batches.results\\(id\\) streams output_file_id file_[0-9a-f]{24},"
                        + " then error_file_id file_[0-9a-f]{24}")
                .contains("capital-of-france: What is the capital of France?")
                .contains("-> 200 Sandbox reply to: What is the capital of France?")
                .contains("deliberate-failure: This request asks the sandbox to fail it.")
                .contains("-> FAILED processing_error")
                .containsPattern("Ran the same input as one job: batches.run\\(params\\).*\\R"
                        + " +1 batch \\[batch_[0-9a-f]{32}\\]; 4 requests: 3 succeeded, 1 failed, 0 missing\\R"
                        + " +capital-of-france: 200 Sandbox reply to: What is the capital of France\\?\\R"
                        + "(?s).*deliberate-failure: FAILED processing_error")
                .containsPattern("batch_[0-9a-f]{32}: validating -> cancelling")
                .containsPattern("batch_[0-9a-f]{32}: cancelled");
        assertThat(result.err)
                .contains("completed: 4/4 requests done, 1 failed")
                .contains("cancelled")
                .contains("1/1 batches finished: 4/4 requests done, 1 failed")
                .doesNotContain("\r");
    }

    @Test
    void goesThroughTheFilesEndpointsAsAgainstMka1() {
        cli.env.clear();

        CliHarness.Result result = cli.run("demo");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(cli.started).hasSize(1);
        Mka1Sandbox demos = cli.started.get(0);
        assertThat(demos.requestCount(SandboxOperation.UPLOAD_FILE))
                .as("the input is uploaded over HTTP, by the demo and by batches.run")
                .isEqualTo(2);
        assertThat(demos.requests(SandboxOperation.UPLOAD_FILE).get(0).header("Authorization"))
                .hasValue("Bearer " + demos.apiKey());
        assertThat(demos.requestCount(SandboxOperation.CREATE)).isEqualTo(3);
        assertThat(demos.requestCount(SandboxOperation.GET_FILE_CONTENT))
                .as("the output and error files, read over HTTP by results(id) and by run")
                .isEqualTo(4);
    }
}
