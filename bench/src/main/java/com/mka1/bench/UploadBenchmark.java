package com.mka1.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Uploads a file of {@code mib} MiB from a {@code Path} (written once per trial in a temporary
 * directory, {@code java.io.tmpdir}'s) as {@code multipart/form-data} with purpose {@code batch}:
 * one operation is one whole upload, timed once per iteration ({@code SingleShotTime}). The server
 * reads the body through a buffer and answers 400 unless it held the whole file; each iteration
 * fails unless the server accepted exactly one file of that size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class UploadBenchmark {
    @Param({"raw", "facade", "openai-java"})
    public String contestant;

    /** The file's size in MiB. */
    @Param({"1024"})
    public int mib;

    private CannedServer server;
    private Contestant client;
    private Path dir;
    private Path source;
    private long bytes;
    private long uploadedBefore;

    @Setup(Level.Trial)
    public void open() throws IOException {
        bytes = (long) mib << 20;
        server = CannedServer.builder().upload(bytes).start();
        client = Contestant.Kind.of(contestant).open(server.rootUrl());
        dir = Files.createTempDirectory("mka1-bench-upload-");
        source = dir.resolve(CannedFiles.UPLOAD_NAME);
        CannedFiles.writeUploadSource(source, bytes);
    }

    @Setup(Level.Iteration)
    public void count() {
        uploadedBefore = server.uploadedBytes();
    }

    /** @return the size the server stored */
    @Benchmark
    public long upload() {
        return client.upload(source);
    }

    @TearDown(Level.Iteration)
    public void check() {
        long uploaded = server.uploadedBytes() - uploadedBefore;
        if (uploaded != bytes) {
            throw new IllegalStateException(
                    contestant + " uploaded " + uploaded + " bytes; expected one file of " + bytes);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        client.close();
        server.close();
        Files.delete(source);
        Files.delete(dir);
    }
}
