package com.mka1.batches.run;

import static com.mka1.batches.run.RunSupport.view;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.BatchRunResult.Outcome;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.models.BatchStatus;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.sandbox.Mka1Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch that expires leaves the requests it did not run to the next round; with one attempt, or
 * once the attempts are used up, MISSING with the reason.
 */
class BatchRunExpiryTest {
    /** 15 h steps: in progress from 15 h to 30 h, so the 24 h expiry lands with 60% of the requests run. */
    @RegisterExtension
    static final SandboxExtension SANDBOX = new SandboxExtension(sandbox -> sandbox.stepDuration(Duration.ofHours(15)));

    private static final WaitOptions HOURLY = WaitOptions.builder()
            .pollInterval(Duration.ofHours(1))
            .maxPollInterval(Duration.ofHours(1))
            .build();

    @TempDir
    Path tmp;

    @Test
    void anExpiredBatchLeavesTheRequestsItDidNotRunMissing(Mka1Client client) {
        BatchRunResult run = client.llm()
                .batches()
                .run(tenRequests().waitOptions(HOURLY).maxAttempts(1).build());

        assertThat(client.llm().batches().get(run.batchIds().get(0)).getStatus())
                .isEqualTo(BatchStatus.EXPIRED);
        assertThat(run.succeeded()).isEqualTo(5);
        assertThat(run.failed()).isEqualTo(1);
        assertThat(run.missing()).isEqualTo(4);
        assertThat(run.succeeded() + run.failed() + run.missing()).isEqualTo(run.total());
        List<String> view = view(run);
        assertThat(view).hasSize(10);
        assertThat(view.get(0)).isEqualTo("q1 FAILED processing_error");
        assertThat(view.subList(6, 10))
                .allMatch(line -> line.endsWith("MISSING batch <batch> expired before this request ran"));
        try (Stream<Outcome> outcomes = run.outcomes()) {
            Outcome missing = outcomes.filter(o -> o.kind() == Outcome.Kind.MISSING)
                    .findFirst()
                    .orElseThrow();
            assertThat(missing.reason())
                    .isEqualTo("batch " + run.batchIds().get(0) + " expired before this request ran");
            assertThat(missing.result()).isNull();
        }
    }

    @Test
    void theRequestsAnExpiredBatchDidNotRunGoIntoTheNextRound(Mka1Client client, Mka1Sandbox sandbox) {
        BatchRunResult run = client.llm()
                .batches()
                .run(tenRequests().waitOptions(HOURLY).maxAttempts(2).build());

        assertThat(run.batchIds()).hasSize(2);
        List<FileObject> parts = RunSupport.uploadedParts(client);
        String round2 = sandbox.fileContent(
                        parts.get(0).getFilename().equals("part-0002.jsonl")
                                ? parts.get(0).getId()
                                : parts.get(1).getId())
                .orElseThrow();
        assertThat(round2.lines()
                        .map(l -> JsonParser.parseString(l)
                                .getAsJsonObject()
                                .get("custom_id")
                                .getAsString()))
                .containsExactly("q7", "q8", "q9", "q10");
        // Round 2 expires too, after 60 % of its 4 requests: 2 more succeed, 2 are missing for good.
        assertThat(run.succeeded()).isEqualTo(7);
        assertThat(run.failed()).isEqualTo(1);
        assertThat(run.missing()).isEqualTo(2);
        try (Stream<Outcome> outcomes = run.outcomes()) {
            List<Outcome> all = outcomes.collect(Collectors.toList());
            assertThat(all.get(0).attempts()).isEqualTo(1);
            assertThat(all.get(6).kind()).isEqualTo(Outcome.Kind.SUCCEEDED);
            assertThat(all.get(6).attempts()).isEqualTo(2);
            assertThat(all.get(6).batchId()).isEqualTo(run.batchIds().get(1));
            assertThat(all.get(9).kind()).isEqualTo(Outcome.Kind.MISSING);
            assertThat(all.get(9).reason())
                    .isEqualTo("attempts exhausted (2 of 2), the last: batch "
                            + run.batchIds().get(1) + " expired before this request ran");
        }
    }

    private BatchRunParams.Builder tenRequests() {
        return RunSupport.params(tmp.resolve("run"), 10, BatchRunParams.DEFAULT_MAX_REQUESTS_PER_BATCH, i -> i == 1);
    }
}
