package com.mka1.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code GET /api/v1/llm/batches/{id}}: one client shared by the benchmark threads, one request and
 * one parsed batch per call. The trial fails unless the server saw exactly one request per call.
 */
@State(Scope.Benchmark)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GetBenchmark {
    @Param({"raw", "facade", "openai-java"})
    public String contestant;

    private CannedServer server;
    private Contestant client;
    private final LongAdder calls = new LongAdder();
    private String batchId;

    @Setup(Level.Trial)
    public void open() {
        server = CannedServer.start(0);
        client = Contestant.Kind.of(contestant).open(server.rootUrl());
        batchId = CannedBatches.getId();
    }

    @TearDown(Level.Trial)
    public void close() {
        client.close();
        server.close();
        if (server.requests() != calls.sum()) {
            throw new IllegalStateException(
                    contestant + " made " + server.requests() + " requests for " + calls.sum() + " calls");
        }
    }

    /** @return the batch: single thread, time per call */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object get() {
        calls.increment();
        return client.get(batchId);
    }

    /** @return the batch: 8 threads sharing the client, calls per second */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(8)
    public Object get8Threads() {
        calls.increment();
        return client.get(batchId);
    }
}
