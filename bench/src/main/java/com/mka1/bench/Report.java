package com.mka1.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one run's raw results into the results section of {@code docs/BENCHMARKS.md} (between
 * its {@code <!-- results:begin -->} and {@code <!-- results:end -->} markers) and an SVG chart.
 *
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar com.mka1.bench.Report bench/target/results docs/BENCHMARKS.md docs/benchmarks.svg
 * }</pre>
 *
 * <p>Reads from the results folder: {@code jmh.json} (JMH {@code -rf json}, with {@code -prof gc}),
 * {@code coldstart.json} and {@code bounded.json} (from {@link Harness}), {@code big.json} and
 * {@code run.json} if present (from {@link Harness}; see {@link BigReport}), {@code machine.txt}, and
 * the {@code <contestant>.classpath} files whose jars make up each footprint. JMH figures are the
 * medians of the measurement iterations.
 */
public final class Report {
    static final String BEGIN = "<!-- results:begin -->";
    static final String END = "<!-- results:end -->";
    private static final Contestant.Kind RAW = Contestant.Kind.RAW;
    private static final Contestant.Kind OURS = Contestant.Kind.FACADE;
    private static final Contestant.Kind OPENAI = Contestant.Kind.OPENAI_JAVA;

    /** One row of the table: a value per contestant, and which way is better. */
    static final class Metric {
        final String name;
        final String unit;
        final boolean lowerIsBetter;
        final Map<Contestant.Kind, Double> values = new EnumMap<>(Contestant.Kind.class);
        String target = "";
        Boolean met;

        Metric(String name, String unit, boolean lowerIsBetter) {
            this.name = name;
            this.unit = unit;
            this.lowerIsBetter = lowerIsBetter;
        }

        double ratio(Contestant.Kind to) {
            return values.get(OURS) / values.get(to);
        }
    }

