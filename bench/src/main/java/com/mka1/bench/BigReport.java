package com.mka1.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The part of the report about big files, streamed results and the whole run: from the
 * {@link DownloadBenchmark}, {@link UploadBenchmark} and {@link ResultsBenchmark} entries of
 * {@code jmh.json}, and from {@code big.json} and {@code run.json} ({@link Harness} {@code big} and
 * {@code run}). Each figure with a target from issue 12 has the target and whether it was met
 * beside it. A contestant whose benchmark failed (no JMH result) shows "failed", and a target that
 * depends on it is not met.
 */
// The tables and charts list each enum's values in declaration order, by index.
@SuppressWarnings("EnumOrdinal")
final class BigReport {
    private static final String DOWNLOAD = "DownloadBenchmark.download";
    private static final String UPLOAD = "UploadBenchmark.upload";
    private static final String RESULTS = "ResultsBenchmark.results";

    private final JsonArray jmh;
    private final JsonObject big;
    private final JsonObject run;
    private final List<Chart.Panel> panels = new ArrayList<>();

    /**
     * @param jmh the JMH results
     * @param big {@code big.json}, or null if it was not run
     * @param run {@code run.json}, or null if it was not run
     */
    BigReport(JsonArray jmh, JsonObject big, JsonObject run) {
        this.jmh = jmh;
        this.big = big;
        this.run = run;
    }

    /** @return the chart panels of the figures {@link #markdown()} reported (call it first) */
    List<Chart.Panel> panels() {
        return panels;
    }

    /** @return the markdown of this part of the report */
    String markdown() {
        StringBuilder md = new StringBuilder("### Big files, streamed results, the whole run\n\n");
        downloads(md);
        uploads(md);
        results(md);
        memory(md);
        cut(md);
        run(md);
        return md.toString();
    }

    private void downloads(StringBuilder md) {
        Map<String, Double> seconds = jmhMedians(DOWNLOAD);
        if (seconds.isEmpty()) {
            md.append("Download: not in jmh.json (run `DownloadBenchmark`).\n\n");
            return;
        }
        long bytes = (long) jmhParam(DOWNLOAD, "mib") << 20;
        Map<String, Double> rate = perSecond(seconds, bytes / 1e6);
        md.append("**Download** of a ")
                .append(mib(bytes))
                .append(" file to disk (JMH single shot, median of the measured ")
                .append("iterations; MB = 10⁶ bytes):\n\n")
                .append("| contestant | calls | MB/s | × raw | × openai-java | target | met |\n")
                .append("|---|---|---:|---:|---:|---|:---:|\n");
        for (Download way : Download.values()) {
            Double value = rate.get(way.id);
            Double toRaw = ratio(value, rate.get("raw"));
            Double toOpenAi = ratio(value, rate.get("openai-java"));
            boolean ours = way.kind == Contestant.Kind.FACADE;
            row(
                    md,
                    way.id,
                    way.how,
                    figure(value),
                    ratioText(toRaw),
                    ratioText(toOpenAi),
                    ours ? "≥ 0.95 × raw, ≥ 1 × openai-java" : "",
                    ours ? met(toRaw != null && toRaw >= 0.95 && toOpenAi != null && toOpenAi >= 1.0) : "");
        }
        md.append('\n');
        panels.add(panel(
                "download of " + mib(bytes) + " to disk (MB/s, higher is better)",
                rate,
                Download.values().length,
                i -> Download.values()[i].id));
    }

    private void uploads(StringBuilder md) {
        Map<String, Double> seconds = jmhMedians(UPLOAD);
        if (seconds.isEmpty()) {
            md.append("Upload: not in jmh.json (run `UploadBenchmark`).\n\n");
            return;
        }
        long bytes = (long) jmhParam(UPLOAD, "mib") << 20;
        Map<String, Double> rate = perSecond(seconds, bytes / 1e6);
        md.append("**Upload** of a ")
                .append(mib(bytes))
                .append(" file from a `Path`, `multipart/form-data`, purpose ")
                .append("`batch` (JMH single shot, median):\n\n")
                .append("| contestant | calls | MB/s | × raw | × openai-java | target | met |\n")
                .append("|---|---|---:|---:|---:|---|:---:|\n");
        String[] how = {
            "`MultipartBody` over `RequestBody.create(file)`",
            "`files().upload(path, FilePurpose.BATCH)`",
            "`files().create(FileCreateParams.builder().file(path)...)`"
        };
        for (Contestant.Kind kind : Contestant.Kind.values()) {
            Double value = rate.get(kind.id);
            Double toRaw = ratio(value, rate.get("raw"));
            boolean ours = kind == Contestant.Kind.FACADE;
            row(
                    md,
                    kind.id,
                    how[kind.ordinal()],
                    figure(value),
                    ratioText(toRaw),
                    ratioText(ratio(value, rate.get("openai-java"))),
                    ours ? "≥ 0.95 × raw" : "",
                    ours ? met(toRaw != null && toRaw >= 0.95) : "");
        }
        md.append('\n');
        panels.add(panel(
                "upload of " + mib(bytes) + " from a Path (MB/s, higher is better)",
                rate,
                Contestant.Kind.values().length,
                i -> Contestant.Kind.values()[i].id));
    }

