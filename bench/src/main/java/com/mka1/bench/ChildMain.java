package com.mka1.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What {@link Harness} runs in a fresh JVM holding one contestant's libraries,
 * {@code ChildMain <mode> <contestant> <rootUrl> [<path>]}:
 *
 * <ul>
 *   <li>{@code get}: fetches one batch and prints {@code ok};</li>
 *   <li>{@code walk}: walks every batch and prints {@code walked <count> peakHeapBytes <bytes>};</li>
 *   <li>{@code download <way> <rootUrl> <target>}: saves the download file to {@code target}
 *       the {@link Download} way named;</li>
 *   <li>{@code cut <way> <rootUrl> <target>}: the same, starting over (the target deleted) when
 *       the download fails, at most 3 attempts, as a caller of a client that can't resume would;</li>
 *   <li>{@code upload <contestant> <rootUrl> <source>}: uploads {@code source};</li>
 *   <li>{@code results <contestant> <rootUrl>}: reads the canned batch's results.</li>
 * </ul>
 * The last four print {@code done count=<bytes or lines> attempts=<n> millis=<ms> peakHeapBytes=<bytes>}.
 */
public final class ChildMain {
    private static final int CUT_ATTEMPTS = 3;

    private ChildMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            throw new IllegalArgumentException(
                    "usage: ChildMain get|walk|download|cut|upload|results <contestant> <rootUrl> [<path>]");
        }
        String mode = args[0];
        boolean isDownload = mode.equals("download") || mode.equals("cut");
        Download way = isDownload ? Download.of(args[1]) : null;
        Contestant.Kind kind = isDownload ? way.kind : Contestant.Kind.of(args[1]);
        try (Contestant contestant = kind.open(args[2])) {
            long start = System.nanoTime();
            switch (mode) {
                case "get":
                    contestant.get(CannedBatches.getId());
                    System.out.println("ok");
                    break;
                case "walk":
                    long seen = contestant.walk();
                    System.out.println("walked " + seen + " peakHeapBytes " + peakHeapBytes());
                    break;
                case "download":
                    done(way.run(contestant, CannedFiles.DOWNLOAD_ID, Paths.get(args[3])), 1, start);
                    break;
                case "cut":
                    cut(way, contestant, Paths.get(args[3]), start);
                    break;
                case "upload":
                    done(contestant.upload(Paths.get(args[3])), 1, start);
                    break;
                case "results":
                    done(contestant.results(CannedBatches.getId()), 1, start);
                    break;
                default:
                    throw new IllegalArgumentException("no mode '" + mode + "'");
            }
        }
        System.out.flush();
        // Some clients leave non-daemon threads behind for a while; every contestant exits alike.
        System.exit(0);
    }

    private static void cut(Download way, Contestant contestant, Path target, long start) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                done(way.run(contestant, CannedFiles.DOWNLOAD_ID, target), attempt, start);
                return;
            } catch (IOException | RuntimeException e) {
                if (attempt == CUT_ATTEMPTS) {
                    throw e;
                }
                System.out.println("attempt " + attempt + " failed: " + e);
                Files.deleteIfExists(target);
            }
        }
    }

    private static void done(long count, int attempts, long start) {
        System.out.printf(
                Locale.ROOT,
                "done count=%d attempts=%d millis=%d peakHeapBytes=%d%n",
                count,
                attempts,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                peakHeapBytes());
    }

    private static long peakHeapBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
