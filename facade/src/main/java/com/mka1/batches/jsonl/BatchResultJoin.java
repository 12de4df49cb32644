package com.mka1.batches.jsonl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Input lines matched with their results by {@code custom_id}: which requests got a result,
 * which got none, and which results answer no input.
 *
 * <pre>{@code
 * List<BatchInputLine> inputs = ...;   // e.g. the lines BatchInputWriter.write returned
 * try (BatchResultsReader output = BatchResultsReader.open(outputFile);
 *      BatchResultsReader errors = BatchResultsReader.open(errorFile)) {
 *     List<BatchResult> all = new ArrayList<>();
 *     output.forEach(all::add);
 *     errors.forEach(all::add);
 *     BatchResultJoin join = BatchResultJoin.byCustomId(inputs, all);
 *     for (BatchResultJoin.Entry e : join.entries()) {
 *         System.out.println(e.input().customId() + ": " + (e.hasResult() ? e.result().statusCode() : "no result"));
 *     }
 *     join.missingResults();   // the inputs nobody answered
 * }
 * }</pre>
 *
 * <p>Holds the inputs and results in memory. The first result of a custom id answers the input;
 * a later one with the same id, like a result whose id no input has, goes to
 * {@link #extraResults()}. Immutable.
 */
public final class BatchResultJoin {
    private final List<Entry> entries;
    private final List<BatchInputLine> missingResults;
    private final List<BatchResult> extraResults;

    private BatchResultJoin(List<Entry> entries, List<BatchInputLine> missingResults, List<BatchResult> extraResults) {
        this.entries = List.copyOf(entries);
        this.missingResults = List.copyOf(missingResults);
        this.extraResults = List.copyOf(extraResults);
    }

    /**
     * @param inputs the requests of the batch
     * @param results results from its output and error files, in any order
     * @return the join
     */
    public static BatchResultJoin byCustomId(Iterable<BatchInputLine> inputs, Iterable<BatchResult> results) {
        Objects.requireNonNull(inputs, "inputs == null");
        Objects.requireNonNull(results, "results == null");
        Map<String, BatchResult> byId = new LinkedHashMap<>();
        List<BatchResult> extra = new ArrayList<>();
        for (BatchResult result : results) {
            Objects.requireNonNull(result, "results contains null");
            if (byId.putIfAbsent(result.customId(), result) != null) {
                extra.add(result);
            }
        }
        List<Entry> entries = new ArrayList<>();
        List<BatchInputLine> missing = new ArrayList<>();
        Set<String> answered = new HashSet<>();
        for (BatchInputLine input : inputs) {
            Objects.requireNonNull(input, "inputs contains null");
            BatchResult result = byId.get(input.customId());
            entries.add(new Entry(input, result));
            if (result == null) {
                missing.add(input);
            } else {
                answered.add(input.customId());
            }
        }
        byId.forEach((id, result) -> {
            if (!answered.contains(id)) {
                extra.add(result);
            }
        });
        return new BatchResultJoin(entries, missing, extra);
    }

    /** @return one entry per input, in input order */
    public List<Entry> entries() {
        return entries;
    }

    /** @return the inputs without a result, in input order */
    public List<BatchInputLine> missingResults() {
        return missingResults;
    }

    /** @return the results that answer no input: unknown custom ids, and repeats of an id */
    public List<BatchResult> extraResults() {
        return extraResults;
    }

    /**
     * An input line and its result, if there is one.
     *
     * <pre>{@code
     * if (entry.hasResult() && entry.result().isSuccess()) { use(entry.input(), entry.result().body()); }
     * }</pre>
     */
    public static final class Entry {
        private final BatchInputLine input;
        private final BatchResult result;

        Entry(BatchInputLine input, BatchResult result) {
            this.input = input;
            this.result = result;
        }

        /** @return the request */
        public BatchInputLine input() {
            return input;
        }

        /** @return its result, or {@code null} if it has none */
        public @Nullable BatchResult result() {
            return result;
        }

        /** @return whether a result answers the request */
        public boolean hasResult() {
            return result != null;
        }

        @Override
        public String toString() {
            return "Entry{" + input.customId() + " -> " + result + '}';
        }
    }
}
