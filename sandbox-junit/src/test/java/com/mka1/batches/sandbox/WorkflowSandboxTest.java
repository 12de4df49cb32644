package com.mka1.batches.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.BatchService;
import com.mka1.batches.CreateBatchParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.jsonl.BatchInputLine;
import com.mka1.batches.jsonl.BatchInputValidator;
import com.mka1.batches.jsonl.BatchInputWriter;
import com.mka1.batches.jsonl.BatchResult;
import com.mka1.batches.jsonl.BatchResultsReader;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.BatchStatus;
import com.mka1.batches.sandbox.junit.Mka1SandboxExtension;
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
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The workflow helpers end to end against the embedded sandbox: build the input, create, wait
 * (the extension's client moves the sandbox's clock instead of sleeping), read and join.
 */
@ExtendWith(Mka1SandboxExtension.class)
class WorkflowSandboxTest {
    @Test
    void buildInputCreateWaitAndJoinTheResults(Mka1Sandbox sandbox, SandboxClock clock, Mka1Client client) {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        List<BatchInputLine> lines = new ArrayList<>();
        try (BatchInputWriter writer = BatchInputWriter.to(input, BatchEndpoint.CHAT_COMPLETIONS)) {
            for (int i = 1; i <= 4; i++) {
                lines.add(writer.write(
                        "q" + i,
                        Map.of("model", "m", "messages", List.of(Map.of("role", "user", "content", "question " + i)))));
            }
        }
        String jsonl = new String(input.toByteArray(), StandardCharsets.UTF_8);
        assertThat(BatchInputValidator.validate(new StringReader(jsonl)).isValid())
                .isTrue();

        BatchService batches = client.llm().batches();
        BatchObject created = batches.create(CreateBatchParams.builder()
                .inputFileId(sandbox.registerInputFile(jsonl))
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .build());
        List<BatchStatus> seen = new ArrayList<>();
        Instant start = clock.instant();
        BatchObject done = batches.waitForCompletion(
                created.getId(),
                WaitOptions.builder().onProgress(b -> seen.add(b.getStatus())).build());

        assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(seen).first().isEqualTo(BatchStatus.VALIDATING);
        assertThat(seen).last().isEqualTo(BatchStatus.COMPLETED);
        // Polls 2 s apart, growing by 1.5: at 0, 2, 5 and 9.5 s; the batch completed at 6 s.
        assertThat(sandbox.requestCount(SandboxOperation.GET)).isEqualTo(4);
        assertThat(clock.instant()).isEqualTo(start.plus(Duration.ofMillis(9500)));

        List<BatchResult> results;
        try (Stream<BatchResult> output =
                BatchResultsReader.fromString(
                        sandbox.fileContent(done.getOutputFileId()).orElseThrow())
                        .stream()) {
            results = output.collect(Collectors.toList());
        }
        // one result per request, none missing, none extra, each a success
        assertThat(results)
                .extracting(BatchResult::customId)
                .containsExactlyInAnyOrderElementsOf(
                        lines.stream().map(BatchInputLine::customId).collect(Collectors.toList()));
        assertThat(results).allSatisfy(r -> assertThat(r.isSuccess()).isTrue());
    }
}
