package com.mka1.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Walks {@code pages} x 100 batches with each contestant's auto-pager, single thread. One operation
 * is one whole walk; it fails unless it saw every batch in exactly {@code pages} requests. The
 * requests and walks of each iteration are reported as auxiliary counters.
 */
@State(Scope.Benchmark)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 8)
@Measurement(iterations = 4, time = 8)
public class WalkBenchmark {
    @Param({"raw", "facade", "openai-java"})
    public String contestant;

    @Param({"1000"})
    public int pages;

    private CannedServer server;
    private Contestant client;

    /** What the server counted, per iteration. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Requests {
        /** Requests the server answered during the iteration's walks. */
        public long requests;
        /** Complete walks in the iteration. */
        public long walks;

        @Setup(Level.Iteration)
        public void reset() {
            requests = 0;
            walks = 0;
        }
    }

    @Setup(Level.Trial)
    public void open() {
        server = CannedServer.start(pages);
        client = Contestant.Kind.of(contestant).open(server.rootUrl());
    }

    @TearDown(Level.Trial)
    public void close() {
        client.close();
        server.close();
    }

    /** @return the batches seen: walks per second */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long walk(Requests counted) {
        long before = server.requests();
        long seen = client.walk();
        long made = server.requests() - before;
        long expected = (long) pages * CannedBatches.PAGE_SIZE;
        if (seen != expected || made != pages) {
            throw new IllegalStateException(contestant + " saw " + seen + " batches in " + made + " requests; expected "
                    + expected + " in " + pages);
        }
        counted.requests += made;
        counted.walks++;
        return seen;
    }
}
