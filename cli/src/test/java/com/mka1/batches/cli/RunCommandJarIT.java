package com.mka1.batches.cli;

import static com.mka1.batches.cli.BatchCommandsTest.lines;
import static com.mka1.batches.cli.ResultsCommandTest.byCustomId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool as users run it: {@code java -jar mka1-batches-cli.jar ... run} against the standalone
 * sandbox ({@code java -jar mka1-batches-sandbox-<version>-all.jar}), each a process of its own,
 * over HTTP. Run by the cli module's {@code runnable-jar} surefire execution in the
 * {@code integration-test} phase, which passes both jars' paths. The standalone sandbox runs on the
 * wall clock (50 ms stages), so the tool really polls (every 100 ms).
 */
class RunCommandJarIT {
    private static final String KEY = "sk-sandbox-test";
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    @Test
    void runWritesOneLinePerInputIncludingTheDeliberatelyFailedOnes(@TempDir Path dir) throws Exception {
        Path cliJar = jar("mka1.cli.jar");
        Path sandboxJar = jar("mka1.sandbox.jar");
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            jsonl.append("{\"custom_id\":\"e-")
                    .append(i)
                    .append("\",\"method\":\"POST\",\"url\":\"/v1/embeddings\","
                            + "\"body\":{\"model\":\"m\",\"input\":\"text ")
                    .append(i)
                    .append('"')
                    .append(i % 2 == 1 ? ",\"sandbox_fail\":true" : "")
                    .append("}}\n");
        }
        Files.write(dir.resolve("input.jsonl"), jsonl.toString().getBytes(StandardCharsets.UTF_8));

        Process sandbox =
                start(dir, "-jar", sandboxJar.toString(), "--port", "0", "--api-key", KEY, "--step-millis", "50");
        try {
            String baseUrl = listeningUrl(sandbox);
            Process run = start(
                    dir,
                    "-jar",
                    cliJar.toString(),
                    "--base-url",
                    baseUrl,
                    "--api-key",
                    KEY,
                    "run",
                    "input.jsonl",
                    "--endpoint",
                    "/v1/embeddings",
                    "--out",
                    "results.jsonl",
                    "--max-requests-per-batch",
                    "2",
                    "--poll-interval",
                    "100ms",
                    "--work-dir",
                    "work");
            String output = readAll(run);
            assertThat(run.waitFor(2, TimeUnit.MINUTES)).as(output).isTrue();

            assertThat(run.exitValue()).as(output).isEqualTo(5);
            List<String> results =
                    lines(new String(Files.readAllBytes(dir.resolve("results.jsonl")), StandardCharsets.UTF_8));
            assertThat(results).hasSize(5);
            Map<String, JsonObject> byId = byCustomId(String.join("\n", results));
            for (int i = 0; i < 5; i++) {
                JsonObject line = byId.get("e-" + i);
                assertThat(line.get("outcome").getAsString())
                        .as(line.toString())
                        .isEqualTo(i % 2 == 1 ? "failed" : "succeeded");
                if (i % 2 == 0) {
                    assertThat(line.getAsJsonObject("response")
                                    .getAsJsonObject("body")
                                    .get("object")
                                    .getAsString())
                            .isEqualTo("list");
                } else {
                    assertThat(line.getAsJsonObject("error").get("code").getAsString())
                            .isEqualTo("processing_error");
                }
            }
            assertThat(output)
                    .contains("3/3 batches finished: 5/5 requests done, 2 failed")
                    .contains("5 requests: 3 succeeded, 2 failed, 0 missing; written to results.jsonl.")
                    .doesNotContain(KEY);
            assertThat(new String(
                            Files.readAllBytes(dir.resolve("work").resolve("manifest.json")), StandardCharsets.UTF_8))
                    .doesNotContain(KEY);
        } finally {
            sandbox.destroy();
            sandbox.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Path jar(String property) {
        String path = System.getProperty(property);
        assumeTrue(path != null, property + " is set by the build's integration-test phase (mvn verify)");
        Path jar = Paths.get(path);
        assertThat(jar).as("built by package before integration-test").isRegularFile();
        return jar;
    }

    private static Process start(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(args));
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
    }

    /** The sandbox's URL, read from its output as it starts; the rest of its output is drained in the background. */
    private static String listeningUrl(Process sandbox) throws Exception {
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines = new BufferedReader(
                            new InputStreamReader(sandbox.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = lines.readLine()) != null; ) {
                            Matcher listening = LISTENING.matcher(line);
                            if (listening.find()) {
                                url.complete(listening.group(1));
                            }
                        }
                        url.completeExceptionally(new IllegalStateException("the sandbox ended before listening"));
                    } catch (IOException e) {
                        url.completeExceptionally(e);
                    }
                },
                "standalone-sandbox-output");
        reader.setDaemon(true);
        reader.start();
        return url.get(60, TimeUnit.SECONDS);
    }

    private static String readAll(Process process) throws IOException {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder text = new StringBuilder();
            for (String line; (line = reader.readLine()) != null; ) {
                text.append(line).append('\n');
            }
            return text.toString();
        }
    }
}
