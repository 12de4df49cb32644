package com.example.batches;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.mka1.batches.Mka1Client;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.sandbox.Mka1Sandbox;
import org.junit.jupiter.api.Test;

class BatchJobTest {
    @Test
    void createsAndGetsABatchOnTheSandbox() {
        try (Mka1Sandbox sandbox = Mka1Sandbox.start();
             Mka1Client client = Mka1Client.builder()
                     .apiKey(sandbox.apiKey()).baseUrl(sandbox.baseUrl()).build()) {
            String fileId = sandbox.registerInputFile(
                    "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{\"input\":\"hi\"}}\n");
            BatchJob job = new BatchJob(client);

            BatchObject created = job.start(fileId);
            BatchObject read = job.get(created.getId());

            assertNotNull(created.getId());
            assertEquals(created.getId(), read.getId());
            assertEquals(fileId, read.getInputFileId());
            assertEquals("consumer-check", read.getMetadata().get("origin"));
        }
    }
}
