package com.mka1.batches;

import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.jsonl.BatchInputLine;
import com.mka1.batches.jsonl.BatchInputValidator;
import com.mka1.batches.jsonl.BatchInputWriter;
import com.mka1.batches.jsonl.BatchResult;
import com.mka1.batches.jsonl.BatchResultJoin;
import com.mka1.batches.jsonl.BatchResultsReader;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxClock;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The workflow helpers end to end against the embedded sandbox: build the input, create, wait
 * (the client's sleeper moves the sandbox's clock, so nothing really sleeps), read and join.
 */
class WorkflowSandboxTest {
    @Test
    void buildInputCreateWaitAndJoinTheResults() {
        SandboxClock clock = SandboxClock.fixed(Instant.parse("2024-01-01T00:00:00Z"));
        List<Duration> sleeps = new ArrayList<>();
        try (Mka1Sandbox sandbox = Mka1Sandbox.builder().clock(clock).start();
             Mka1Client client = Mka1Client.builder().apiKey(sandbox.apiKey()).baseUrl(sandbox.baseUrl())
                     .sleeper(d -> {
                         sleeps.add(d);
                         clock.advance(d);
                     })
                     .clock(clock)
                     .build()) {
            ByteArrayOutputStream input = new ByteArrayOutputStream();
            List<BatchInputLine> lines = new ArrayList<>();
            try (BatchInputWriter writer = BatchInputWriter.to(input, BatchEndpoint.CHAT_COMPLETIONS)) {
                for (int i = 1; i <= 4; i++) {
                    lines.add(writer.write("q" + i, Map.of("model", "m",
                            "messages", List.of(Map.of("role", "user", "content", "question " + i)))));
                }
            }
            String jsonl = new String(input.toByteArray(), StandardCharsets.UTF_8);
            assertThat(BatchInputValidator.validate(new StringReader(jsonl)).isValid()).isTrue();

            BatchService batches = client.llm().batches();
            BatchObject created = batches.create(CreateBatchParams.builder()
                    .inputFileId(sandbox.registerInputFile(jsonl))
                    .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                    .build());
            List<BatchStatus> seen = new ArrayList<>();
            BatchObject done = batches.waitForCompletion(created.getId(),
                    WaitOptions.builder().onProgress(b -> seen.add(b.getStatus())).build());

            assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(seen).first().isEqualTo(BatchStatus.VALIDATING);
            assertThat(seen).last().isEqualTo(BatchStatus.COMPLETED);
            assertThat(sleeps).isNotEmpty().allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(30)));

            List<BatchResult> results;
            try (Stream<BatchResult> output = BatchResultsReader
                    .fromString(sandbox.fileContent(done.getOutputFileId()).orElseThrow()).stream()) {
                results = output.collect(Collectors.toList());
            }
            BatchResultJoin join = BatchResultJoin.byCustomId(lines, results);
            assertThat(join.missingResults()).isEmpty();
            assertThat(join.extraResults()).isEmpty();
            assertThat(join.entries()).allSatisfy(e -> assertThat(e.result().isSuccess()).isTrue());
        }
    }
}
