package com.mka1.batches;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mka1.batches.errors.AuthenticationException;
import com.mka1.batches.errors.ConflictException;
import com.mka1.batches.errors.NotFoundException;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxClock;
import com.mka1.batches.sandbox.SandboxOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The facade against the embedded sandbox: the four operations as a user runs them. */
class SandboxEndToEndTest {
    private static final SandboxClock CLOCK = SandboxClock.fixed(Instant.parse("2024-01-01T00:00:00Z"));
    private static final String INPUT = ""
            + "{\"custom_id\":\"r1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}\n"
            + "{\"custom_id\":\"r2\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"yo\"}]}}\n";

    private static Mka1Sandbox sandbox;
    private Mka1Client client;
    private BatchService batches;

    @BeforeAll
    static void startSandbox() {
        sandbox = Mka1Sandbox.builder().clock(CLOCK).start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void connect() {
        sandbox.reset();
        client = Mka1Client.builder().apiKey(sandbox.apiKey()).baseUrl(sandbox.baseUrl()).build();
        batches = client.llm().batches();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void createGetAndFollowTheLifecycleToCompletion() {
        String fileId = sandbox.registerInputFile(INPUT);
        BatchObject created = batches.create(CreateBatchParams.builder()
                .inputFileId(fileId)
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .putMetadata("description", "e2e")
                .build());

        assertThat(created.getId()).matches("batch_[0-9a-f]{32}");
        assertThat(created.getStatus()).isEqualTo(BatchStatus.VALIDATING);
        assertThat(created.getMetadata()).containsEntry("description", "e2e");

        CLOCK.advance(Duration.ofHours(1));
        BatchObject done = batches.get(created.getId());
        assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(done.getRequestCounts().getTotal()).isEqualTo(2);
        assertThat(done.getRequestCounts().getCompleted()).isEqualTo(2);
        assertThat(sandbox.fileContent(done.getOutputFileId())).get().asString()
                .contains("\"custom_id\":\"r1\"").contains("\"custom_id\":\"r2\"");
    }

    @Test
    void cancelMovesALiveBatchToCancellingAndAFinishedOneIsAConflict() {
        String fileId = sandbox.registerInputFile(INPUT);
        BatchObject live = batches.create(CreateBatchParams.builder()
                .inputFileId(fileId).endpoint(BatchEndpoint.CHAT_COMPLETIONS).build());

        assertThat(batches.cancel(live.getId()).getStatus()).isEqualTo(BatchStatus.CANCELLING);
        CLOCK.advance(Duration.ofHours(1));
        assertThat(batches.get(live.getId()).getStatus()).isEqualTo(BatchStatus.CANCELLED);

        Mka1Client noRetries = Mka1Client.builder().apiKey(sandbox.apiKey()).baseUrl(sandbox.baseUrl())
                .maxRetries(0).build();
        try (noRetries) {
            assertThatThrownBy(() -> noRetries.llm().batches().cancel(live.getId()))
                    .isInstanceOf(ConflictException.class);
        }
    }

    @Test
    void autoPagerWalksEveryBatchNewestFirstOnePageAtATime() {
        String fileId = sandbox.registerInputFile(INPUT);
        CreateBatchParams params = CreateBatchParams.builder()
                .inputFileId(fileId).endpoint(BatchEndpoint.EMBEDDINGS).build();
        List<String> createdIds = new java.util.ArrayList<>();
        for (int i = 0; i < 260; i++) {
            createdIds.add(batches.create(params).getId());
            CLOCK.advance(Duration.ofSeconds(1));
        }
        int requestsBefore = sandbox.requestCount(SandboxOperation.LIST);

        List<String> listed = batches.list(ListBatchesParams.builder().limit(100).build())
                .autoPager().stream().map(BatchObject::getId).collect(Collectors.toList());

        java.util.Collections.reverse(createdIds);
        assertThat(listed).containsExactlyElementsOf(createdIds);
        assertThat(sandbox.requestCount(SandboxOperation.LIST) - requestsBefore).isEqualTo(3);
    }

    @Test
    void unknownBatchIsNotFoundAndAWrongKeyIsRejected() {
        assertThatThrownBy(() -> batches.get("batch_00000000000000000000000000000000"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("HTTP 404");

        try (Mka1Client wrongKey = Mka1Client.builder().apiKey("sk-wrong").baseUrl(sandbox.baseUrl()).build()) {
            assertThatThrownBy(() -> wrongKey.llm().batches().list())
                    .isInstanceOf(AuthenticationException.class)
                    .hasMessageNotContaining("sk-wrong");
        }
    }
}
