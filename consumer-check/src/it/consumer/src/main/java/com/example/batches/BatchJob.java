package com.example.batches;

import com.mka1.batches.CreateBatchParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;

/** A user's code: starts a batch and reads it back. */
public final class BatchJob {
    private final Mka1Client client;

    public BatchJob(Mka1Client client) {
        this.client = client;
    }

    public BatchObject start(String inputFileId) {
        return client.llm().batches().create(CreateBatchParams.builder()
                .inputFileId(inputFileId)
                .endpoint(BatchEndpoint.EMBEDDINGS)
                .putMetadata("origin", "consumer-check")
                .build());
    }

    public BatchObject get(String batchId) {
        return client.llm().batches().get(batchId);
    }

    public static void main(String[] args) {
        try (Mka1Client client = Mka1Client.fromEnv()) {
            System.out.println(new BatchJob(client).start(args[0]).getId());
        }
    }
}