    private void results(StringBuilder md) {
        Map<String, Double> seconds = jmhMedians(RESULTS);
        if (seconds.isEmpty()) {
            md.append("Results: not in jmh.json (run `ResultsBenchmark`).\n\n");
            return;
        }
        int lines = jmhParam(RESULTS, "lines");
        Map<String, Double> rate = perSecond(seconds, lines);
        Map<String, Double> alloc = new LinkedHashMap<>();
        for (JsonObject result : jmhRuns(RESULTS)) {
            JsonObject norm = result.getAsJsonObject("secondaryMetrics").getAsJsonObject("gc.alloc.rate.norm");
            if (norm != null) {
                alloc.put(contestant(result), norm.get("score").getAsDouble() / lines);
            }
        }
        md.append("**Results**: the ")
                .append(String.format(Locale.ROOT, "%,d", lines))
                .append(" lines of a batch's output ")
                .append("file, reading `custom_id` and the status code of each (JMH single shot, median; allocation ")
                .append(
                        "from `-prof gc`'s `gc.alloc.rate.norm` over the lines; openai-java has no results reader):\n\n")
                .append("| contestant | calls | lines/s | × raw | allocated per line | × raw | target | met |\n")
                .append("|---|---|---:|---:|---:|---:|---|:---:|\n");
        String[][] contestants = {
            {"raw", "OkHttp, Gson `JsonReader` loop over the body's `charStream()`"},
            {"facade", "`batches().results(batchId)`, iterated"},
            {
                ResultsBenchmark.FACADE_JSONREADER,
                "the facade's `files().content()`, a strict Gson `JsonReader` per line over a reused buffer, no scanner"
            }
        };
        for (String[] c : contestants) {
            Double value = rate.get(c[0]);
            Double toRaw = ratio(value, rate.get("raw"));
            // The JsonReader way has the facade's target too: met, it replaces the scanner (issue 24).
            boolean ours = c[0].startsWith("facade");
            Double bytes = alloc.get(c[0]);
            row(
                    md,
                    c[0],
                    c[1],
                    figure(value),
                    ratioText(toRaw),
                    bytes == null ? "—" : Chart.format(bytes) + " B",
                    ratioText(ratio(bytes, alloc.get("raw"))),
                    ours ? "≥ 0.9 × raw" : "",
                    ours ? met(toRaw != null && toRaw >= 0.9) : "");
        }
        md.append('\n');
        panels.add(panel(
                "results: " + String.format(Locale.ROOT, "%,d", lines) + " lines read (lines/s, higher is better)",
                rate,
                contestants.length,
                i -> contestants[i][0]));
        panels.add(panel(
                "allocated per result line (bytes, lower is better)",
                alloc,
                contestants.length,
                i -> contestants[i][0]));
    }

    private void memory(StringBuilder md) {
        if (big == null) {
            md.append("Fresh JVMs with a small heap: big.json missing (run `Harness big`).\n\n");
            return;
        }
        String xmx = big.get("xmx").getAsString();
        md.append("**In a fresh JVM with `-Xmx")
                .append(xmx)
                .append("`**: one run of each (")
                .append(mib(big.get("fileBytes").getAsLong()))
                .append(" files, ")
                .append(String.format(Locale.ROOT, "%,d", big.get("lines").getAsLong()))
                .append(
                        " result lines); peak heap used from the heap pools' peaks; time from spawning the JVM to its exit:\n\n")
                .append("| benchmark | contestant | completed | peak heap used | time | target | met |\n")
                .append("|---|---|:---:|---:|---:|---|:---:|\n");
        for (String benchmark : new String[] {"download", "upload", "results"}) {
            for (JsonElement e : big.getAsJsonArray(benchmark)) {
                JsonObject r = e.getAsJsonObject();
                String contestant = r.get("contestant").getAsString();
                boolean ours = contestant.startsWith("facade");
                boolean completed = r.get("completed").getAsBoolean();
                row(
                        md,
                        benchmark,
                        contestant,
                        completed ? "yes" : "**no** (exit " + r.get("exit") + ")",
                        completed
                                ? String.format(
                                        Locale.ROOT,
                                        "%.1f MB",
                                        r.get("peakHeapBytes").getAsLong() / 1e6)
                                : "—",
                        String.format(Locale.ROOT, "%.1f s", r.get("millis").getAsLong() / 1e3),
                        ours ? "completes" : "",
                        ours ? met(completed) : "");
            }
        }
        if (run != null) {
            for (JsonElement e : run.getAsJsonArray("runs")) {
                JsonObject r = e.getAsJsonObject();
                boolean completed = r.get("completed").getAsBoolean();
                row(
                        md,
                        "run of "
                                + String.format(
                                        Locale.ROOT, "%,d", run.get("requests").getAsLong()) + " requests (`-Xmx"
                                + run.get("xmx").getAsString() + "`)",
                        "facade",
                        completed ? "yes" : "**no** (exit " + r.get("exit") + ")",
                        completed
                                ? String.format(
                                        Locale.ROOT,
                                        "%.1f MB",
                                        r.get("peakHeapBytes").getAsLong() / 1e6)
                                : "—",
                        completed ? seconds(r.get("wallMillis").getAsLong() / 1e3) + " (the run)" : "—",
                        "completes",
                        met(completed));
            }
        }
        md.append('\n');
    }

