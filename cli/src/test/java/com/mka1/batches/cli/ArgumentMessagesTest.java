package com.mka1.batches.cli;

import static com.mka1.batches.cli.BatchCommandsTest.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.ListBatchesResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mistake in what the tool was given is reported in the tool's terms (BATCH_ID, --limit,
 * MKA1_BASE_URL), before any request, and never with the client library's Java names
 * ({@code batchId}, {@code allowInsecureHttp(true)}).
 */
class ArgumentMessagesTest {
    @RegisterExtension
    static final CliHarness cli = new CliHarness();

    /** One line on stderr, exit 2, nothing on stdout, no request sent. */
    private static void assertUsageError(CliHarness.Result result, String message) {
        assertThat(result.exitCode).as(result.toString()).isEqualTo(2);
        assertThat(lines(result.err)).containsExactly("mka1-batches: " + message);
        assertThat(result.out).isEmpty();
        assertThat(cli.sandbox.requestCount()).isZero();
    }

    @Test
    void aBlankBatchIdNamesTheParameter() {
        assertUsageError(cli.run("get", ""), "BATCH_ID must not be blank");
        assertUsageError(cli.run("cancel", " "), "BATCH_ID must not be blank");
        assertUsageError(cli.run("wait", ""), "BATCH_ID must not be blank");
    }

    @Test
    void aDotBatchIdNamesTheParameter() {
        assertUsageError(cli.run("get", ".."), "BATCH_ID must not be '.' or '..', was '..'");
    }

    @Test
    void anOutOfRangeLimitNamesTheFlag() {
        assertUsageError(cli.run("list", "--limit", "101"), "--limit must be between 1 and 100, was 101");
        assertUsageError(cli.run("list", "--all", "--limit", "0"), "--limit must be between 1 and 100, was 0");
    }

    @Test
    void aBlankAfterNamesTheFlag() {
        assertUsageError(cli.run("list", "--after", ""), "--after must not be blank");
    }

    @Test
    void createNamesItsFlags() {
        assertUsageError(cli.run("create", "--input-file-id", " "), "--input-file-id must not be blank");
        assertUsageError(
                cli.run("create", "--input-file-id", "file_1", "--endpoint", "v1/embeddings"),
                "--endpoint must be a path starting with '/', was 'v1/embeddings'");
        assertUsageError(
                cli.run("create", "--input-file-id", "file_1", "--completion-window", ""),
                "--completion-window must not be blank");
    }

    @Test
    void aMissingLocalInputFileIsReportedBeforeTheSandboxStarts(@TempDir Path dir) {
        Path missing = dir.resolve("missing.jsonl");

        CliHarness.Result result = cli.run("--sandbox", "create", "--input-file", missing.toString());

        assertThat(result.exitCode).as(result.toString()).isEqualTo(2);
        assertThat(lines(result.err))
                .containsExactly("mka1-batches: --input-file " + missing + " is not a readable file");
    }

    @Test
    void aMissingLocalInputFileIsReportedBeforeTheMissingKey(@TempDir Path dir) {
        cli.env.clear();
        Path missing = dir.resolve("x.jsonl");

        CliHarness.Result result = cli.run("create", "--input-file", missing.toString());

        assertUsageError(result, "--input-file " + missing + " is not a readable file");
    }

    @Test
    void fileCommandsNameTheirParametersAndFlags(@TempDir Path dir) {
        assertUsageError(cli.run("files", "get", " "), "FILE_ID must not be blank");
        assertUsageError(cli.run("files", "delete", ".."), "FILE_ID must not be '.' or '..', was '..'");
        assertUsageError(cli.run("files", "download", ""), "FILE_ID must not be blank");
        assertUsageError(
                cli.run("files", "list", "--limit", "10001"), "--limit must be between 1 and 10000, was 10001");
        assertUsageError(cli.run("files", "list", "--after", ""), "--after must not be blank");
        assertUsageError(
                cli.run("files", "upload", dir.resolve("none.jsonl").toString()),
                "PATH " + dir.resolve("none.jsonl") + " is not a readable file");
        assertUsageError(cli.run("results", ""), "BATCH_ID must not be blank");
    }

    @Test
    void aPurposeIsSpelledAsTheApiSpellsIt(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("f.jsonl"), new byte[] {'x'});

        CliHarness.Result wrongCase = cli.run("files", "upload", file.toString(), "--purpose", "BATCH");
        CliHarness.Result evals = cli.run("files", "upload", file.toString(), "--purpose", "evals");
        CliHarness.Result listing = cli.run("files", "list", "--purpose", "fine_tune");

