package com.mka1.batches.run;

import static com.mka1.batches.run.RunSupport.view;
import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.BatchRunResult.Outcome;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.models.BatchStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A batch that expires leaves the requests it did not run MISSING, with the reason. */
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
        BatchRunResult run =
                client.llm().batches().run(tenRequests().waitOptions(HOURLY).build());

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

    private BatchRunParams.Builder tenRequests() {
        return RunSupport.params(tmp.resolve("run"), 10, BatchRunParams.DEFAULT_MAX_REQUESTS_PER_BATCH, i -> i == 1);
    }
}
