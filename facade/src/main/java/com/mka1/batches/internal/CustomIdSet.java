package com.mka1.batches.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * Finds repeated {@code custom_id}s among millions of lines in bounded memory: a 64-bit
 * hash and the line's number (16 bytes) in a table kept at most half full — 32 MB for a million
 * lines — not the ids themselves.
 *
 * <p>Two lines whose ids hash alike are only candidates: {@link #duplicates} asks the caller for
 * the exact ids of the candidate lines (read again from the file, which is where they are) and
 * reports only real repeats. With 64-bit hashes the candidates are, in practice, exactly the
 * repeats, so the second read touches few lines. Not thread-safe.
 */
public final class CustomIdSet {
    private static final int INITIAL_CAPACITY = 1 << 10;

    private final ToLongFunction<String> hashFunction;

    /** Open addressing, linear probing; 0 marks a free slot (a hash of 0 is stored as 1). */
    private long[] hashes = new long[INITIAL_CAPACITY];
    /** The line that first had the hash in the same slot. */
    private long[] lines = new long[INITIAL_CAPACITY];

    private int size;
    /** Later lines whose hash was already there: pairs (hash, line), in line order. */
    private long[] candidates = new long[0];

    private int candidateCount;

    /** A set using {@link #hash(String)}. */
    public CustomIdSet() {
        this(CustomIdSet::hash);
    }

    /** A set using another hash, so that a test can make ids collide. */
    CustomIdSet(ToLongFunction<String> hashFunction) {
        this.hashFunction = hashFunction;
    }

    /**
     * Records {@code customId} as seen on {@code line}; lines must come in increasing order.
     *
     * @param customId the id
     * @param line its 1-based line number
     */
    public void add(String customId, long line) {
        long hash = hashFunction.applyAsLong(customId);
        if (hash == 0) {
            hash = 1;
        }
        int mask = hashes.length - 1;
        for (int slot = slot(hash, mask); ; slot = (slot + 1) & mask) {
            if (hashes[slot] == 0) {
                hashes[slot] = hash;
                lines[slot] = line;
                if (++size * 2 > hashes.length) {
                    grow();
                }
                return;
            }
            if (hashes[slot] == hash) {
                addCandidate(hash, line);
                return;
            }
        }
    }

    /** @return how many distinct hashes were seen */
    public int size() {
        return size;
    }

    /** @return whether any two lines' ids may be equal */
    public boolean hasCandidates() {
        return candidateCount > 0;
    }

    /**
     * @return every line whose id may repeat another's, or be repeated, sorted; the ids of these
     *     lines are what {@link #duplicates} needs
     */
    public long[] candidateLines() {
        long[] result = new long[candidateCount * 2];
        int n = 0;
        for (int i = 0; i < candidateCount; i++) {
            result[n++] = candidates[2 * i + 1];
            result[n++] = firstLine(candidates[2 * i]);
        }
        long[] sorted = Arrays.copyOf(result, n);
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, distinct);
    }

    /**
     * The real repeats among the candidates, compared exactly.
     *
     * @param idOfLine the exact id of each line {@link #candidateLines()} names
     * @return each line whose id an earlier line already had, in line order
     */
    public List<Duplicate> duplicates(LongFunction<String> idOfLine) {
        // Per hash: its first line, then the later lines with that hash, in line order.
        Map<Long, List<Long>> groups = new LinkedHashMap<>();
        for (int i = 0; i < candidateCount; i++) {
            long hash = candidates[2 * i];
            groups.computeIfAbsent(hash, h -> {
                        List<Long> group = new ArrayList<>();
                        group.add(firstLine(h));
                        return group;
                    })
                    .add(candidates[2 * i + 1]);
        }
        List<Duplicate> duplicates = new ArrayList<>();
        for (List<Long> group : groups.values()) {
            Map<String, Long> firstLineOfId = new HashMap<>();
            for (long line : group) {
                String id = idOfLine.apply(line);
                Long first = firstLineOfId.putIfAbsent(id, line);
                if (first != null) {
                    duplicates.add(new Duplicate(line, first, id));
                }
            }
        }
        duplicates.sort((a, b) -> Long.compare(a.line, b.line));
        return duplicates;
    }

    /**
     * A 64-bit hash of a string (FNV-1a over its UTF-16 units, then MurmurHash3's finalizer so
     * that every bit depends on every unit); never 0.
     *
     * @param s the string
     * @return its hash
     */
    public static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    /** The hash table's home slot of a hash, for a table of {@code mask + 1} slots. */
    static int slot(long hash, int mask) {
        return (int) (hash ^ (hash >>> 32)) & mask;
    }

    private long firstLine(long hash) {
        int mask = hashes.length - 1;
        for (int slot = slot(hash, mask); ; slot = (slot + 1) & mask) {
            if (hashes[slot] == hash) {
                return lines[slot];
            }
        }
    }

    private void addCandidate(long hash, long line) {
        if (2 * candidateCount + 2 > candidates.length) {
            candidates = Arrays.copyOf(candidates, Math.max(16, candidates.length * 2));
        }
        candidates[2 * candidateCount] = hash;
        candidates[2 * candidateCount + 1] = line;
        candidateCount++;
    }

    private void grow() {
        long[] oldHashes = hashes;
        long[] oldLines = lines;
        hashes = new long[oldHashes.length * 2];
        lines = new long[oldHashes.length * 2];
        int mask = hashes.length - 1;
        for (int i = 0; i < oldHashes.length; i++) {
            if (oldHashes[i] != 0) {
                int slot = slot(oldHashes[i], mask);
                while (hashes[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                hashes[slot] = oldHashes[i];
                lines[slot] = oldLines[i];
            }
        }
    }

    /** A line whose id an earlier line already had. */
    public static final class Duplicate {
        /** The repeating line. */
        public final long line;
        /** The first line with the id. */
        public final long firstLine;
        /** The id. */
        public final String customId;

        Duplicate(long line, long firstLine, String customId) {
            this.line = line;
            this.firstLine = firstLine;
            this.customId = customId;
        }
    }
}
