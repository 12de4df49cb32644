package com.mka1.batches.sandbox;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The injected faults still to be served, in the order they were injected. */
final class FaultQueue {
    private static final class Pending {
        final FaultSpec spec;
        int toSkip;
        int remaining;

        Pending(FaultSpec spec) {
            this.spec = spec;
            this.toSkip = spec.skipped();
            this.remaining = spec.count();
        }
    }

    private final List<Pending> pending = new ArrayList<>();

    synchronized void add(FaultSpec spec) {
        pending.add(new Pending(spec));
    }

    /**
     * Takes one use of the first fault that applies to the operation, or returns null (also when
     * that fault still lets requests through: the request is its to skip).
     */
    synchronized FaultSpec take(SandboxOperation operation) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending each = it.next();
            if (each.spec.appliesTo(operation)) {
                if (each.toSkip > 0) {
                    each.toSkip--;
                    return null;
                }
                if (--each.remaining == 0) {
                    it.remove();
                }
                return each.spec;
            }
        }
        return null;
    }

    synchronized int size() {
        int total = 0;
        for (Pending each : pending) {
            total += each.remaining;
        }
        return total;
    }

    synchronized void clear() {
        pending.clear();
    }
}
