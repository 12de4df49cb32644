package com.example.batches;

import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.models.BatchObject;
import com.mka1.batches.sandbox.Mka1Sandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Only mka1.api-key and mka1.base-url set, here to a sandbox the test runs: the bean works. */
@SpringBootTest
class BatchJobTest {
    static final Mka1Sandbox SANDBOX = Mka1Sandbox.start();

    @DynamicPropertySource
    static void mka1(DynamicPropertyRegistry properties) {
        properties.add("mka1.api-key", SANDBOX::apiKey);
        properties.add("mka1.base-url", SANDBOX::baseUrl);
    }

    @AfterAll
    static void stop() {
        SANDBOX.close();
    }

    @Autowired
    BatchJob job;

    @Test
    void createsAndGetsABatchThroughTheAutoConfiguredClient() {
        String fileId = SANDBOX.registerInputFile(
                "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{\"input\":\"hi\"}}\n");

        BatchObject created = job.start(fileId);
        BatchObject read = job.get(created.getId());

        assertThat(read.getId()).isEqualTo(created.getId());
        assertThat(read.getInputFileId()).isEqualTo(fileId);
        assertThat(read.getMetadata()).containsEntry("origin", "spring-boot-app");
    }
}
