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
 * Saves a file of {@code mib} MiB from the canned server to a file in a temporary directory, each
 * {@link Download} way: one operation is one whole download, timed once per iteration
 * ({@code SingleShotTime}). Each iteration fails unless the file on disk has every byte and the
 * server sent each byte once; the file is deleted after it. The directory is
 * {@code java.io.tmpdir}'s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class DownloadBenchmark {
    @Param({"raw", "facade", "facade-content", "openai-java"})
    public String contestant;

    /** The file's size in MiB. */
    @Param({"1024"})
    public int mib;

    private CannedServer server;
    private Download way;
    private Contestant client;
    private Path dir;
    private Path target;
    private long bytes;
    private long sentBefore;

    @Setup(Level.Trial)
    public void open() throws IOException {
        bytes = (long) mib << 20;
        server = CannedServer.builder().download(bytes).start();
        way = Download.of(contestant);
        client = way.kind.open(server.rootUrl());
        dir = Files.createTempDirectory("mka1-bench-download-");
        target = dir.resolve("download.jsonl");
    }

    @Setup(Level.Iteration)
    public void count() {
        sentBefore = server.contentBytes();
    }

    /** @return the bytes written */
    @Benchmark
    public long download() throws IOException {
        return way.run(client, CannedFiles.DOWNLOAD_ID, target);
    }

    @TearDown(Level.Iteration)
    public void check() throws IOException {
        long onDisk = Files.size(target);
        long sent = server.contentBytes() - sentBefore;
        Files.delete(target);
        if (onDisk != bytes || sent != bytes) {
            throw new IllegalStateException(
                    contestant + " wrote " + onDisk + " bytes of " + bytes + "; the server sent " + sent);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        client.close();
        server.close();
        Files.deleteIfExists(target);
        Files.delete(dir);
    }
}
