package com.mka1.bench;

import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.Sleeper;
import com.mka1.batches.models.BatchEndpoint;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * The client side of the run benchmark ({@link Harness} {@code run}), in a JVM holding only the
 * facade: {@code RunChild <baseUrl> <apiKey> <clockPort> <workRoot> <requests>}.
 *
 * <p>Writes an input file of {@code requests} chat-completion requests (untimed), then runs it end
 * to end with {@code batches().run(...)} against the sandbox of {@link SandboxChild}: validation,
 * split, uploads, creates, waits, downloads, join. The client's sleeper advances the sandbox clock
 * through the {@link ClockBridge} instead of sleeping, and its clock follows that clock, as the
 * sandbox's JUnit extension does in one JVM. Prints
 * {@code ran requests=.. batches=.. wallMillis=.. awaitingMillis=.. exchanges=.. cpuMillis=.. threadCpuMillis=.. peakHeapBytes=..}:
 * the wall time of {@code run(...)}, the time during which a request was out and its response's
 * headers not yet back (the sandbox's share: an OkHttp {@link EventListener} from
 * {@code requestHeadersStart} to {@code responseHeadersEnd}), the exchanges, this JVM's CPU time
 * during the run (every thread: the caller's, OkHttp's, the JIT compilers', the GC's), the calling
 * thread's alone, and the heap's peak during the run. Exits 1 unless every request succeeded.
 */
public final class RunChild {
    private RunChild() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: RunChild <baseUrl> <apiKey> <clockPort> <workRoot> <requests>");
        }
        Path root = Paths.get(args[3]);
        int requests = Integer.parseInt(args[4]);
        Path input = root.resolve("input.jsonl");
        writeInput(input, requests);

        Awaiting awaiting = new Awaiting();
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                .writeTimeout(Duration.ofSeconds(60))
                .eventListenerFactory(call -> awaiting.new PerCall())
                .build();
        try (RemoteSandboxClock clock = new RemoteSandboxClock(ClockBridge.connect(Integer.parseInt(args[2])));
                Mka1Client client = Mka1Client.builder()
                        .apiKey(args[1])
                        .baseUrl(args[0])
                        .httpClient(http)
                        .clock(clock)
                        .sleeper(clock)
                        .build()) {
            resetHeapPeaks();
            long cpuBefore = processCpuNanos();
            long threadCpuBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long start = System.nanoTime();
            BatchRunResult run = client.llm()
                    .batches()
                    .run(BatchRunParams.builder()
                            .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                            .inputFile(input)
                            .workDir(root.resolve("run"))
                            .build());
            long wall = System.nanoTime() - start;
            long cpu = processCpuNanos() - cpuBefore;
            long threadCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - threadCpuBefore;
            long peak = heapPeakBytes();
            if (run.total() != requests || run.succeeded() != requests || run.missing() != 0) {
                System.out.println("FAILED total=" + run.total() + " succeeded=" + run.succeeded() + " missing="
                        + run.missing() + " of " + requests);
                System.exit(1);
            }
            System.out.printf(
                    Locale.ROOT,
                    "ran requests=%d batches=%d wallMillis=%d awaitingMillis=%d exchanges=%d"
                            + " cpuMillis=%d threadCpuMillis=%d peakHeapBytes=%d%n",
                    run.total(),
                    run.batchIds().size(),
                    millis(wall),
                    millis(awaiting.nanos()),
                    awaiting.exchanges(),
                    millis(cpu),
                    millis(threadCpu),
                    peak);
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
        System.out.flush();
        System.exit(0);
    }

    /** {@code requests} chat-completion requests, ids {@code request-0000001} on. */
    private static void writeInput(Path input, int requests) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            for (int i = 1; i <= requests; i++) {
                out.write(String.format(
                        Locale.ROOT,
                        "{\"custom_id\":\"request-%07d\",\"method\":\"POST\","
                                + "\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"gpt-4o-mini\",\"messages\":"
                                + "[{\"role\":\"user\",\"content\":\"What is the capital of country number %d?\"}]}}%n",
                        i,
                        i));
            }
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static long processCpuNanos() {
        return ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .orElse(Duration.ZERO)
                .toNanos();
    }

    private static void resetHeapPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long heapPeakBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    /**
     * The time during which at least one request was out and its response's headers not yet
     * back, over all calls (a union of intervals, so concurrent calls are not counted twice).
     */
    static final class Awaiting {
        private int outstanding;
        private long since;
        private long nanos;
        private long exchanges;

        synchronized void begin() {
            exchanges++;
            if (outstanding++ == 0) {
                since = System.nanoTime();
            }
        }

        synchronized void end() {
            if (--outstanding == 0) {
                nanos += System.nanoTime() - since;
            }
        }

        synchronized long nanos() {
            return nanos;
        }

        synchronized long exchanges() {
            return exchanges;
        }

        /** One call's listener: each of its exchanges begins when its request starts and ends at its response's headers. */
        final class PerCall extends EventListener {
            private boolean out;

            @Override
            public void requestHeadersStart(Call call) {
                if (!out) {
                    out = true;
                    begin();
                }
            }

            @Override
            public void responseHeadersEnd(Call call, Response response) {
                done();
            }

            @Override
            public void requestFailed(Call call, IOException ioe) {
                done();
            }

            @Override
            public void responseFailed(Call call, IOException ioe) {
                done();
            }

            @Override
            public void callFailed(Call call, IOException ioe) {
                done();
            }

            private void done() {
                if (out) {
                    out = false;
                    end();
                }
            }
        }
    }

    /**
     * The sandbox's clock as seen from this JVM: it starts where {@link SandboxChild}'s does and
     * moves only by the waits this sleeper advances both by.
     */
    private static final class RemoteSandboxClock extends Clock implements Sleeper, AutoCloseable {
        private final ClockBridge.Remote remote;
        private volatile Duration offset = Duration.ZERO;

        RemoteSandboxClock(ClockBridge.Remote remote) {
            this.remote = remote;
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted before a sandbox wait of " + duration);
            }
            synchronized (this) {
                remote.advance(duration);
                offset = offset.plus(duration);
            }
        }

        @Override
        public Instant instant() {
            return ClockBridge.START.plus(offset);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the sandbox clock is UTC");
        }

        @Override
        public void close() throws IOException {
            remote.close();
        }
    }
}
