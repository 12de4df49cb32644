package com.mka1.batches.run;

import static com.mka1.batches.run.RunSupport.expected;
import static com.mka1.batches.run.RunSupport.keys;
import static com.mka1.batches.run.RunSupport.uploadedParts;
import static com.mka1.batches.run.RunSupport.view;
import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.Sleeper;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.observability.CallContext;
import com.mka1.batches.observability.CallListener;
import com.mka1.batches.observability.Outage;
import com.mka1.batches.sandbox.FaultSpec;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxFault;
import com.mka1.batches.sandbox.SandboxOperation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code batches().run(...)} against a server that goes down for minutes (of the sandbox's clock)
 * in the middle of a stage: the run waits it out and ends as if nothing happened, with one input
 * file and one batch per part.
 */
@ExtendWith(SandboxExtension.class)
class RunOutageTest {
    @TempDir
    Path tmp;

    @Test
    void aRunRidesOutTwoMinutesDownInItsWaitAndOneMinuteDownInItsDownloads(Mka1Sandbox sandbox) {
        Outages outages = new Outages(sandbox)
                .downAt("batches.get", 2, Duration.ofMinutes(2), FaultSpec.status(503))
                .downAt("files.download", 2, Duration.ofMinutes(1), FaultSpec.fault(SandboxFault.CONNECTION_RESET));

        List<BatchRunParams.Progress> progress = new ArrayList<>();

        BatchRunResult run = runSixRequestsInThreeParts(sandbox, outages, progress);

        assertThat(view(run)).containsExactlyElementsOf(expected(6, Set.of(3)));
        assertThat(outages.lasted()).hasSize(2);
        assertThat(outages.lasted().get(0)).isGreaterThanOrEqualTo(Duration.ofMinutes(2));
        assertThat(outages.lasted().get(1)).isGreaterThanOrEqualTo(Duration.ofMinutes(1));
        assertOnePartEach(sandbox, run);
        // Each failure waited out was heard by the run's progress callback and by the listener.
        List<Outage> reported = new ArrayList<>();
        for (BatchRunParams.Progress p : progress) {
            if (p.outage() != null) {
                reported.add(p.outage());
            }
        }
        assertThat(reported).hasSizeGreaterThanOrEqualTo(2).containsExactlyElementsOf(outages.heard());
        assertThat(reported)
                .extracting(o -> o.failure().getClass().getSimpleName())
                .contains("InternalServerException", "Mka1IoException");
        assertThat(progress).last().satisfies(p -> {
            assertThat(p.outage()).isNull();
            assertThat(p.batchesFinished()).isEqualTo(3);
        });
    }

    @Test
    void uploadsAndCreatesWhoseAnswerIsLostInAnOutageAreMadeOnce(Mka1Sandbox sandbox) {
        Outages outages = new Outages(sandbox)
                .downAt(
                        "files.upload",
                        2,
                        Duration.ofSeconds(90),
                        FaultSpec.status(502).on(SandboxOperation.UPLOAD_FILE).afterProcessing(),
                        FaultSpec.status(502))
                .downAt(
                        "batches.create",
                        3,
                        Duration.ofSeconds(90),
                        FaultSpec.fault(SandboxFault.CONNECTION_RESET)
                                .on(SandboxOperation.CREATE)
                                .afterProcessing(),
                        FaultSpec.fault(SandboxFault.EMPTY_RESPONSE));

        BatchRunResult run = runSixRequestsInThreeParts(sandbox, outages, new ArrayList<>());

        assertThat(view(run)).containsExactlyElementsOf(expected(6, Set.of(3)));
        assertThat(outages.heard()).isNotEmpty();
        assertThat(outages.lasted())
                .hasSize(2)
                .allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(90)));
        assertOnePartEach(sandbox, run);
    }

    private BatchRunResult runSixRequestsInThreeParts(
            Mka1Sandbox sandbox, Outages outages, List<BatchRunParams.Progress> progress) {
        BatchRunParams.Builder params = RunSupport.params(tmp.resolve("run"), 6, 2, i -> i == 3);
        try (Mka1Client client = SandboxExtension.clientBuilder(sandbox)
                .sleeper(outages)
                .addListener(outages)
                .build()) {
            return client.llm().batches().run(params.onProgress(progress::add).build());
        }
    }

    /** One input file, one batch and one create key per part: no retry made a second of either. */
    private static void assertOnePartEach(Mka1Sandbox sandbox, BatchRunResult run) {
        try (Mka1Client client = SandboxExtension.clientBuilder(sandbox).build()) {
            List<String> batches = new ArrayList<>();
            for (BatchObject batch :
                    client.llm().batches().list(ListBatchesParams.none()).autoPager()) {
                batches.add(batch.getId());
            }
            assertThat(batches)
                    .containsExactlyInAnyOrderElementsOf(run.batchIds())
                    .hasSize(3);
            assertThat(uploadedParts(client)).hasSize(3);
        }
        assertThat(keys(sandbox, SandboxOperation.CREATE)).hasSize(3);
        assertThat(keys(sandbox, SandboxOperation.UPLOAD_FILE)).hasSize(3);
    }

    /**
     * Takes the sandbox down when the n-th call of an operation starts, until the clock has moved
     * on by the outage's length: its faults answer every request meanwhile (the first ones given,
     * then the last one for the rest). The client's waits move the clock, as the extension's do.
     */
    private static final class Outages implements CallListener, Sleeper {
        private final Mka1Sandbox sandbox;
        private final Map<String, Integer> calls = new HashMap<>();
        private final List<Plan> planned = new ArrayList<>();
        private final List<Duration> lasted = new ArrayList<>();
        private final List<Outage> heard = new ArrayList<>();
        private Plan current;

        Outages(Mka1Sandbox sandbox) {
            this.sandbox = sandbox;
        }

        Outages downAt(String operation, int call, Duration length, FaultSpec... faults) {
            planned.add(new Plan(operation, call, length, faults));
            return this;
        }

        synchronized List<Duration> lasted() {
            return List.copyOf(lasted);
        }

        synchronized List<Outage> heard() {
            return List.copyOf(heard);
        }

        @Override
        public synchronized void outageRetryScheduled(Outage outage) {
            heard.add(outage);
        }

        @Override
        public synchronized void callStarted(CallContext call) {
            int n = calls.merge(call.operation(), 1, Integer::sum);
            for (Plan outage : planned) {
                if (outage.operation.equals(call.operation()) && outage.call == n && current == null) {
                    current = outage;
                    outage.since = sandbox.clock().instant();
                    for (int i = 0; i < outage.faults.length; i++) {
                        sandbox.injectFault(
                                i + 1 < outage.faults.length ? outage.faults[i] : outage.faults[i].times(100_000));
                    }
                }
            }
        }

        @Override
        public synchronized void sleep(Duration duration) {
            sandbox.clock().advance(duration);
            if (current != null) {
                Duration down = Duration.between(current.since, sandbox.clock().instant());
                if (down.compareTo(current.length) >= 0) {
                    sandbox.clearFaults();
                    lasted.add(down);
                    current = null;
                }
            }
        }

        private static final class Plan {
            final String operation;
            final int call;
            final Duration length;
            final FaultSpec[] faults;
            Instant since;

            Plan(String operation, int call, Duration length, FaultSpec[] faults) {
                this.operation = operation;
                this.call = call;
                this.length = length;
                this.faults = faults;
            }
        }
    }
}
