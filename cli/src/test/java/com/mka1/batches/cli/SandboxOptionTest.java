package com.mka1.batches.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --sandbox} runs a command against a sandbox started for it: no key, no network. */
class SandboxOptionTest {
    static final CliHarness cli = new CliHarness();

    @BeforeEach
    void reset() {
        cli.reset();
        cli.env.clear();
    }

    @AfterAll
    static void stop() {
        cli.close();
    }

    @Test
    void needsNoApiKey() {
        CliHarness.Result result = cli.run("--sandbox", "list");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(result.out).contains("(no batches)");
        assertThat(result.err).contains("Using an embedded sandbox at http://127.0.0.1:");
        assertThat(cli.sandbox.requestCount()).as("not the harness's own sandbox").isZero();
    }

    @Test
    void createRegistersALocalInputFileAndWaitFollowsIt(@TempDir Path dir) throws IOException {
        Path input = dir.resolve("requests.jsonl");
        Files.write(input, String.format(CliHarness.CHAT_LINE, "r1", "").getBytes(StandardCharsets.UTF_8));

        CliHarness.Result result = cli.run("create", "--sandbox", "--input-file", input.toString());

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(result.err).contains("Registered " + input + " in the sandbox as file_");
        assertThat(result.out).contains(" validating ").contains("0/1 ok");
    }

    @Test
    void aLocalInputFileNeedsTheSandbox(@TempDir Path dir) {
        cli.env.put("MKA1_API_KEY", cli.sandbox.apiKey());
        cli.env.put("MKA1_BASE_URL", cli.sandbox.baseUrl());

        CliHarness.Result result = cli.run("create", "--input-file", dir.resolve("x.jsonl").toString());

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.err).contains("--input-file needs --sandbox");
        assertThat(cli.sandbox.requestCount()).isZero();
    }
}
