package com.mka1.batches.endtoend;

import static com.mka1.batches.endtoend.WorkflowAssertions.assertWorkflowRan;
import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.CreateBatchParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxClock;
import com.mka1.batches.sandbox.SandboxOperation;
import com.mka1.batches.sandbox.junit.Mka1SandboxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
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

    /**
     * Killed (no shutdown hook) and started again on its state dir, the sandbox carries on. Two
     * child JVMs: slow (the in-process restart is in SandboxMainTest and StateDirTest).
     */
    @Test
    @Tag("slow")
    void theStandaloneSandboxKilledAndStartedAgainOnItsStateDirCarriesOn(@TempDir Path dir) throws Exception {
        String[] args = {
            "--port",
            "0",
            "--api-key",
            KEY,
            "--step-millis",
            String.valueOf(STEP.toMillis()),
            "--state-dir",
            dir.resolve("state").toString()
        };
        byte[] input = ("{\"custom_id\":\"only\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                        + "\"body\":{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}\n")
                .getBytes(StandardCharsets.UTF_8);
        FileObject uploaded;
        BatchObject created;
        try (StandaloneSandbox first = StandaloneSandbox.fromClassPath(args);
                Mka1Client client = Mka1Client.builder()
                        .baseUrl(first.baseUrl())
                        .apiKey(KEY)
                        .build()) {
            uploaded = client.llm().files().upload(input, "in.jsonl", FilePurpose.BATCH);
            created = client.llm()
                    .batches()
                    .create(CreateBatchParams.builder()
                            .inputFileId(uploaded.getId())
                            .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                            .build());
            first.kill();
        }

        try (StandaloneSandbox second = StandaloneSandbox.fromClassPath(args);
                Mka1Client client = Mka1Client.builder()
                        .baseUrl(second.baseUrl())
                        .apiKey(KEY)
                        .build()) {
            assertThat(Files.readAllBytes(
                            client.llm().files().download(uploaded.getId(), dir.resolve("input-again.jsonl"))))
                    .isEqualTo(input);
            BatchObject done = client.llm()
                    .batches()
                    .waitForCompletion(
                            created.getId(),
                            WaitOptions.builder()
                                    .pollInterval(Duration.ofMillis(50))
                                    .timeout(Duration.ofMinutes(1))
                                    .build());
            assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(done.getCreatedAt()).isEqualTo(created.getCreatedAt());
            assertThat(Files.readString(
                            client.llm().files().download(done.getOutputFileId(), dir.resolve("out.jsonl"))))
                    .contains("\"custom_id\":\"only\"");
        }
    }
}
