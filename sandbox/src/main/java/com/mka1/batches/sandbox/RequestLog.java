package com.mka1.batches.sandbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Counts every request and keeps the most recent ones for assertions. */
final class RequestLog {
    /** Kept requests; older ones are dropped (the counts stay exact). */
    static final int MAX_KEPT = 10_000;

    private final Deque<SandboxRequest> kept = new ArrayDeque<>();
    private final Map<SandboxOperation, Integer> counts = new EnumMap<>(SandboxOperation.class);
    private int total;

    synchronized void record(SandboxRequest request) {
        total++;
        request.operation().ifPresent(op -> counts.merge(op, 1, Integer::sum));
        kept.addLast(request);
        if (kept.size() > MAX_KEPT) {
            kept.removeFirst();
        }
    }

    synchronized int total() {
        return total;
    }

    synchronized int count(SandboxOperation operation) {
        return counts.getOrDefault(operation, 0);
    }

    synchronized List<SandboxRequest> requests() {
        return List.copyOf(kept);
    }

    synchronized List<SandboxRequest> requests(SandboxOperation operation) {
        List<SandboxRequest> matching = new ArrayList<>();
        for (SandboxRequest each : kept) {
            if (each.operation().orElse(null) == operation) {
                matching.add(each);
            }
        }
        return List.copyOf(matching);
    }

    synchronized void clear() {
        kept.clear();
        counts.clear();
        total = 0;
    }
}
