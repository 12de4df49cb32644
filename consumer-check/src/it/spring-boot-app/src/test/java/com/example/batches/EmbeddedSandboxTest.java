package com.example.batches;

import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.sandbox.Mka1Sandbox;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** mka1.sandbox.enabled=true: no key, an embedded sandbox, the client pointed at it. */
@SpringBootTest(properties = "mka1.sandbox.enabled=true")
class EmbeddedSandboxTest {
    @Autowired
    Mka1Client client;

    @Autowired
    Mka1Sandbox sandbox;

    @Test
    void theClientTalksToTheEmbeddedSandbox() {
        assertThat(client.baseUrl()).isEqualTo(sandbox.baseUrl() + "/");
        assertThat(client.llm().batches().list(ListBatchesParams.none()).data()).isEmpty();
    }
}
