package com.mka1.batches.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@code demo} end to end: no API key, a completed batch, its results, a cancelled second batch. */
class DemoCommandTest {
    static final CliHarness cli = new CliHarness();

    @AfterAll
    static void stop() {
        cli.close();
    }

    @Test
    void showsACompletedBatchWithItsResultsAndACancelledOne() {
        cli.env.clear();

        CliHarness.Result result = cli.run("demo");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(result.out)
                .contains("1. Started the sandbox")
                .containsPattern("The batch batch_[0-9a-f]{32} is completed: 3/4 ok, 1 failed\\.")
                .contains("capital-of-france: What is the capital of France?")
                .contains("-> 200 Sandbox reply to: What is the capital of France?")
                .contains("deliberate-failure: This request asks the sandbox to fail it.")
                .contains("-> FAILED processing_error")
                .containsPattern("batch_[0-9a-f]{32}: validating -> cancelling")
                .containsPattern("batch_[0-9a-f]{32}: cancelled");
        assertThat(result.err).contains("completed: 4/4 requests done, 1 failed").contains("cancelled")
                .doesNotContain("\r");
    }
}
