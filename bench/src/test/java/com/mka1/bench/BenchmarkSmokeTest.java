package com.mka1.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark once, in this JVM, for one short iteration on a few pages, so the bench
 * module cannot rot: each benchmark must run for each contestant, and the walks must make exactly
 * one request per page (the benchmarks themselves fail otherwise). Never asserts a time.
 */
class BenchmarkSmokeTest {
    private static final int PAGES = 3;

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
        assertThat(ran).containsExactlyInAnyOrder(
                "get/raw", "get/facade", "get/openai-java",
                "get8Threads/raw", "get8Threads/facade", "get8Threads/openai-java",
                "walk/raw", "walk/facade", "walk/openai-java");
    }
}
