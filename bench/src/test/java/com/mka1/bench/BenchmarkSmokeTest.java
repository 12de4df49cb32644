package com.mka1.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark once, in this JVM, for one short iteration on a few pages, so the bench
 * module cannot rot: each benchmark must run for each contestant, and the walks must make exactly
 * one request per page (the benchmarks themselves fail otherwise). The file benchmarks run on
 * files of {@value #MIB} MiB and {@value #LINES} result lines, with {@code -prof gc} as in
 * {@code bench/run.sh}, and their JSON results go through the report. Never asserts a time.
 */
class BenchmarkSmokeTest {
    private static final int PAGES = 3;
    private static final int MIB = 2;
    private static final int LINES = 3000;

    @TempDir
    Path dir;

    @Test
    void everyBenchmarkRunsForEveryContestantWithTheRightRequestCounts() throws Exception {
        Options options = new OptionsBuilder()
                .include(GetBenchmark.class.getName() + "|" + WalkBenchmark.class.getName())
                .param("pages", String.valueOf(PAGES))
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        List<String> ran = new ArrayList<>();
        for (RunResult result : results) {
            String contestant = result.getParams().getParam("contestant");
            String benchmark = result.getParams().getBenchmark();
            ran.add(benchmark.substring(benchmark.lastIndexOf('.') + 1) + "/" + contestant);
            assertThat(result.getPrimaryResult().getSampleCount()).as(benchmark).isPositive();
            if (benchmark.endsWith(".walk")) {
                Result<?> requests = result.getSecondaryResults().get("requests");
                Result<?> walks = result.getSecondaryResults().get("walks");
                assertThat(walks.getScore()).as("walks of " + contestant).isPositive();
                assertThat(requests.getScore()).as("requests of " + contestant).isEqualTo(walks.getScore() * PAGES);
            }
        }
        assertThat(ran)
                .containsExactlyInAnyOrder(
                        "get/raw",
                        "get/facade",
                        "get/openai-java",
                        "get8Threads/raw",
                        "get8Threads/facade",
                        "get8Threads/openai-java",
                        "walk/raw",
                        "walk/facade",
                        "walk/openai-java");
    }

    @Test
    void everyFileBenchmarkRunsForEveryContestantAtTinySizesAndReports() throws Exception {
        Path json = dir.resolve("jmh.json");
        Options options = new OptionsBuilder()
                .include(DownloadBenchmark.class.getName() + "|" + UploadBenchmark.class.getName() + "|"
                        + ResultsBenchmark.class.getName())
                .param("mib", String.valueOf(MIB))
                .param("lines", String.valueOf(LINES))
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .addProfiler(GCProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .shouldFailOnError(true)
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        List<String> ran = new ArrayList<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            ran.add(benchmark.substring(benchmark.lastIndexOf('.') + 1) + "/"
                    + result.getParams().getParam("contestant"));
            assertThat(result.getPrimaryResult().getSampleCount()).as(benchmark).isPositive();
            assertThat(result.getSecondaryResults()).as(benchmark).containsKey("gc.alloc.rate.norm");
        }
        assertThat(ran)
                .containsExactlyInAnyOrder(
                        "download/raw",
                        "download/facade",
                        "download/facade-content",
                        "download/openai-java",
                        "upload/raw",
                        "upload/facade",
                        "upload/openai-java",
                        "results/raw",
                        "results/facade",
                        "results/facade-jsonreader");

        JsonArray jmh = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
        BigReport report = new BigReport(jmh, null, null);
        String markdown = report.markdown();
        assertThat(markdown)
                .contains("**Download** of a 2 MiB file", "**Upload** of a 2 MiB file", "**Results**: the 3,000 lines")
                .doesNotContain("failed");
        for (String way : List.of("raw", "facade", "facade-content", "openai-java")) {
            assertThat(markdown).containsPattern("\\| " + way + " \\| [^|]+ \\| [0-9,.]+ \\|");
        }
        assertThat(report.panels()).hasSize(4);
    }
}
