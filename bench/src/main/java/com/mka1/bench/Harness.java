package com.mka1.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The measurements that need a fresh JVM per run, each child holding only one contestant's
 * libraries ({@code <classpathDir>/<contestant>.classpath}, one line) plus the bench classes:
 *
 * <pre>{@code
 * java -cp bench/target/classes com.mka1.bench.Harness coldstart <classpathDir> <benchClasses> <runs> <out.json>
 * java -cp bench/target/classes com.mka1.bench.Harness bounded <classpathDir> <benchClasses> <xmx> <pages> <out.json>
 * java -cp bench/target/classes com.mka1.bench.Harness big <classpathDir> <benchClasses> <xmx> <mib> <lines> <out.json>
 * java -cp bench/target/classes com.mka1.bench.Harness run <classpathDir> <benchClasses> <xmx> <requests> <runs> <out.json>
 * }</pre>
 *
 * <p>{@code coldstart}: wall time from spawning {@code java} to its exit after one parsed get,
 * contestants interleaved round by round after one untimed round (disk cache).
 * {@code bounded}: one walk of {@code pages} pages per contestant under {@code -Xmx<xmx>}; the
 * server counts the requests. {@code big}: under {@code -Xmx<xmx>}, one download of a
 * {@code mib} MiB file per {@link Download} way, the same again with the connection cut halfway
 * (the server counts the bytes it sent), one upload of such a file per contestant, and one read
 * of a {@code lines}-line results file by raw and the facade. The canned server runs in this JVM,
 * outside the children's heap; the files go to a temporary directory ({@code java.io.tmpdir}'s).
 * {@code run}: {@code runs} times, a fresh sandbox JVM ({@link SandboxChild}, the classpath in
 * {@code sandbox.classpath}) and a fresh facade JVM under {@code -Xmx<xmx>} running
 * {@code batches().run(...)} of {@code requests} requests against it ({@link RunChild}); the
 * sandbox JVM's CPU time is read from outside around the client's run.
 */
public final class Harness {
    private static final long CHILD_TIMEOUT_SECONDS = 300;

