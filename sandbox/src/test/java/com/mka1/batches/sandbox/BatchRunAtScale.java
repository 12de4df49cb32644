package com.mka1.batches.sandbox;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.BatchRunResult.Outcome;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.models.BatchEndpoint;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The validation and join steps of a batch run at scale, for {@link BatchRunMemoryTest}, which
 * runs this in a child JVM with a small heap: {@code BatchRunAtScale <workRoot> <requests>}.
 *
 * <ol>
 *   <li>writes an input file of {@code requests} embeddings requests with 58-character ids;
 *   <li>runs it through {@code batches().run(...)} with a client whose server is unreachable:
 *       the run validates and splits every request (the step under test), then dies on its
 *       first upload;
 *   <li>writes each part's output and error files as a server would, in a scrambled order, with
 *       one failed request in 1000, one missing in 1000 and one unmatched line per part, and
 *       records the parts as finished and downloaded in the manifest (as a run killed after its
 *       downloads leaves it);
 *   <li>resumes the run, which joins everything into {@code results.jsonl} (the other step under
 *       test), and checks every count and the order of every outcome.
 * </ol>
 * Prints one {@code OK ...} line with the counts, the heap's peak and each step's time; exits 1
 * with a message on any mismatch.
 */
public final class BatchRunAtScale {
    private BatchRunAtScale() {}

    public static void main(String[] args) throws IOException {
        Path root = Paths.get(args[0]);
        int n = Integer.parseInt(args[1]);
        Path input = root.resolve("input.jsonl");
        Path dir = root.resolve("run");
        long t0 = System.nanoTime();

        try (BufferedWriter out = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            for (int i = 1; i <= n; i++) {
                out.write("{\"custom_id\":\"" + id(i) + "\",\"method\":\"POST\",\"url\":\"/v1/embeddings\","
                        + "\"body\":{\"model\":\"e\",\"input\":\"text number " + i + "\"}}\n");
            }
        }
        long t1 = System.nanoTime();

        try (Mka1Client unreachable = Mka1Client.builder().apiKey("sk-unused").baseUrl("http://127.0.0.1:9")
                .maxRetries(0).connectTimeout(Duration.ofSeconds(2)).build()) {
            try {
                unreachable.llm().batches().run(BatchRunParams.builder()
                        .endpoint(BatchEndpoint.EMBEDDINGS)
                        .inputFile(input)
                        .workDir(dir)
                        .build());
                fail("the run reached a server that does not exist");
            } catch (Mka1IoException expected) {
                // validated and split; died on the first upload
            }
            long t2 = System.nanoTime();

            JsonObject manifest = JsonParser.parseString(Files.readString(dir.resolve("manifest.json"))).getAsJsonObject();
            JsonArray parts = manifest.getAsJsonArray("parts");
            long failed = 0;
            long missing = 0;
            for (int p = 0; p < parts.size(); p++) {
                JsonObject part = parts.get(p).getAsJsonObject();
                long[] counts = writeResults(dir, part.get("file").getAsString(), p + 1);
                failed += counts[0];
                missing += counts[1];
                part.addProperty("input_file_id", "file_in_" + (p + 1));
                part.addProperty("batch_id", "batch_" + (p + 1));
                part.addProperty("status", "completed");
                part.addProperty("output_file_id", "file_out_" + (p + 1));
                part.addProperty("error_file_id", "file_err_" + (p + 1));
                part.addProperty("output_downloaded", true);
                part.addProperty("errors_downloaded", true);
            }
            Files.writeString(dir.resolve("manifest.json"), manifest.toString());
            long t3 = System.nanoTime();

            BatchRunResult run = unreachable.llm().batches().resumeRun(dir);
            long t4 = System.nanoTime();

            check(run.total() == n, "total " + run.total());
            check(run.failed() == failed, "failed " + run.failed() + ", expected " + failed);
            check(run.missing() == missing, "missing " + run.missing() + ", expected " + missing);
            check(run.succeeded() == n - failed - missing, "succeeded " + run.succeeded());
            check(run.unmatchedResults() == parts.size(), "unmatched " + run.unmatchedResults());
            long seen = 0;
            try (Stream<Outcome> outcomes = run.outcomes()) {
                Iterator<Outcome> each = outcomes.iterator();
                while (each.hasNext()) {
                    Outcome o = each.next();
                    seen++;
                    check(o.customId().equals(id((int) seen)), "outcome " + seen + " is " + o.customId());
                    check(o.kind() == expectedKind((int) seen), "outcome " + seen + " is " + o.kind());
                }
            }
            check(seen == n, "outcomes " + seen);
            long t5 = System.nanoTime();

            System.out.printf(Locale.ROOT, "OK total=%d succeeded=%d failed=%d missing=%d unmatched=%d parts=%d"
                            + " heapPeakMB=%d maxHeapMB=%d writeInput=%.1fs validateAndSplit=%.1fs fakeServer=%.1fs"
                            + " join=%.1fs readOutcomes=%.1fs%n",
                    run.total(), run.succeeded(), run.failed(), run.missing(), run.unmatchedResults(), parts.size(),
                    heapPeak() >> 20, Runtime.getRuntime().maxMemory() >> 20,
                    secs(t0, t1), secs(t1, t2), secs(t2, t3), secs(t3, t4), secs(t4, t5));
        }
    }

