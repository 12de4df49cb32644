package com.mka1.batches.sandbox.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mka1.batches.BatchService;
import com.mka1.batches.CreateBatchParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.errors.RateLimitException;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import com.mka1.batches.sandbox.FaultSpec;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxLedger;
import com.mka1.batches.sandbox.SandboxOperation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sandbox's misbehaviour settings, through the extension's builder, seen by the real client. */
class MisbehavingSandboxExtensionTest {
    private static final String EMBEDDING =
            "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{\"input\":\"hi\"}}\n";

    @RegisterExtension
    static final Mka1SandboxExtension SANDBOX = Mka1SandboxExtension.builder()
            .expireAfterLines(1)
            .expiringBatches(1)
            .queueCapacity(3)
            .refuseWhenQueueFull(true)
            .ignoreIdempotencyKeys(true)
            .build();

    @Test
    void theFirstBatchExpiresAfterOneLineAndTheNextOverTheQueueFails(Mka1Sandbox sandbox, Mka1Client client) {
        BatchService batches = client.llm().batches();
        BatchObject first = Mka1SandboxExtensionTest.createBatch(sandbox, batches);
        BatchObject second = Mka1SandboxExtensionTest.createBatch(sandbox, batches);

        assertThat(batches.waitForCompletion(first.getId(), WaitOptions.defaults())
                        .getStatus())
                .isEqualTo(BatchStatus.EXPIRED);
        BatchObject refused = batches.waitForCompletion(second.getId(), WaitOptions.defaults());
        assertThat(refused.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(refused.getErrors().getData().get(0).getCode()).isEqualTo("token_limit_exceeded");
        assertThat(sandbox.ledger().successfulExecutions()).hasSize(1);
    }

    @Test
    void theClientsRetryAfterADroppedAnswerMakesASecondBatch(Mka1Sandbox sandbox, Mka1Client client) {
        sandbox.injectFault(FaultSpec.dropAnswer().on(SandboxOperation.CREATE));

        BatchObject created = client.llm()
                .batches()
                .create(CreateBatchParams.builder()
                        .inputFileId(sandbox.registerInputFile(EMBEDDING))
                        .endpoint(BatchEndpoint.EMBEDDINGS)
                        .build());

        // Both creates carried the same Idempotency-Key; the sandbox ignored it.
        String key = sandbox.requests(SandboxOperation.CREATE)
                .get(0)
                .header("Idempotency-Key")
                .orElseThrow();
        assertThat(sandbox.requests(SandboxOperation.CREATE))
                .extracting(request -> request.header("Idempotency-Key").orElseThrow())
                .containsExactly(key, key);
        assertThat(sandbox.ledger().batches())
                .extracting(SandboxLedger.Batch::id)
                .hasSize(2)
                .endsWith(created.getId());
    }

    @Test
    void aCreateFindingTheQueueFullIsRefusedWith429(Mka1Sandbox sandbox) {
        try (Mka1Client noRetries = Mka1SandboxExtension.clientBuilder(sandbox)
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .build()) {
            BatchService batches = noRetries.llm().batches();
            Mka1SandboxExtensionTest.createBatch(sandbox, batches);
            batches.create(CreateBatchParams.builder()
                    .inputFileId(sandbox.registerInputFile(EMBEDDING))
                    .endpoint(BatchEndpoint.EMBEDDINGS)
                    .build());

            assertThatThrownBy(() -> Mka1SandboxExtensionTest.createBatch(sandbox, batches))
                    .isInstanceOf(RateLimitException.class);
            assertThat(sandbox.ledger().batches()).hasSize(2);
        }
    }

    @Test
    void aBadSettingFailsAtTheBuilder() {
        assertThatThrownBy(() -> Mka1SandboxExtension.builder().expireAfterLines(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expireAfterLines must not be negative: -1");
        assertThatThrownBy(() -> Mka1SandboxExtension.builder().expiringBatches(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expiringBatches must be at least 1: 0");
        assertThatThrownBy(() -> Mka1SandboxExtension.builder().queueCapacity(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("queueCapacity must be at least 1: 0");
    }
}