    private Harness() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 5 && args[0].equals("coldstart")) {
            write(args[4], coldStart(Paths.get(args[1]), args[2], Integer.parseInt(args[3])));
        } else if (args.length >= 6 && args[0].equals("bounded")) {
            String json = bounded(Paths.get(args[1]), args[2], args[3], Integer.parseInt(args[4]));
            write(args[5], json);
            if (!json.contains("\"contestant\":\"" + Contestant.Kind.FACADE.id + "\",\"exit\":0,\"completed\":true")) {
                throw new IllegalStateException("the facade's walk did not complete under -Xmx" + args[3]);
            }
        } else if (args.length >= 7 && args[0].equals("big")) {
            write(
                    args[6],
                    big(Paths.get(args[1]), args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5])));
        } else if (args.length >= 7 && args[0].equals("run")) {
            write(
                    args[6],
                    run(Paths.get(args[1]), args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5])));
        } else {
            throw new IllegalArgumentException(
                    "usage: Harness coldstart <classpathDir> <benchClasses> <runs> <out.json>"
                            + " | bounded <classpathDir> <benchClasses> <xmx> <pages> <out.json>"
                            + " | big <classpathDir> <benchClasses> <xmx> <mib> <lines> <out.json>"
                            + " | run <classpathDir> <benchClasses> <xmx> <requests> <runs> <out.json>");
        }
    }

    /** @return the JSON of the cold-start runs: milliseconds per run per contestant */
    static String coldStart(Path classpathDir, String benchClasses, int runs) {
        Map<Contestant.Kind, List<Long>> millis = new LinkedHashMap<>();
        try (CannedServer server = CannedServer.start(0)) {
            for (int round = -1; round < runs; round++) {
                for (Contestant.Kind kind : Contestant.Kind.values()) {
                    long start = System.nanoTime();
                    Child child = child(kind, classpathDir, benchClasses, List.of(), "get", kind.id, server);
                    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    child.expect("ok");
                    if (round >= 0) {
                        millis.computeIfAbsent(kind, k -> new ArrayList<>()).add(elapsed);
                    }
                }
            }
            long expectedRequests = (long) (runs + 1) * Contestant.Kind.values().length;
            if (server.requests() != expectedRequests) {
                throw new IllegalStateException(
                        "cold start made " + server.requests() + " requests, expected " + expectedRequests);
            }
        }
        StringJoiner json = new StringJoiner(",\n", "{\"runs\":" + runs + ",\"millis\":{\n", "\n}}\n");
        millis.forEach((kind, values) -> json.add("  \"" + kind.id + "\":" + values));
        return json.toString();
    }

    /** @return the JSON of one bounded-memory walk per contestant */
    static String bounded(Path classpathDir, String benchClasses, String xmx, int pages) {
        StringJoiner json =
                new StringJoiner(",\n", "{\"xmx\":\"" + xmx + "\",\"pages\":" + pages + ",\"results\":[\n", "\n]}\n");
        try (CannedServer server = CannedServer.start(pages)) {
            for (Contestant.Kind kind : Contestant.Kind.values()) {
                long before = server.requests();
                long start = System.nanoTime();
                Child child = child(kind, classpathDir, benchClasses, List.of("-Xmx" + xmx), "walk", kind.id, server);
                long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                long requests = server.requests() - before;
                String[] words = child.line("walked ").split(" ");
                boolean walked = child.exit == 0 && words.length == 4;
                json.add("  {\"contestant\":\"" + kind.id + "\",\"exit\":" + child.exit
                        + ",\"completed\":" + walked
                        + ",\"batches\":" + (walked ? words[1] : "0")
                        + ",\"requests\":" + requests
                        + ",\"peakHeapBytes\":" + (walked ? words[3] : "0")
                        + ",\"millis\":" + elapsed + "}");
                if (!walked) {
                    System.err.println(kind.id + " did not complete under -Xmx" + xmx + ":\n" + child.output);
                }
            }
        }
        return json.toString();
    }

    /** @return the JSON of the {@code -Xmx} runs of the file benchmarks: downloads, cut downloads, uploads, results */
    static String big(Path classpathDir, String benchClasses, String xmx, int mib, int lines) throws IOException {
        long bytes = (long) mib << 20;
        List<String> heap = List.of("-Xmx" + xmx);
        StringJoiner downloads = new StringJoiner(",\n", "[\n", "\n]");
        StringJoiner cuts = new StringJoiner(",\n", "[\n", "\n]");
        StringJoiner uploads = new StringJoiner(",\n", "[\n", "\n]");
        StringJoiner results = new StringJoiner(",\n", "[\n", "\n]");
        Path dir = Files.createTempDirectory("mka1-bench-big-");
        Path target = dir.resolve("download.jsonl");
        Path source = dir.resolve(CannedFiles.UPLOAD_NAME);
        try (CannedServer server = CannedServer.builder()
                .download(bytes)
                .upload(bytes)
                .results(lines)
                .start()) {
            for (Download way : Download.values()) {
                Measured m = measure(
                        server,
                        () -> child(
                                way.kind,
                                classpathDir,
                                benchClasses,
                                heap,
                                "download",
                                way.id,
                                server,
                                target.toString()));
                long onDisk = sizeAndDelete(target);
                downloads.add(m.json(way.id, m.count() == bytes && onDisk == bytes, ""));
            }
            for (Download way : Download.values()) {
                server.cutNextDownloadAt(bytes / 2);
                Measured m = measure(
                        server,
                        () -> child(
                                way.kind, classpathDir, benchClasses, heap, "cut", way.id, server, target.toString()));
                long onDisk = sizeAndDelete(target);
                cuts.add(m.json(
                        way.id,
                        m.count() == bytes && onDisk == bytes,
                        ",\"transferredBytes\":" + m.contentBytes + ",\"attempts\":" + m.field("attempts")));
            }
            CannedFiles.writeUploadSource(source, bytes);
            for (Contestant.Kind kind : Contestant.Kind.values()) {
                Measured m = measure(
                        server,
                        () -> child(
                                kind, classpathDir, benchClasses, heap, "upload", kind.id, server, source.toString()));
                uploads.add(m.json(kind.id, m.count() == bytes && m.uploadedBytes == bytes, ""));
            }
            Files.delete(source);
            for (Contestant.Kind kind : List.of(Contestant.Kind.RAW, Contestant.Kind.FACADE)) {
                Measured m = measure(
                        server, () -> child(kind, classpathDir, benchClasses, heap, "results", kind.id, server));
                results.add(m.json(kind.id, m.count() == lines, ""));
            }
        } finally {
            Files.deleteIfExists(target);
            Files.deleteIfExists(source);
            Files.delete(dir);
        }
        return "{\"xmx\":\"" + xmx + "\",\"fileBytes\":" + bytes + ",\"lines\":" + lines
                + ",\n\"download\":" + downloads + ",\n\"cut\":" + cuts + ",\n\"upload\":" + uploads
                + ",\n\"results\":" + results + "}\n";
    }

    private static long sizeAndDelete(Path file) throws IOException {
        long size = Files.exists(file) ? Files.size(file) : -1;
        Files.deleteIfExists(file);
        return size;
    }

    private static Measured measure(CannedServer server, Supplier<Child> run) {
        long requests = server.requests();
        long content = server.contentBytes();
        long uploaded = server.uploadedBytes();
        long start = System.nanoTime();
        Child child = run.get();
        return new Measured(
                child,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                server.requests() - requests,
                server.contentBytes() - content,
                server.uploadedBytes() - uploaded);
    }

    /** One child's {@code done ...} line and what the server counted while it ran. */
    private static final class Measured {
        final Child child;
        final long millis;
        final long requests;
        final long contentBytes;
        final long uploadedBytes;

        Measured(Child child, long millis, long requests, long contentBytes, long uploadedBytes) {
            this.child = child;
            this.millis = millis;
            this.requests = requests;
            this.contentBytes = contentBytes;
            this.uploadedBytes = uploadedBytes;
        }

        long count() {
            return field("count");
        }

        /** @return the value of {@code name=} on the child's {@code done} line, or -1 */
        long field(String name) {
            for (String word : child.line("done ").split(" ")) {
                if (word.startsWith(name + "=")) {
                    return Long.parseLong(word.substring(name.length() + 1));
                }
            }
            return -1;
        }

        String json(String contestant, boolean checked, String extra) {
            boolean completed = child.exit == 0 && checked;
            if (!completed) {
                System.err.println(contestant + " did not complete:\n" + child.output);
            }
            return "  {\"contestant\":\"" + contestant + "\",\"exit\":" + child.exit + ",\"completed\":" + completed
                    + ",\"count\":" + Math.max(0, count()) + ",\"requests\":" + requests
                    + ",\"peakHeapBytes\":" + Math.max(0, field("peakHeapBytes"))
                    + ",\"childMillis\":" + Math.max(0, field("millis")) + ",\"millis\":" + millis + extra + "}";
        }
    }

    /** @return the JSON of {@code runs} runs of {@code batches().run(...)} against the sandbox */
    static String run(Path classpathDir, String benchClasses, String xmx, int requests, int runs) throws IOException {
        String sandboxClasspath = benchClasses
                + File.pathSeparator
                + Files.readString(classpathDir.resolve("sandbox.classpath")).trim();
        String clientClasspath = classpath(classpathDir, benchClasses, Contestant.Kind.FACADE);
        StringJoiner json = new StringJoiner(
                ",\n", "{\"xmx\":\"" + xmx + "\",\"requests\":" + requests + ",\"runs\":[\n", "\n]}\n");
        for (int i = 0; i < runs; i++) {
            Path work = Files.createTempDirectory("mka1-bench-run-");
            try (SandboxProcess sandbox = new SandboxProcess(
                    List.of(java(), "-Xmx2g", "-cp", sandboxClasspath, SandboxChild.class.getName()))) {
                String ready = sandbox.await("sandbox ");
                if (ready == null) {
                    throw new IllegalStateException("the sandbox did not start:\n" + sandbox.output());
                }
                String[] words = ready.split(" ");
                Duration cpuBefore = sandbox.cpu();
                Child client = spawn(
                        "run",
                        List.of(
                                java(),
                                "-Xmx" + xmx,
                                "-cp",
                                clientClasspath,
                                RunChild.class.getName(),
                                words[1],
                                words[2],
                                words[3],
                                work.toString(),
                                String.valueOf(requests)));
                Duration sandboxCpu = sandbox.cpu().minus(cpuBefore);
                sandbox.endInput();
                String served = sandbox.await("served ");
                String line = client.line("ran ");
                boolean completed = client.exit == 0 && !line.isEmpty();
                if (!completed) {
                    System.err.println("the run did not complete:\n" + client.output);
                }
                StringBuilder entry = new StringBuilder("  {\"exit\":")
                        .append(client.exit)
                        .append(",\"completed\":")
                        .append(completed);
                for (String word : line.split(" ")) {
                    int eq = word.indexOf('=');
                    if (eq > 0) {
                        entry.append(",\"").append(word, 0, eq).append("\":").append(word.substring(eq + 1));
                    }
                }
                entry.append(",\"sandboxCpuMillis\":")
                        .append(sandboxCpu.toMillis())
                        .append(",\"sandboxServed\":\"")
                        .append(served == null ? "" : served)
                        .append("\"}");
                json.add(entry);
            } finally {
                deleteTree(work);
            }
        }
        return json.toString();
    }

    /**
     * A {@link SandboxChild} running beside the harness: its output read line by line as it comes
     * (by a daemon thread, so it never fills the pipe); it serves until its input is closed.
     */
    private static final class SandboxProcess implements AutoCloseable {
        private static final long WAIT_SECONDS = 120;
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder output = new StringBuilder();

        SandboxProcess(List<String> command) throws IOException {
            this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader in = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                            for (String line = in.readLine(); line != null; line = in.readLine()) {
                                lines.add(line);
                            }
                        } catch (IOException e) {
                            // the process is gone
                        }
                    },
                    "sandbox-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** @return the next line starting with {@code prefix}, or null if none came within {@value #WAIT_SECONDS} s */
        String await(String prefix) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            try {
                for (long left = WAIT_SECONDS * 1_000_000_000L; left > 0; left = deadline - System.nanoTime()) {
                    String line = lines.poll(left, TimeUnit.NANOSECONDS);
                    if (line == null) {
                        return null;
                    }
                    output.append(line).append('\n');
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** @return what the process printed so far */
        String output() {
            List<String> rest = new ArrayList<>();
            lines.drainTo(rest);
            rest.forEach(line -> output.append(line).append('\n'));
            return output.toString();
        }

        /** @return the CPU time the process has used so far (user and system, all its threads) */
        Duration cpu() {
            return process.info().totalCpuDuration().orElse(Duration.ZERO);
        }

        /** Closes its input: the sandbox prints what it served and exits. */
        void endInput() throws IOException {
            process.getOutputStream().close();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    static String classpath(Path classpathDir, String benchClasses, Contestant.Kind kind) {
        Path file = classpathDir.resolve(kind.id + ".classpath");
        try {
            return benchClasses + File.pathSeparator + Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("no classpath file " + file + " (bench/run.sh writes it)", e);
        }
    }

    /** Runs {@code ChildMain <mode> <contestant> <rootUrl> [<extra>...]} on {@code kind}'s classpath. */
    private static Child child(
            Contestant.Kind kind,
            Path classpathDir,
            String benchClasses,
            List<String> jvmArgs,
            String mode,
            String contestant,
            CannedServer server,
            String... extra) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmArgs);
        command.addAll(Arrays.asList(
                "-cp",
                classpath(classpathDir, benchClasses, kind),
                ChildMain.class.getName(),
                mode,
                contestant,
                server.rootUrl()));
        command.addAll(Arrays.asList(extra));
        return spawn(contestant + " " + mode, command);
    }

    private static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Runs a command to its end, with its output (kept in a file meanwhile, so a child that never
     * ends can't block us on a full pipe). A child still running after
     * {@value #CHILD_TIMEOUT_SECONDS} s is killed and reported with exit -1.
     */
    private static Child spawn(String what, List<String> command) {
        Path log = null;
        try {
            log = Files.createTempFile("mka1-bench-child-", ".log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            boolean finished = process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor();
            }
            String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            return finished
                    ? new Child(what, process.exitValue(), output)
                    : new Child(
                            what,
                            -1,
                            output + "\n(" + what + " did not finish in " + CHILD_TIMEOUT_SECONDS
                                    + " s and was killed)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a temporary file left behind
                }
            }
        }
    }

    private static void write(String file, String json) throws IOException {
        Path path = Paths.get(file);
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        Files.writeString(path, json);
        System.out.print(json);
    }

    private static final class Child {
        final String what;
        final int exit;
        final String output;

        Child(String what, int exit, String output) {
            this.what = what;
            this.exit = exit;
            this.output = output;
        }

        void expect(String line) {
            if (exit != 0 || !line(line).equals(line)) {
                throw new IllegalStateException(what + " failed (exit " + exit + "):\n" + output);
            }
        }

        /** @return the first output line starting with {@code prefix} (libraries may log others), or "" */
        String line(String prefix) {
            return output.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("");
        }
    }
}
