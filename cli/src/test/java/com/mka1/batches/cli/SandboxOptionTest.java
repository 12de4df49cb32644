package com.mka1.batches.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.sandbox.SandboxOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code --sandbox} runs a command against a sandbox started for it: no key, no network. */
class SandboxOptionTest {
    @RegisterExtension
    static final CliHarness cli = new CliHarness();

    @BeforeEach
    void noCredentials() {
        cli.env.clear();
    }

    @Test
    void needsNoApiKey() {
        CliHarness.Result result = cli.run("--sandbox", "list");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(result.out).contains("(no batches)");
        assertThat(result.err).contains("Using an embedded sandbox at http://127.0.0.1:");
        assertThat(cli.sandbox.requestCount())
                .as("not the harness's own sandbox")
                .isZero();
    }

    @Test
    void createUploadsALocalInputFileToTheEmbeddedSandbox(@TempDir Path dir) throws IOException {
        Path input = dir.resolve("requests.jsonl");
        Files.write(input, String.format(CliHarness.CHAT_LINE, "r1", "").getBytes(StandardCharsets.UTF_8));

        CliHarness.Result result = cli.run("create", "--sandbox", "--input-file", input.toString());

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(result.err)
                .containsPattern("Uploaded " + Pattern.quote(input.toString()) + " \\(" + Files.size(input)
                        + " bytes\\) as file_[0-9a-f]{24}\\.");
        assertThat(result.out).contains(" validating ").contains("0/1 ok");
        assertThat(cli.started).hasSize(1);
        assertThat(cli.started.get(0).requestCount(SandboxOperation.UPLOAD_FILE))
                .isEqualTo(1);
        assertThat(cli.sandbox.requestCount())
                .as("not the harness's own sandbox")
                .isZero();
    }
}