    /** 58 characters: the naive approach (every id in a HashMap) needs ~140 bytes a request. */
    static String id(int i) {
        return String.format(Locale.ROOT, "request-%09d-%040x", i, (long) i * 0x9E3779B97F4A7C15L);
    }

    static BatchRunResult.Outcome.Kind expectedKind(int i) {
        if (i % 1000 == 7) {
            return Outcome.Kind.FAILED;
        }
        return i % 1000 == 500 ? Outcome.Kind.MISSING : Outcome.Kind.SUCCEEDED;
    }

    /**
     * Writes a part's output and error files: even lines first, then odd ones (results come in
     * any order); plus one line for a request that does not exist.
     *
     * @return {failed, missing}
     */
    private static long[] writeResults(Path dir, String partFile, int part) throws IOException {
        String base = partFile.replace(".jsonl", "");
        long failed = 0;
        long missing = 0;
        try (BufferedWriter output = Files.newBufferedWriter(dir.resolve(base + ".output.jsonl"), StandardCharsets.UTF_8);
             BufferedWriter errors = Files.newBufferedWriter(dir.resolve(base + ".errors.jsonl"), StandardCharsets.UTF_8)) {
            for (int pass = 0; pass < 2; pass++) {
                try (BufferedReader lines = Files.newBufferedReader(dir.resolve(partFile), StandardCharsets.UTF_8)) {
                    int k = 0;
                    for (String line = lines.readLine(); line != null; line = lines.readLine(), k++) {
                        if (k % 2 != pass) {
                            continue;
                        }
                        String customId = line.substring(14, line.indexOf('"', 14));
                        int i = Integer.parseInt(customId.substring(8, 17));
                        switch (expectedKind(i)) {
                            case FAILED:
                                errors.write("{\"id\":\"batch_req_" + i + "\",\"custom_id\":\"" + customId
                                        + "\",\"response\":null,\"error\":{\"code\":\"processing_error\","
                                        + "\"message\":\"failed\"}}\n");
                                failed++;
                                break;
                            case MISSING:
                                missing++;
                                break;
                            default:
                                output.write("{\"id\":\"batch_req_" + i + "\",\"custom_id\":\"" + customId
                                        + "\",\"response\":{\"status_code\":200,\"request_id\":\"req_" + i
                                        + "\",\"body\":{\"object\":\"list\",\"data\":[{\"object\":\"embedding\","
                                        + "\"index\":0,\"embedding\":[0.25,-0.5,0.75]}]}},\"error\":null}\n");
                        }
                    }
                }
            }
            output.write("{\"id\":\"batch_req_x\",\"custom_id\":\"nobody-" + part + "\",\"response\":{\"status_code\":200,"
                    + "\"body\":{}},\"error\":null}\n");
        }
        return new long[] {failed, missing};
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
            fail(what);
        }
    }

    private static void fail(String what) {
        System.out.println("FAILED " + what);
        System.exit(1);
    }
}
