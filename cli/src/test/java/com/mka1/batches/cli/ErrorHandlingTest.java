package com.mka1.batches.cli;

import static com.mka1.batches.cli.BatchCommandsTest.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.sandbox.FaultSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Failures become one line on stderr and a documented exit code; stack traces only with --verbose. */
class ErrorHandlingTest {
    @RegisterExtension
    static final CliHarness cli = new CliHarness();

    static final String MISSING = "batch_0123456789abcdef0123456789abcdef";

    /** A message can quote the server: it reaches the terminal as one line, its escapes shown. */
    @Test
    void anErrorLineShowsControlAndBidiCharactersEscaped() {
        IllegalStateException e = new IllegalStateException(
                "HTTP 500: \u001b[2Jwiped\nnext line", new RuntimeException("caused by \u202eevil"));

        assertThat(Mka1BatchesCli.describe(e)).isEqualTo("HTTP 500: \\u001b[2Jwiped next line (caused by \\u202eevil)");
    }

    @Test
    void aMissingApiKeyIsAUsageErrorThatSaysWhatToSet() {
        cli.env.remove("MKA1_API_KEY");

        CliHarness.Result result = cli.run("list");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(lines(result.err))
                .containsExactly(
                        "mka1-batches: no API key: set MKA1_API_KEY or pass --api-key (or add --sandbox to try the tool without one)");
        assertThat(cli.sandbox.requestCount()).isZero();
    }

    @Test
    void theApiKeyFlagWinsOverTheEnvironment() {
        cli.env.put("MKA1_API_KEY", "sk-wrong");

        CliHarness.Result result = cli.run("list", "--api-key", cli.sandbox.apiKey());

        assertThat(result.exitCode).as(result.toString()).isZero();
    }

    @Test
    void anUnknownBatchIsOneLineAndExitOne() {
        CliHarness.Result result = cli.run("get", MISSING);

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(lines(result.err)).hasSize(1);
        assertThat(result.err).startsWith("mka1-batches: HTTP 404").doesNotContain("\tat ");
        assertThat(result.out).isEmpty();
    }

    @Test
    void aRejectedKeyIsExitEightAndTheKeyIsNeverPrinted() {
        String secret = "sk-very-secret-4242";

        CliHarness.Result result = cli.run("list", "--api-key", secret, "--verbose");

        assertThat(result.exitCode).as(result.toString()).isEqualTo(8);
        assertThat(result.err).contains("HTTP 401").doesNotContain(secret);
        assertThat(result.out).doesNotContain(secret);
    }

    @Test
    void verbosePrintsTheStackTrace() {
        CliHarness.Result result = cli.run("--verbose", "get", MISSING);

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(lines(result.err).get(0)).startsWith("mka1-batches: HTTP 404");
        assertThat(result.err).contains("NotFoundException").contains("\tat ");
    }

    @Test
    void aForbiddenCallIsExitEight() {
        cli.sandbox.injectFault(FaultSpec.status(403).body("{\"error\": \"not allowed for this user\"}"));

        CliHarness.Result result = cli.run("get", MISSING, "--on-behalf-of", "user_1234");

        assertThat(result.exitCode).as(result.toString()).isEqualTo(8);
        assertThat(lines(result.err)).hasSize(1);
        assertThat(result.err).startsWith("mka1-batches: HTTP 403");
    }

    @Test
    void rateLimitingPastTheRetriesIsExitNine() {
        cli.sandbox.injectFault(FaultSpec.status(429).retryAfterSeconds(1).times(3));

        CliHarness.Result result = cli.run("list");

        assertThat(result.exitCode).as(result.toString()).isEqualTo(9);
        assertThat(lines(result.err)).hasSize(1);
        assertThat(result.err).startsWith("mka1-batches: HTTP 429");
        assertThat(cli.sandbox.requestCount())
                .as("the client's retries ran first")
                .isEqualTo(3);
    }

    @Test
    void aServerErrorIsExitFour() {
        cli.sandbox.injectFault(FaultSpec.status(503).times(3));

        CliHarness.Result result = cli.run("list");

        assertThat(result.exitCode).as(result.toString()).isEqualTo(4);
        assertThat(lines(result.err)).hasSize(1);
        assertThat(result.err).contains("HTTP 503");
    }

    @Test
    void anUnreachableApiIsExitThree() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        cli.env.put("MKA1_BASE_URL", "http://127.0.0.1:" + closedPort);

        CliHarness.Result result = cli.run("get", MISSING);

        assertThat(result.exitCode).as(result.toString()).isEqualTo(3);
        assertThat(lines(result.err)).hasSize(1);
        assertThat(result.err).startsWith("mka1-batches: ").contains("127.0.0.1:" + closedPort);
    }

    @Test
    void anInvalidBaseUrlIsAUsageError() {
        CliHarness.Result result = cli.run("list", "--base-url", "ftp://example.com");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(lines(result.err))
                .containsExactly("mka1-batches: --base-url must be an http or https URL, was 'ftp://example.com'");
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithAHint() {
        CliHarness.Result result = cli.run("list", "--limt", "5");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.err)
                .contains("Unknown option")
                .contains("'--limt'")
                .contains("--limit")
                .contains("Try 'mka1-batches list --help'");
    }

    @Test
    void helpListsTheCommandsAndExitCodes() {
        CliHarness.Result result = cli.run("--help");

        assertThat(result.exitCode).isZero();
        assertThat(result.out)
                .contains("run", "create", "list", "get", "cancel", "wait", "results", "files", "demo")
                .contains("Exit codes:")
                .contains("3   network failure or timeout")
                .contains("7   a local file could not be created, read, written, moved or locked")
                .contains("8   not authorized: the API key was refused (401) or may not do this (403)")
                .contains("--on-behalf-of=USER");
        assertThat(result.out.replaceAll("\\s+", " "))
                .contains(
                        "5 wait: the batch ended failed, expired or cancelled; results, run: a request failed or has no result")
                .contains("6 wait, run: --timeout ran out before the batch ended (run --resume goes on)")
                .contains("9 rate limited: the API still answered 429 after the client's retries; try again later");
    }

    @Test
    void filesAloneSaysWhichCommandsItHas() {
        CliHarness.Result result = cli.run("files");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(lines(result.err).get(0))
                .isEqualTo("mka1-batches: files needs a command: upload, list, get, download or delete");
        assertThat(result.err).contains("Try 'mka1-batches files --help'");
        assertThat(cli.run("files", "--help").out).contains("upload", "list", "get", "download", "delete");
    }
}
