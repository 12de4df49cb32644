package com.mka1.batches.run;

import static com.mka1.batches.run.RunSupport.chat;
import static com.mka1.batches.run.RunSupport.expected;
import static com.mka1.batches.run.RunSupport.keys;
import static com.mka1.batches.run.RunSupport.uploadedParts;
import static com.mka1.batches.run.RunSupport.view;
import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.errors.Mka1Exception;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.sandbox.FaultSpec;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxClock;
import com.mka1.batches.sandbox.SandboxFault;
import com.mka1.batches.sandbox.SandboxOperation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fault soak of {@code batches().run(...)}: {@value #DEFAULT_RUNS} runs of random sizes and
 * splits against one sandbox that answers with random faults — 5xx, 429 with {@code Retry-After},
 * connection resets, empty and garbage responses, bodies cut mid-download, lost answers to uploads
 * and creates the server did carry out, short delays — injected before the run and at every wait
 * of the client (each retry wait and poll). Half the runs wait out outages (the default outage
 * budget) and must never stop; the others have none, give up when a call's retries are spent, and
 * are continued with {@code resumeRun}, as a user would. After each run: every input is accounted for exactly
 * once with the outcome the sandbox gives it, the server holds one input file and one batch per
 * part (never a second), and no connection is left in use; after all runs, no thread of the
 * library is left.
 *
 * <p>Seeded and reproducible: {@code -Dmka1.soak.seed=N} replays a soak, {@code
 * -Dmka1.soak.runs=N} makes it longer; a failure names the run's seed. The figures go to stdout
 * as one {@code SOAK ...} line.
 */
@Tag("slow") // docs/QUALITY.md: not in the default build; `./mvnw -Pslow test`
class RunFaultSoakTest {
    static final int DEFAULT_RUNS = 50;
    private static final long SEED = Long.getLong("mka1.soak.seed", 20261126L);
    private static final int RUNS = Integer.getInteger("mka1.soak.runs", DEFAULT_RUNS);
    /** The chance that a wait of the client injects a fault for some later request. */
    private static final double FAULT_PER_WAIT = 0.6;

    private static final SandboxOperation[] OPERATIONS = SandboxOperation.values();

    @TempDir
    Path tmp;

    @Test
    void everyInputIsAccountedForExactlyOnceUnderRandomFaults() throws InterruptedException {
        SandboxClock clock = SandboxClock.fixed(Instant.parse("2024-01-01T00:00:00Z"));
        OkHttpClient http =
                new OkHttpClient.Builder().connectionPool(new ConnectionPool()).build();
        Random seeds = new Random(SEED);
        Tally tally = new Tally();
        try (Mka1Sandbox sandbox = Mka1Sandbox.builder().clock(clock).start()) {
            for (int run = 0; run < RUNS; run++) {
                long seed = seeds.nextLong();
                String label = String.format(Locale.ROOT, "run %d (seed %d)", run, seed);
                soak(sandbox, clock, http, new Random(seed), tmp.resolve("run-" + run), label, tally);
                assertThat(http.connectionPool().connectionCount()
                                - http.connectionPool().idleConnectionCount())
                        .as("%s: connections still in use", label)
                        .isZero();
            }
        }
        http.connectionPool().evictAll();
        assertNoLibraryThreadLeft();
        System.out.println("SOAK " + tally + " seed=" + SEED);
        assertThat(tally.runs).isEqualTo(RUNS);
        assertThat(tally.lost + tally.duplicated + tally.duplicateBatches).isZero();
        assertThat(tally.faults).as("faults injected").isGreaterThan(RUNS);
    }

    private static void soak(
            Mka1Sandbox sandbox,
            SandboxClock clock,
            OkHttpClient http,
            Random random,
            Path workDir,
            String label,
            Tally tally) {
        sandbox.reset();
        int requests = 1 + random.nextInt(40);
        int perBatch = 1 + random.nextInt(15);
        Set<Integer> failing = new HashSet<>();
        BatchRunParams.Builder params = BatchRunParams.builder()
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .maxRequestsPerBatch(perBatch)
                .workDir(workDir);
        for (int i = 1; i <= requests; i++) {
            boolean fails = random.nextInt(10) == 0;
            if (fails) {
                failing.add(i);
            }
            params.addRequest("q" + i, chat("question " + i, fails));
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            inject(sandbox, random, tally);
        }
        // Half the runs wait out no outage (budget zero): they give up when a call's retries are
        // spent, so the resume path is soaked too; the others ride every fault out.
        boolean givesUp = random.nextBoolean();
        WaitOptions waits = WaitOptions.builder()
                .pollInterval(Duration.ofSeconds(1))
                .outageBudget(givesUp ? Duration.ZERO : WaitOptions.DEFAULT_OUTAGE_BUDGET)
                .build();
        BatchRunResult result = null;
        try (Mka1Client client = Mka1Client.builder()
                .baseUrl(sandbox.baseUrl())
                .apiKey(sandbox.apiKey())
                .httpClient(http)
                .requestOptions(RequestOptions.builder().maxRetries(3).build())
                .clock(clock)
                .sleeper(wait -> {
                    clock.advance(wait);
                    if (random.nextDouble() < FAULT_PER_WAIT) {
                        inject(sandbox, random, tally);
                    }
                })
                .build()) {
            List<String> stops = new ArrayList<>();
            while (result == null) {
                try {
                    result = stops.isEmpty()
                            ? client.llm()
                                    .batches()
                                    .run(params.waitOptions(waits).build())
                            : client.llm().batches().resumeRun(workDir, waits, progress -> {});
                } catch (Mka1Exception e) {
                    stops.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                    assertThat(stops).as("%s gave up too often", label).hasSizeLessThan(20);
                }
            }
            if (!givesUp) {
                assertThat(stops).as("%s waits out every outage", label).isEmpty();
            }
            tally.resumes += stops.size();
            sandbox.clearFaults();

            List<String> outcomes = view(result);
            Set<String> answered = new HashSet<>();
            for (String outcome : outcomes) {
                answered.add(outcome.substring(0, outcome.indexOf(' ')));
            }
            int parts = (requests + perBatch - 1) / perBatch;
            List<String> batches = new ArrayList<>();
            client.llm()
                    .batches()
                    .list(ListBatchesParams.none())
                    .autoPager()
                    .forEach(batch -> batches.add(batch.getId()));
            tally.lost += requests - answered.size();
            tally.duplicated += outcomes.size() - answered.size();
            tally.duplicateBatches += batches.size() - parts;

            assertThat(outcomes).as(label).containsExactlyElementsOf(expected(requests, failing));
            assertThat(result.batchIds()).as(label).hasSize(parts);
            assertThat(batches)
                    .as("%s: one batch per part, never a second", label)
                    .containsExactlyInAnyOrderElementsOf(result.batchIds());
            assertThat(uploadedParts(client))
                    .as("%s: one input file per part", label)
                    .hasSize(parts);
            assertThat(keys(sandbox, SandboxOperation.CREATE)).as(label).hasSize(parts);
            tally.runs++;
            tally.inputs += requests;
            tally.parts += parts;
            tally.failed += result.failed();
        }
    }

    /** One random fault for the next request of a random operation. */
    private static void inject(Mka1Sandbox sandbox, Random random, Tally tally) {
        SandboxOperation operation = OPERATIONS[random.nextInt(OPERATIONS.length)];
        FaultSpec fault;
        switch (random.nextInt(9)) {
            case 0:
                fault = FaultSpec.status(500 + random.nextInt(5));
                break;
            case 1:
                fault = FaultSpec.status(429).retryAfterSeconds(1 + random.nextInt(3));
                break;
            case 2:
                fault = FaultSpec.fault(SandboxFault.CONNECTION_RESET);
                break;
            case 3:
                fault = FaultSpec.fault(SandboxFault.EMPTY_RESPONSE);
                break;
            case 4:
                fault = FaultSpec.fault(SandboxFault.RANDOM_DATA);
                break;
            case 5:
                operation = SandboxOperation.GET_FILE_CONTENT;
                fault = FaultSpec.cutBodyAfter(random.nextInt(2000));
                break;
            case 6:
                // The server does the work, the answer is lost: the retry must find it by its key.
                operation = random.nextBoolean() ? SandboxOperation.CREATE : SandboxOperation.UPLOAD_FILE;
                fault = FaultSpec.status(502).afterProcessing();
                break;
            case 7:
                fault = FaultSpec.delay(Duration.ofMillis(1 + random.nextInt(5)));
                break;
            default:
                fault = FaultSpec.status(503).times(1 + random.nextInt(3));
                break;
        }
        sandbox.injectFault(fault.on(operation));
        tally.faults++;
    }

    private static void assertNoLibraryThreadLeft() throws InterruptedException {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("mka1-batches-")) {
                thread.join(TimeUnit.SECONDS.toMillis(10));
                assertThat(thread.isAlive())
                        .as("thread %s still running after every client was closed", thread.getName())
                        .isFalse();
            }
        }
    }

    private static final class Tally {
        int runs;
        long inputs;
        long parts;
        long failed;
        int faults;
        int resumes;
        long lost;
        long duplicated;
        long duplicateBatches;

        @Override
        public String toString() {
            return "runs=" + runs + " inputs=" + inputs + " parts=" + parts + " failedBySandbox=" + failed
                    + " faultsInjected=" + faults + " resumes=" + resumes + " lost=" + lost + " duplicated="
                    + duplicated
                    + " duplicateBatches=" + duplicateBatches;
        }
    }
}