    private void cut(StringBuilder md) {
        if (big == null) {
            return;
        }
        long bytes = big.get("fileBytes").getAsLong();
        md.append("**Download with the connection cut at 50 %** (the server closes it after ")
                .append(mib(bytes / 2))
                .append(" of the body, once), in a fresh JVM with `-Xmx")
                .append(big.get("xmx").getAsString())
                .append("`: the bytes the server sent in all. A caller of a client that can't resume starts over")
                .append(" (at most 3 attempts):\n\n")
                .append(
                        "| contestant | recovery | completed | bytes sent | × the file | attempts by the caller | target | met |\n")
                .append("|---|---|:---:|---:|---:|---:|---|:---:|\n");
        Map<String, Double> transferred = new LinkedHashMap<>();
        for (JsonElement e : big.getAsJsonArray("cut")) {
            JsonObject r = e.getAsJsonObject();
            String contestant = r.get("contestant").getAsString();
            boolean resumes = contestant.equals("facade");
            boolean completed = r.get("completed").getAsBoolean();
            long sent = r.get("transferredBytes").getAsLong();
            double times = (double) sent / bytes;
            transferred.put(contestant, times);
            row(
                    md,
                    contestant,
                    resumes ? "resumes itself (`Range: bytes=N-`)" : "the caller starts over",
                    completed ? "yes" : "**no** (exit " + r.get("exit") + ")",
                    size(sent),
                    String.format(Locale.ROOT, "%.2f", times),
                    String.valueOf(r.get("attempts").getAsLong()),
                    resumes ? "≤ 1.05 × the file" : "",
                    resumes ? met(completed && times <= 1.05) : "");
        }
        md.append('\n');
        panels.add(panel(
                "download cut at 50 %: bytes sent in all (× the file, lower is better)",
                transferred, Download.values().length, i -> Download.values()[i].id));
    }

