package com.mka1.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * What {@link Harness} runs in a fresh JVM holding one contestant's libraries:
 * {@code get <contestant> <rootUrl>} fetches one batch and prints {@code ok};
 * {@code walk <contestant> <rootUrl>} walks every batch and prints
 * {@code walked <count> peakHeapBytes <bytes>}.
 */
public final class ChildMain {
    private ChildMain() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: ChildMain get|walk <contestant> <rootUrl>");
        }
        Contestant.Kind kind = Contestant.Kind.of(args[1]);
        try (Contestant contestant = kind.open(args[2])) {
            switch (args[0]) {
                case "get":
                    contestant.get(CannedBatches.getId());
                    System.out.println("ok");
                    break;
                case "walk":
                    long seen = contestant.walk();
                    System.out.println("walked " + seen + " peakHeapBytes " + peakHeapBytes());
                    break;
                default:
                    throw new IllegalArgumentException("no mode '" + args[0] + "'");
            }
        }
        System.out.flush();
        // Some clients leave non-daemon threads behind for a while; every contestant exits alike.
        System.exit(0);
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
