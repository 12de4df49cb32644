package com.mka1.bench;

import java.util.concurrent.TimeUnit;
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
 * Reads the results of the canned batch, an output file of {@code lines} result lines, reading the
 * {@code custom_id} and status code of each: the facade iterating {@code batches().results(id)},
 * raw OkHttp reading the same bytes with a Gson {@code JsonReader} loop (openai-java has no way to
 * read results), and {@value #FACADE_JSONREADER}: the facade's client reading the output file's
 * lines with a Gson {@code JsonReader} each over a reused buffer instead of its own scanner
 * ({@link ResultsThroughJsonReader}, issue 24's measure of whether the scanner stays). One operation is the whole file, timed once per iteration ({@code SingleShotTime});
 * it fails unless it read every line.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class ResultsBenchmark {
    /** The facade's stack, each line read by a {@code JsonReader} instead of its scanner. */
    static final String FACADE_JSONREADER = "facade-jsonreader";

    @Param({"raw", "facade", FACADE_JSONREADER})
    public String contestant;

    @Param({"1000000"})
    public int lines;

    private CannedServer server;
    private Contestant client;

    @Setup(Level.Trial)
    public void open() {
        server = CannedServer.builder().results(lines).start();
        client = Contestant.Kind.of(throughJsonReader() ? Contestant.Kind.FACADE.id : contestant)
                .open(server.rootUrl());
    }

    /** @return the lines read */
    @Benchmark
    public long results() {
        long read = throughJsonReader()
                ? client.resultsThroughJsonReader(CannedBatches.getId())
                : client.results(CannedBatches.getId());
        if (read != lines) {
            throw new IllegalStateException(contestant + " read " + read + " result lines of " + lines);
        }
        return read;
    }

    private boolean throughJsonReader() {
        return contestant.equals(FACADE_JSONREADER);
    }

    @TearDown(Level.Trial)
    public void close() {
        client.close();
        server.close();
    }
}