        assertThat(wrongCase.exitCode).isEqualTo(2);
        assertThat(lines(wrongCase.err).get(0))
                .isEqualTo("mka1-batches: Invalid value for option '--purpose':"
                        + " 'BATCH' is not a purpose; use one of batch, assistants, fine-tune, vision, user_data");
        assertThat(lines(evals.err).get(0))
                .endsWith(
                        "'evals' is a purpose to list files by, not to upload with; use one of batch, assistants, fine-tune, vision, user_data");
        assertThat(lines(listing.err).get(0))
                .endsWith(
                        "'fine_tune' is not a purpose; use one of batch, assistants, fine-tune, vision, user_data, evals");
        assertThat(cli.sandbox.requestCount()).isZero();
    }

    @Test
    void metadataWithoutAnEqualsSignSaysOptionOnce() {
        CliHarness.Result result = cli.run("create", "--input-file-id", "file_1", "--metadata", "team");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(lines(result.err).get(0))
                .isEqualTo(
                        "mka1-batches: Invalid value for option '--metadata' (KEY=VALUE): 'team' has no '=' (e.g. team=search)");
        assertThat(result.err).doesNotContain("option option").contains("Try 'mka1-batches create --help'");
        assertThat(cli.sandbox.requestCount()).isZero();
    }

    @Test
    void metadataSplitsAtTheFirstEqualsSign() {
        String fileId = cli.inputFile(1, 0);

        CliHarness.Result result = cli.run(
                "create", "--input-file-id", fileId, "--metadata", "query=a=b", "--metadata", "note=", "-o", "json");

        assertThat(result.exitCode).as(result.toString()).isZero();
        BatchObject created = BatchPrinter.GSON.fromJson(result.out, BatchObject.class);
        assertThat(created.getMetadata()).containsEntry("query", "a=b").containsEntry("note", "");
    }

    @Test
    void anApiKeyWithASpaceNamesWhereItCameFrom() {
        assertUsageError(
                cli.run("list", "--api-key", "sk-a b"),
                "--api-key contains a whitespace or non-ASCII character at index 4");

        cli.env.put("MKA1_API_KEY", "sk-\u00e9");
        assertUsageError(cli.run("list"), "MKA1_API_KEY contains a whitespace or non-ASCII character at index 3");
    }

    @Test
    void anInvalidBaseUrlNamesWhereItCameFrom() {
        assertUsageError(
                cli.run("list", "--base-url", "ftp://example.com"),
                "--base-url must be an http or https URL, was 'ftp://example.com'");

        cli.env.put("MKA1_BASE_URL", "https://apigw.mka1.com/?x=1");
        assertUsageError(
                cli.run("list"), "MKA1_BASE_URL must not have a query or fragment, was 'https://apigw.mka1.com/?x=1'");
    }

    @Test
    void plainHttpToAnotherHostNamesTheFlagThatAllowsIt() {
        assertUsageError(
                cli.run("list", "--base-url", "http://example.com"),
                "--base-url uses plain http to the non-loopback host 'example.com':"
                        + " use https, or add --allow-insecure-http if you really mean it");

        cli.env.put("MKA1_BASE_URL", "http://10.0.0.7:8080");
        CliHarness.Result result = cli.run("list");
        assertUsageError(
                result,
                "MKA1_BASE_URL uses plain http to the non-loopback host '10.0.0.7':"
                        + " use https, or add --allow-insecure-http if you really mean it");
        assertThat(result.err).doesNotContain("allowInsecureHttp");
    }

    @Test
    void theAllowInsecureHttpFlagLetsPlainHttpThrough() throws IOException {
        // 0.0.0.0 is not a loopback address to the client, but on Linux a connection to it reaches
        // 127.0.0.1, where the sandbox listens: the flag's effect shows on the wire, offline.
        String url = "http://0.0.0.0:" + cli.sandbox.port();
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("0.0.0.0", cli.sandbox.port()), 1000);
        } catch (IOException e) {
            assumeTrue(false, "this system does not route 0.0.0.0 to the loopback interface");
        }

        CliHarness.Result refused = cli.run("list", "--base-url", url);
        CliHarness.Result allowed = cli.run("list", "--base-url", url, "--allow-insecure-http", "-o", "json");

        assertThat(refused.exitCode).isEqualTo(2);
        assertThat(allowed.exitCode).as(allowed.toString()).isZero();
        assertThat(BatchPrinter.GSON
                        .fromJson(allowed.out, ListBatchesResponse.class)
                        .getData())
                .isEmpty();
        assertThat(cli.sandbox.requestCount()).isEqualTo(1);
    }
}