    private void run(StringBuilder md) {
        if (run == null) {
            md.append("Run: run.json missing (run `Harness run`).\n\n");
            return;
        }
        JsonArray runs = run.getAsJsonArray("runs");
        md.append("**`batches().run(...)`** of ")
                .append(String.format(Locale.ROOT, "%,d", run.get("requests").getAsLong()))
                .append(" chat-completion requests end to end (validate, split, upload, create, wait, download, join)")
                .append(" against the embedded sandbox in its own JVM, on a clock the client's sleeper advances; the")
                .append(" client in a fresh JVM with `-Xmx")
                .append(run.get("xmx").getAsString())
                .append("`, ")
                .append(runs.size())
                .append(" run(s), each in fresh JVMs. *Awaiting the sandbox*: time during which")
                .append(" a request was out and its response's headers not back yet; *in the client*: the rest of the")
                .append(" wall time:\n\n")
                .append(
                        "| run | completed | batches | wall time | in the client | awaiting the sandbox | client share |")
                .append(" client JVM CPU | its calling thread's | sandbox JVM CPU | peak heap used | requests/s |\n")
                .append("|---:|:---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        List<Double> walls = new ArrayList<>();
        List<Double> clients = new ArrayList<>();
        List<Double> awaited = new ArrayList<>();
        int n = 0;
        for (JsonElement e : runs) {
            JsonObject r = e.getAsJsonObject();
            n++;
            if (!r.get("completed").getAsBoolean()) {
                md.append("| ")
                        .append(n)
                        .append(" | **no** (exit ")
                        .append(r.get("exit"))
                        .append(") |")
                        .append(" | | | | | | | | | |\n");
                continue;
            }
            double wall = r.get("wallMillis").getAsLong() / 1e3;
            double awaiting = r.get("awaitingMillis").getAsLong() / 1e3;
            walls.add(wall);
            clients.add(wall - awaiting);
            awaited.add(awaiting);
            md.append("| ")
                    .append(n)
                    .append(" | yes | ")
                    .append(r.get("batches").getAsLong())
                    .append(" | ")
                    .append(seconds(wall))
                    .append(" | ")
                    .append(seconds(wall - awaiting))
                    .append(" | ")
                    .append(seconds(awaiting))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f %%", 100 * (wall - awaiting) / wall))
                    .append(" | ")
                    .append(seconds(r.get("cpuMillis").getAsLong() / 1e3))
                    .append(" | ")
                    .append(seconds(r.get("threadCpuMillis").getAsLong() / 1e3))
                    .append(" | ")
                    .append(seconds(r.get("sandboxCpuMillis").getAsLong() / 1e3))
                    .append(" | ")
                    .append(String.format(
                            Locale.ROOT, "%.1f MB", r.get("peakHeapBytes").getAsLong() / 1e6))
                    .append(" | ")
                    .append(Chart.format(r.get("requests").getAsLong() / wall))
                    .append(" |\n");
        }
        md.append('\n');
        if (!walls.isEmpty()) {
            Map<String, Double> split = new LinkedHashMap<>();
            split.put("wall time", Report.median(walls));
            split.put("in the client", Report.median(clients));
            split.put("awaiting sandbox", Report.median(awaited));
            Chart.Panel panel = new Chart.Panel("batches().run of "
                    + String.format(Locale.ROOT, "%,d", run.get("requests").getAsLong())
                    + " requests, median run (s, lower is better)");
            panel.bar("wall time", split.get("wall time"), Chart.BLUE)
                    .bar("in the client", split.get("in the client"), Chart.LIGHT_BLUE)
                    .bar("awaiting sandbox", split.get("awaiting sandbox"), Chart.GREY);
            panels.add(panel);
        }
    }

    /** @return the median seconds per operation of each contestant of {@code benchmark} */
    private Map<String, Double> jmhMedians(String benchmark) {
        Map<String, Double> medians = new LinkedHashMap<>();
        for (JsonObject result : jmhRuns(benchmark)) {
            JsonObject primary = result.getAsJsonObject("primaryMetric");
            List<Double> iterations = new ArrayList<>();
            for (JsonElement fork : primary.getAsJsonArray("rawData")) {
                fork.getAsJsonArray().forEach(v -> iterations.add(v.getAsDouble()));
            }
            medians.put(
                    contestant(result),
                    Report.median(iterations)
                            * secondsPer(primary.get("scoreUnit").getAsString()));
        }
        return medians;
    }

    private List<JsonObject> jmhRuns(String benchmark) {
        List<JsonObject> runs = new ArrayList<>();
        for (JsonElement e : jmh) {
            JsonObject result = e.getAsJsonObject();
            if (result.get("benchmark").getAsString().endsWith(benchmark)) {
                runs.add(result);
            }
        }
        return runs;
    }

    private int jmhParam(String benchmark, String name) {
        return jmhRuns(benchmark).get(0).getAsJsonObject("params").get(name).getAsInt();
    }

    private static String contestant(JsonObject result) {
        return result.getAsJsonObject("params").get("contestant").getAsString();
    }

    /** @return the seconds in one unit of a JMH time-per-operation score, e.g. {@code ms/op} */
    private static double secondsPer(String unit) {
        switch (unit) {
            case "s/op":
                return 1;
            case "ms/op":
                return 1e-3;
            case "us/op":
                return 1e-6;
            case "ns/op":
                return 1e-9;
            default:
                throw new IllegalStateException("not a time per operation: " + unit);
        }
    }

    private static Map<String, Double> perSecond(Map<String, Double> seconds, double amount) {
        Map<String, Double> rate = new LinkedHashMap<>();
        seconds.forEach((contestant, s) -> rate.put(contestant, amount / s));
        return rate;
    }

    private static Chart.Panel panel(
            String title, Map<String, Double> values, int bars, java.util.function.IntFunction<String> label) {
        Chart.Panel panel = new Chart.Panel(title);
        for (int i = 0; i < bars; i++) {
            String id = label.apply(i);
            panel.bar(id, values.get(id), Chart.color(id));
        }
        return panel;
    }

    private static Double ratio(Double value, Double to) {
        return value == null || to == null ? null : value / to;
    }

    private static String ratioText(Double ratio) {
        return ratio == null ? "—" : String.format(Locale.ROOT, "%.2f", ratio);
    }

    private static String figure(Double value) {
        return value == null ? "**failed**" : Chart.format(value);
    }

    private static String met(boolean met) {
        return met ? "yes" : "**no**";
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
    }

    /** @return a size in GiB, or MiB below 1 GiB (the smoke test's files) */
    private static String size(long bytes) {
        return bytes >= 1L << 30
                ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.2f MiB", bytes / (double) (1L << 20));
    }

    private static void row(StringBuilder md, String... cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
}
