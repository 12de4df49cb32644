package com.mka1.batches.run;

import com.mka1.batches.BatchResults;
import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.BatchRunResult.Outcome;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.jsonl.BatchResult;
import com.mka1.batches.models.BatchEndpoint;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A batch run of many requests, for {@link BatchRunMemoryTest}, which runs this in a child JVM
 * with a small heap against a sandbox in its own JVM:
 * {@code BatchRunAtScale <workRoot> <requests> <baseUrl> <apiKey>}.
 *
 * <p>Writes an input file of embeddings requests with 58-character ids (one in 1000 failing),
 * runs it with {@code batches().run(...)} — validation, split into parts, uploads, creates, wait,
 * downloads, join — and reads every outcome back, checking counts and order; then streams every
 * batch's results from the server again with {@code batches().results(id)}. The client does not
 * wait between polls (the sandbox's batches finish within milliseconds of real time), so nothing
 * sleeps. Prints one {@code OK ...} line with the counts, the heap's peak and the times; exits 1
 * with a message on any mismatch.
 */
public final class BatchRunAtScale {
    private BatchRunAtScale() {}

    public static void main(String[] args) throws IOException {
        Path root = Paths.get(args[0]);
        int n = Integer.parseInt(args[1]);
        Path input = root.resolve("input.jsonl");
        long t0 = System.nanoTime();

        try (BufferedWriter out = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            for (int i = 1; i <= n; i++) {
                out.write("{\"custom_id\":\"" + id(i) + "\",\"method\":\"POST\",\"url\":\"/v1/embeddings\","
                        + "\"body\":{\"model\":\"e\",\"input\":\"text number " + i + "\""
                        + (fails(i) ? ",\"sandbox_fail\":true" : "") + "}}\n");
            }
        }
        long t1 = System.nanoTime();

        Mka1Client client = Mka1Client.builder()
                .apiKey(args[3])
                .baseUrl(args[2])
                .sleeper(wait -> {})
                .build();
        BatchRunResult run = client.llm()
                .batches()
                .run(BatchRunParams.builder()
                        .endpoint(BatchEndpoint.EMBEDDINGS)
                        .inputFile(input)
                        .workDir(root.resolve("run"))
                        .build());
        long t2 = System.nanoTime();

        long failing = n / 1000;
        check(run.total() == n, "total " + run.total());
        check(run.failed() == failing, "failed " + run.failed() + ", expected " + failing);
        check(run.succeeded() == n - failing, "succeeded " + run.succeeded());
        check(
                run.missing() == 0 && run.unmatchedResults() == 0,
                "missing " + run.missing() + ", unmatched " + run.unmatchedResults());
        long seen = 0;
        try (Stream<Outcome> outcomes = run.outcomes()) {
            Iterator<Outcome> each = outcomes.iterator();
            while (each.hasNext()) {
                Outcome o = each.next();
                seen++;
                check(o.customId().equals(id((int) seen)), "outcome " + seen + " is " + o.customId());
                Outcome.Kind expected = fails((int) seen) ? Outcome.Kind.FAILED : Outcome.Kind.SUCCEEDED;
                check(o.kind() == expected, "outcome " + seen + " is " + o.kind());
            }
        }
        check(seen == n, "outcomes " + seen);
        long t3 = System.nanoTime();

        // The same results again, streamed from the server by batches().results(id), batch by batch.
        long streamed = 0;
        long streamedFailures = 0;
        for (String batchId : run.batchIds()) {
            try (BatchResults results = client.llm().batches().results(batchId)) {
                for (BatchResult result : results) {
                    streamed++;
                    streamedFailures += result.isSuccess() ? 0 : 1;
                }
            }
        }
        client.close();
        check(
                streamed == n && streamedFailures == failing,
                "results() streamed " + streamed + " lines, " + streamedFailures + " failures");
        long t4 = System.nanoTime();

        System.out.printf(
                Locale.ROOT,
                "OK total=%d succeeded=%d failed=%d missing=%d unmatched=%d batches=%d"
                        + " heapPeakMB=%d maxHeapMB=%d writeInput=%.1fs run=%.1fs readOutcomes=%.1fs streamResults=%.1fs%n",
                run.total(),
                run.succeeded(),
                run.failed(),
                run.missing(),
                run.unmatchedResults(),
                run.batchIds().size(),
                heapPeak() >> 20,
                Runtime.getRuntime().maxMemory() >> 20,
                secs(t0, t1),
                secs(t1, t2),
                secs(t2, t3),
                secs(t3, t4));
    }

    /** 58 characters: keeping every id in a {@code HashMap} would take about 140 bytes a request. */
    static String id(int i) {
        return String.format(Locale.ROOT, "request-%09d-%040x", i, (long) i * 0x9E3779B97F4A7C15L);
    }

    static boolean fails(int i) {
        return i % 1000 == 7;
    }

    private static long heapPeak() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static double secs(long from, long to) {
        return (to - from) / 1e9;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("FAILED " + what);
            System.exit(1);
        }
    }
}
