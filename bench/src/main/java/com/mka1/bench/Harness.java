package com.mka1.bench;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * The measurements that need a fresh JVM per run, each child holding only one contestant's
 * libraries ({@code <classpathDir>/<contestant>.classpath}, one line) plus the bench classes:
 *
 * <pre>{@code
 * java -cp bench/target/classes com.mka1.bench.Harness coldstart <classpathDir> <benchClasses> <runs> <out.json>
 * java -cp bench/target/classes com.mka1.bench.Harness bounded <classpathDir> <benchClasses> <xmx> <pages> <out.json>
 * }</pre>
 *
 * <p>{@code coldstart}: wall time from spawning {@code java} to its exit after one parsed get,
 * contestants interleaved round by round after one untimed round (disk cache).
 * {@code bounded}: one walk of {@code pages} pages per contestant under {@code -Xmx<xmx>}; the
 * server counts the requests. The canned server runs in this JVM, outside the children's heap.
 */
public final class Harness {
    private static final long CHILD_TIMEOUT_SECONDS = 300;

    private Harness() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 5 && args[0].equals("coldstart")) {
            write(args[4], coldStart(Paths.get(args[1]), args[2], Integer.parseInt(args[3])));
        } else if (args.length >= 6 && args[0].equals("bounded")) {
            String json = bounded(Paths.get(args[1]), args[2], args[3], Integer.parseInt(args[4]));
            write(args[5], json);
            if (!json.contains("\"contestant\":\"" + Contestant.Kind.FACADE.id + "\",\"exit\":0,\"completed\":true")) {
                throw new IllegalStateException("the facade's walk did not complete under -Xmx" + args[3]);
            }
        } else {
            throw new IllegalArgumentException("usage: Harness coldstart <classpathDir> <benchClasses> <runs> <out.json>"
                    + " | bounded <classpathDir> <benchClasses> <xmx> <pages> <out.json>");
        }
    }

    /** @return the JSON of the cold-start runs: milliseconds per run per contestant */
    static String coldStart(Path classpathDir, String benchClasses, int runs) {
        Map<Contestant.Kind, List<Long>> millis = new LinkedHashMap<>();
        try (CannedServer server = CannedServer.start(0)) {
            for (int round = -1; round < runs; round++) {
                for (Contestant.Kind kind : Contestant.Kind.values()) {
                    long start = System.nanoTime();
                    Child child = run(kind, classpath(classpathDir, benchClasses, kind), List.of(), "get", server);
                    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    child.expect("ok");
                    if (round >= 0) {
                        millis.computeIfAbsent(kind, k -> new ArrayList<>()).add(elapsed);
                    }
                }
            }
            long expectedRequests = (long) (runs + 1) * Contestant.Kind.values().length;
            if (server.requests() != expectedRequests) {
                throw new IllegalStateException("cold start made " + server.requests() + " requests, expected "
                        + expectedRequests);
            }
        }
        StringJoiner json = new StringJoiner(",\n", "{\"runs\":" + runs + ",\"millis\":{\n", "\n}}\n");
        millis.forEach((kind, values) -> json.add("  \"" + kind.id + "\":" + values));
        return json.toString();
    }

    /** @return the JSON of one bounded-memory walk per contestant */
    static String bounded(Path classpathDir, String benchClasses, String xmx, int pages) {
        StringJoiner json = new StringJoiner(",\n",
                "{\"xmx\":\"" + xmx + "\",\"pages\":" + pages + ",\"results\":[\n", "\n]}\n");
        try (CannedServer server = CannedServer.start(pages)) {
            for (Contestant.Kind kind : Contestant.Kind.values()) {
                long before = server.requests();
                long start = System.nanoTime();
                Child child = run(kind, classpath(classpathDir, benchClasses, kind), List.of("-Xmx" + xmx), "walk", server);
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

    static String classpath(Path classpathDir, String benchClasses, Contestant.Kind kind) {
        Path file = classpathDir.resolve(kind.id + ".classpath");
        try {
            return benchClasses + File.pathSeparator + Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("no classpath file " + file + " (bench/run.sh writes it)", e);
        }
    }

    private static Child run(Contestant.Kind kind, String classpath, List<String> jvmArgs, String mode,
                             CannedServer server) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(Arrays.asList("-cp", classpath, ChildMain.class.getName(), mode, kind.id, server.rootUrl()));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = readAll(process.getInputStream());
            if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(kind.id + " " + mode + " did not finish in " + CHILD_TIMEOUT_SECONDS + " s");
            }
            return new Child(kind, process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
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
        final Contestant.Kind kind;
        final int exit;
        final String output;

        Child(Contestant.Kind kind, int exit, String output) {
            this.kind = kind;
            this.exit = exit;
            this.output = output;
        }

        void expect(String line) {
            if (exit != 0 || !line(line).equals(line)) {
                throw new IllegalStateException(kind.id + " failed (exit " + exit + "):\n" + output);
            }
        }

        /** @return the first output line starting with {@code prefix} (libraries may log others), or "" */
        String line(String prefix) {
            return output.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("");
        }
    }
}
