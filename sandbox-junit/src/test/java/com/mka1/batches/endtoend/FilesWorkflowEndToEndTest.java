package com.mka1.batches.endtoend;

import static com.mka1.batches.endtoend.WorkflowAssertions.assertWorkflowRan;
import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.Mka1Client;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxClock;
import com.mka1.batches.sandbox.SandboxOperation;
import com.mka1.batches.sandbox.junit.Mka1SandboxExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link UploadCreateDownload}, one program on the public client API, run unchanged against the
 * embedded sandbox and against the standalone sandbox ({@code SandboxMain}) in a child JVM started
 * from this test's class path, over real HTTP. (The same against the shaded {@code -all} jar,
 * which exists only after {@code package}: {@link StandaloneJarEndToEndIT}.)
 *
 * <p>Against the embedded sandbox the client's waits advance the sandbox clock, so nothing sleeps.
 * The standalone one runs on the wall clock in another process, which no test can move: there the
 * batch's three stages take 50 ms each and the client really waits, polling every 50 to 200 ms.
 */
class FilesWorkflowEndToEndTest {
    static final Duration STEP = Duration.ofMillis(50);
    static final String KEY = "sk-end-to-end";

    @Test
    void againstTheEmbeddedSandbox(@TempDir Path dir) throws IOException {
        try (Mka1Sandbox sandbox = Mka1Sandbox.builder()
                        .apiKeys(KEY)
                        .stepDuration(STEP)
                        .clock(SandboxClock.fixed(Instant.parse("2024-01-01T00:00:00Z")))
                        .start();
                Mka1Client client = Mka1SandboxExtension.clientBuilder(sandbox).build()) {

            UploadCreateDownload.Outcome outcome = UploadCreateDownload.run(client, dir);

            assertWorkflowRan(outcome, dir);
            assertThat(sandbox.requestCount(SandboxOperation.UPLOAD_FILE)).isEqualTo(1);
            assertThat(sandbox.requests(SandboxOperation.CREATE))
                    .singleElement()
                    .satisfies(create -> assertThat(create.body()).contains(outcome.uploaded.getId()));
            assertThat(sandbox.requests(SandboxOperation.GET_FILE_CONTENT))
                    .extracting(r -> r.url())
                    .containsExactly(
                            "/api/v1/llm/files/" + outcome.batch.getOutputFileId() + "/content",
                            "/api/v1/llm/files/" + outcome.batch.getErrorFileId() + "/content");
        }
    }

    @Test
    void againstTheStandaloneSandboxInAChildJvmOverHttp(@TempDir Path dir) throws IOException {
        try (StandaloneSandbox sandbox = StandaloneSandbox.fromClassPath(
                        "--port", "0", "--api-key", KEY, "--step-millis", String.valueOf(STEP.toMillis()));
                Mka1Client client = Mka1Client.builder()
                        .baseUrl(sandbox.baseUrl())
                        .apiKey(KEY)
                        .build()) {

            UploadCreateDownload.Outcome outcome = UploadCreateDownload.run(client, dir);

            assertWorkflowRan(outcome, dir);
            assertThat(sandbox.baseUrl()).startsWith("http://127.0.0.1:");
            assertThat(sandbox.isAlive())
                    .as("a process of its own, still serving")
                    .isTrue();
        }
    }
}