    private Report() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: Report <resultsDir> <BENCHMARKS.md> <chart.svg>");
        }
        Path results = Paths.get(args[0]);
        List<Metric> metrics = new ArrayList<>();
        JsonArray jmh =
                JsonParser.parseString(read(results.resolve("jmh.json"))).getAsJsonArray();

        Metric get = jmhMetric(jmh, "GetBenchmark.get", "get, 1 thread", "µs/call", true);
        get.target = "≤ 1.05 × raw, ≤ 0.7 × openai-java";
        get.met = get.ratio(RAW) <= 1.05 && get.ratio(OPENAI) <= 0.7;
        metrics.add(get);

        Metric get8 = jmhMetric(jmh, "GetBenchmark.get8Threads", "get, 8 threads, one shared client", "calls/s", false);
        get8.target = "≥ 0.95 × raw";
        get8.met = get8.ratio(RAW) >= 0.95;
        metrics.add(get8);

        Metric walk = jmhMetric(jmh, "WalkBenchmark.walk", "walk of all batches (auto-pager)", "batches/s", false);
        int pages = 0;
        Metric requests = new Metric("requests per walk (server count)", "requests", true);
        for (JsonElement e : jmh) {
            JsonObject run = e.getAsJsonObject();
            if (run.get("benchmark").getAsString().endsWith("WalkBenchmark.walk")) {
                Contestant.Kind kind = contestant(run);
                pages = run.getAsJsonObject("params").get("pages").getAsInt();
                JsonObject secondary = run.getAsJsonObject("secondaryMetrics");
                requests.values.put(kind, score(secondary, "requests") / score(secondary, "walks"));
            }
        }
        for (Contestant.Kind kind : Contestant.Kind.values()) {
            walk.values.put(kind, walk.values.get(kind) * pages * CannedBatches.PAGE_SIZE);
        }
        walk.target = "≥ 1.5 × openai-java";
        walk.met = walk.ratio(OPENAI) >= 1.5;
        metrics.add(walk);
        requests.target = "exactly " + String.format(Locale.ROOT, "%,d", pages);
        int expectedRequests = pages;
        requests.met = requests.values.values().stream().allMatch(v -> v == expectedRequests);
        metrics.add(requests);

        JsonObject cold =
                JsonParser.parseString(read(results.resolve("coldstart.json"))).getAsJsonObject();
        int runs = cold.get("runs").getAsInt();
        Metric coldStart = new Metric("cold start: fresh JVM to first parsed batch, median of " + runs, "ms", true);
        for (Contestant.Kind kind : Contestant.Kind.values()) {
            coldStart.values.put(
                    kind, median(doubles(cold.getAsJsonObject("millis").getAsJsonArray(kind.id))));
        }
        coldStart.target = "≤ 0.7 × openai-java";
        coldStart.met = coldStart.ratio(OPENAI) <= 0.7;
        metrics.add(coldStart);

        Metric footprint = new Metric("footprint: runtime jars", "MB", true);
        for (Contestant.Kind kind : Contestant.Kind.values()) {
            footprint.values.put(kind, jarBytes(results.resolve(kind.id + ".classpath")) / 1e6);
        }
        footprint.target = "≤ 0.5 × openai-java";
        footprint.met = footprint.ratio(OPENAI) <= 0.5;
        metrics.add(footprint);

        Metric allocGet =
                secondaryMetric(jmh, "GetBenchmark.get", "gc.alloc.rate.norm", "allocated per get", "KB", 1e3);
        metrics.add(allocGet);
        Metric allocWalk =
                secondaryMetric(jmh, "WalkBenchmark.walk", "gc.alloc.rate.norm", "allocated per walk", "MB", 1e6);
        allocWalk.target = "≤ 1.1 × raw";
        allocWalk.met = allocWalk.ratio(RAW) <= 1.1;
        metrics.add(allocWalk);

        JsonObject bounded =
                JsonParser.parseString(read(results.resolve("bounded.json"))).getAsJsonObject();
        BigReport big = new BigReport(
                jmh, optionalObject(results.resolve("big.json")), optionalObject(results.resolve("run.json")));
        String section = section(read(results.resolve("machine.txt")), metrics, bounded, pages) + big.markdown()
                + "![facade vs raw OkHttp+Gson vs openai-java](benchmarks.svg)\n\n";
        Path doc = Paths.get(args[1]);
        String text = read(doc);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(doc + " lacks the " + BEGIN + " / " + END + " markers");
        }
        Files.writeString(doc, text.substring(0, begin + BEGIN.length()) + "\n" + section + text.substring(end));
        List<Chart.Panel> panels = new ArrayList<>();
        for (Metric m : List.of(get, get8, walk, coldStart, footprint, allocGet)) {
            panels.add(panel(m));
        }
        panels.addAll(big.panels());
        Files.writeString(Paths.get(args[2]), Chart.svg("MKA1 facade vs raw OkHttp+Gson vs openai-java", panels));
        System.out.println(section);
    }

    static String section(String machine, List<Metric> metrics, JsonObject bounded, int pages) {
        StringBuilder md = new StringBuilder();
        md.append("_Generated by `bench/run.sh` (class `com.mka1.bench.Report`); do not edit by hand._\n\n");
        md.append("**Machine**\n\n```\n").append(machine.trim()).append("\n```\n\n");
        md.append(
                "| measure | unit | raw OkHttp+Gson | facade | openai-java | facade / raw | facade / openai-java | target | met |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---|:---:|\n");
        for (Metric m : metrics) {
            md.append("| ").append(m.name).append(" | ").append(m.unit);
            for (Contestant.Kind kind : Contestant.Kind.values()) {
                md.append(" | ").append(Chart.format(m.values.get(kind)));
            }
            md.append(" | ").append(String.format(Locale.ROOT, "%.2f", m.ratio(RAW)));
            md.append(" | ").append(String.format(Locale.ROOT, "%.2f", m.ratio(OPENAI)));
            md.append(" | ").append(m.target.isEmpty() ? "—" : m.target);
            md.append(" | ")
                    .append(m.met == null ? "" : m.met ? "yes" : "**no**")
                    .append(" |\n");
        }
        md.append("\nBounded memory: one walk of ")
                .append(String.format(Locale.ROOT, "%,d", pages * CannedBatches.PAGE_SIZE))
                .append(" batches per contestant in a fresh JVM with `-Xmx")
                .append(bounded.get("xmx").getAsString())
                .append("` (")
                .append(bounded.get("pages").getAsInt())
                .append(" pages):\n\n");
        md.append(
                "| contestant | completed | batches | requests | peak heap used | time |\n|---|:---:|---:|---:|---:|---:|\n");
        for (JsonElement e : bounded.getAsJsonArray("results")) {
            JsonObject r = e.getAsJsonObject();
            md.append("| ")
                    .append(r.get("contestant").getAsString())
                    .append(" | ")
                    .append(r.get("completed").getAsBoolean() ? "yes" : "**no** (exit " + r.get("exit") + ")")
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", r.get("batches").getAsLong()))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", r.get("requests").getAsLong()))
                    .append(" | ")
                    .append(String.format(
                            Locale.ROOT, "%.1f MB", r.get("peakHeapBytes").getAsLong() / 1e6))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f s", r.get("millis").getAsLong() / 1e3))
                    .append(" |\n");
        }
        md.append('\n');
        return md.toString();
    }

    private static Metric jmhMetric(JsonArray jmh, String benchmark, String name, String unit, boolean lowerIsBetter) {
        Metric metric = new Metric(name, unit, lowerIsBetter);
        for (JsonElement e : jmh) {
            JsonObject run = e.getAsJsonObject();
            if (run.get("benchmark").getAsString().endsWith(benchmark)) {
                List<Double> iterations = new ArrayList<>();
                for (JsonElement fork : run.getAsJsonObject("primaryMetric").getAsJsonArray("rawData")) {
                    iterations.addAll(doubles(fork.getAsJsonArray()));
                }
                metric.values.put(contestant(run), median(iterations));
            }
        }
        return complete(metric, benchmark);
    }

    private static Metric secondaryMetric(
            JsonArray jmh, String benchmark, String secondary, String name, String unit, double divisor) {
        Metric metric = new Metric(name + " (" + secondary + ")", unit, true);
        for (JsonElement e : jmh) {
            JsonObject run = e.getAsJsonObject();
            if (run.get("benchmark").getAsString().endsWith(benchmark)) {
                metric.values.put(contestant(run), score(run.getAsJsonObject("secondaryMetrics"), secondary) / divisor);
            }
        }
        return complete(metric, benchmark + " " + secondary);
    }

    private static Metric complete(Metric metric, String what) {
        if (metric.values.size() != Contestant.Kind.values().length) {
            throw new IllegalStateException(
                    "jmh.json lacks " + what + " for some contestant: " + metric.values.keySet());
        }
        return metric;
    }

    private static Contestant.Kind contestant(JsonObject run) {
        return Contestant.Kind.of(
                run.getAsJsonObject("params").get("contestant").getAsString());
    }

    private static double score(JsonObject metrics, String name) {
        JsonObject metric = metrics.getAsJsonObject(name);
        if (metric == null) {
            throw new IllegalStateException("no secondary metric " + name + " (run JMH with -prof gc)");
        }
        return metric.get("score").getAsDouble();
    }

    private static List<Double> doubles(JsonArray array) {
        List<Double> values = new ArrayList<>();
        array.forEach(v -> values.add(v.getAsDouble()));
        return values;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static long jarBytes(Path classpathFile) throws IOException {
        long bytes = 0;
        for (String entry : read(classpathFile).trim().split(File.pathSeparator)) {
            bytes += Files.size(Paths.get(entry));
        }
        return bytes;
    }

    /** @return the JSON object in {@code file}, or null if there is no such file */
    private static JsonObject optionalObject(Path file) throws IOException {
        return Files.exists(file) ? JsonParser.parseString(read(file)).getAsJsonObject() : null;
    }

    private static String read(Path path) throws IOException {
        return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
    }

    /** @return the chart panel of a row of the main table */
    static Chart.Panel panel(Metric m) {
        Chart.Panel panel =
                new Chart.Panel(m.name + " (" + m.unit + ", " + (m.lowerIsBetter ? "lower" : "higher") + " is better)");
        for (Contestant.Kind kind : Contestant.Kind.values()) {
            panel.bar(kind.id, m.values.get(kind), Chart.color(kind.id));
        }
        return panel;
    }
}
