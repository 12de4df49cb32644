package com.mka1.batches.cli;

import static com.mka1.batches.cli.BatchCommandsTest.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code --on-behalf-of} and {@code MKA1_ON_BEHALF_OF}: the X-On-Behalf-Of header of every request a command sends. */
class OnBehalfOfOptionTest {
    @RegisterExtension
    static final CliHarness cli = new CliHarness();

    private static List<Optional<String>> onBehalfOfHeaders(Mka1Sandbox sandbox) {
        return sandbox.requests().stream().map(r -> r.header("X-On-Behalf-Of")).collect(Collectors.toList());
    }

    @Test
    void theFlagIsSentWithEveryRequest() throws IOException {
        Files.write(cli.dir().resolve("input.jsonl"), CliHarness.jsonl(2, 0).getBytes(StandardCharsets.UTF_8));

        CliHarness.Result result = cli.run("create", "--input-file", "input.jsonl", "--on-behalf-of", "user_1234");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(cli.sandbox.requests()).extracting(SandboxRequest::method).containsExactly("POST", "POST");
        assertThat(onBehalfOfHeaders(cli.sandbox)).containsExactly(Optional.of("user_1234"), Optional.of("user_1234"));
    }

    @Test
    void theEnvironmentVariableIsSentWhenNoFlagIsGiven() {
        cli.env.put("MKA1_ON_BEHALF_OF", "user_from_env");

        CliHarness.Result result = cli.run("list");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(onBehalfOfHeaders(cli.sandbox)).containsExactly(Optional.of("user_from_env"));
    }

    @Test
    void theFlagWinsOverTheEnvironment() {
        cli.env.put("MKA1_ON_BEHALF_OF", "user_from_env");

        CliHarness.Result result = cli.run("list", "--on-behalf-of", "user_from_flag");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(onBehalfOfHeaders(cli.sandbox)).containsExactly(Optional.of("user_from_flag"));
    }

    @Test
    void withNeitherNoHeaderIsSent() {
        CliHarness.Result result = cli.run("list");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(onBehalfOfHeaders(cli.sandbox)).containsExactly(Optional.empty());
    }

    @Test
    void theEmbeddedSandboxGetsItToo() {
        CliHarness.Result result = cli.run("list", "--sandbox", "--on-behalf-of", "user_1234");

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(cli.started).hasSize(1);
        assertThat(onBehalfOfHeaders(cli.started.get(0))).containsExactly(Optional.of("user_1234"));
    }

    @Test
    void aValueThatCannotBeAHeaderIsAUsageErrorNamingItsSourceBeforeAnyRequest() {
        CliHarness.Result flag = cli.run("list", "--on-behalf-of", "user\u0007");
        cli.env.put("MKA1_ON_BEHALF_OF", "caf\u00e9\u2603");
        CliHarness.Result env = cli.run("list", "--sandbox");

        assertThat(flag.exitCode).isEqualTo(2);
        assertThat(lines(flag.err))
                .containsExactly("mka1-batches: --on-behalf-of contains a character not allowed"
                        + " in an HTTP header (code point 7 at index 4)");
        assertThat(env.exitCode).isEqualTo(2);
        assertThat(lines(env.err))
                .containsExactly("mka1-batches: MKA1_ON_BEHALF_OF contains a character not allowed"
                        + " in an HTTP header (code point 9731 at index 4)");
        assertThat(cli.sandbox.requestCount()).isZero();
        assertThat(cli.started).as("no sandbox started for a command refused").isEmpty();
    }
}
