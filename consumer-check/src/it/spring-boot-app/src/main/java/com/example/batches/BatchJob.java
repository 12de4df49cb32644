package com.example.batches;

import com.mka1.batches.CreateBatchParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;
import org.springframework.stereotype.Service;

/** A service's code: the auto-configured client injected like any other bean. */
@Service
public class BatchJob {
    private final Mka1Client client;

    public BatchJob(Mka1Client client) {
        this.client = client;
    }

    public BatchObject start(String inputFileId) {
        return client.llm().batches().create(CreateBatchParams.builder()
                .inputFileId(inputFileId)
                .endpoint(BatchEndpoint.EMBEDDINGS)
                .putMetadata("origin", "spring-boot-app")
                .build());
    }

    public BatchObject get(String batchId) {
        return client.llm().batches().get(batchId);
    }
}
