package com.mka1.batches.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mka1.batches.BatchService;
import com.mka1.batches.CreateBatchParams;
import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.errors.AuthenticationException;
import com.mka1.batches.errors.ConflictException;
import com.mka1.batches.errors.NotFoundException;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import com.mka1.batches.sandbox.junit.Mka1SandboxExtension;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The facade against the embedded sandbox: the four operations as a user runs them. */
@ExtendWith(Mka1SandboxExtension.class)
class SandboxEndToEndTest {
    private static final String INPUT = ""
            + "{\"custom_id\":\"r1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}\n"
            + "{\"custom_id\":\"r2\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"yo\"}]}}\n";

    private Mka1Sandbox sandbox;
    private SandboxClock clock;
    private BatchService batches;

    @BeforeEach
    void connect(Mka1Sandbox sandbox, Mka1Client client) {
        this.sandbox = sandbox;
        this.clock = sandbox.clock();
        this.batches = client.llm().batches();
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

        clock.advance(Duration.ofHours(1));
        BatchObject done = batches.get(created.getId());
        assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(done.getRequestCounts().getTotal()).isEqualTo(2);
        assertThat(done.getRequestCounts().getCompleted()).isEqualTo(2);
        assertThat(sandbox.fileContent(done.getOutputFileId()))
                .get()
                .asString()
                .contains("\"custom_id\":\"r1\"")
                .contains("\"custom_id\":\"r2\"");
    }

    @Test
    void cancelMovesALiveBatchToCancellingAndAFinishedOneIsAConflict() {
        String fileId = sandbox.registerInputFile(INPUT);
        BatchObject live = batches.create(CreateBatchParams.builder()
                .inputFileId(fileId)
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .build());

        assertThat(batches.cancel(live.getId()).getStatus()).isEqualTo(BatchStatus.CANCELLING);
        clock.advance(Duration.ofHours(1));
        assertThat(batches.get(live.getId()).getStatus()).isEqualTo(BatchStatus.CANCELLED);

        Mka1Client noRetries = Mka1SandboxExtension.clientBuilder(sandbox)
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .build();
        try (noRetries) {
            assertThatThrownBy(() -> noRetries.llm().batches().cancel(live.getId()))
                    .isInstanceOf(ConflictException.class);
        }
    }

    @Test
    void autoPagerWalksEveryBatchNewestFirstOnePageAtATime() {
        String fileId = sandbox.registerInputFile(INPUT);
        CreateBatchParams params = CreateBatchParams.builder()
                .inputFileId(fileId)
                .endpoint(BatchEndpoint.EMBEDDINGS)
                .build();
        List<String> createdIds = new java.util.ArrayList<>();
        for (int i = 0; i < 260; i++) {
            createdIds.add(batches.create(params).getId());
            clock.advance(Duration.ofSeconds(1));
        }
        int requestsBefore = sandbox.requestCount(SandboxOperation.LIST);

        List<String> listed = batches
                .list(ListBatchesParams.builder().limit(100).build())
                .autoPager()
                .stream()
                .map(BatchObject::getId)
                .collect(Collectors.toList());

        java.util.Collections.reverse(createdIds);
        assertThat(listed).containsExactlyElementsOf(createdIds);
        assertThat(sandbox.requestCount(SandboxOperation.LIST) - requestsBefore).isEqualTo(3);
    }

    @Test
    void unknownBatchIsNotFoundAndAWrongKeyIsRejected() {
        assertThatThrownBy(() -> batches.get("batch_00000000000000000000000000000000"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("HTTP 404");

        try (Mka1Client wrongKey =
                Mka1SandboxExtension.clientBuilder(sandbox).apiKey("sk-wrong").build()) {
            assertThatThrownBy(() -> wrongKey.llm().batches().list(ListBatchesParams.none()))
                    .isInstanceOf(AuthenticationException.class)
                    .hasMessageNotContaining("sk-wrong");
        }
    }
}
