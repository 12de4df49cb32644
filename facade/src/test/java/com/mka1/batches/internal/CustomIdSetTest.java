package com.mka1.batches.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Repeated ids found through hashes, and only real repeats reported, whatever the hashes say. */
class CustomIdSetTest {
    private static final List<String> IDS = List.of("a", "b", "a", "c", "b", "a", "d");

    @Test
    void repeatsAreFoundAndCheckedExactly() {
        CustomIdSet set = add(new CustomIdSet(), IDS);

        assertThat(set.candidateLines()).containsExactly(1, 2, 3, 5, 6);
        assertThat(set.duplicates(idOf(IDS))).extracting(d -> d.line, d -> d.firstLine, d -> d.customId)
                .containsExactly(tuple(3L, 1L, "a"), tuple(5L, 2L, "b"), tuple(6L, 1L, "a"));
        assertThat(set.size()).isEqualTo(4);
    }

    @Test
    void idsWhoseHashesCollideAreNotReportedAsRepeats() {
        // Every id hashes alike: all are candidates, only the exact repeats are reported.
        CustomIdSet set = add(new CustomIdSet(id -> 42L), IDS);

        assertThat(set.candidateLines()).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(set.duplicates(idOf(IDS))).extracting(d -> d.line, d -> d.firstLine, d -> d.customId)
                .containsExactly(tuple(3L, 1L, "a"), tuple(5L, 2L, "b"), tuple(6L, 1L, "a"));
    }

    @Test
    void aHashOfZeroIsAHashLikeAnyOther() {
        CustomIdSet set = add(new CustomIdSet(id -> 0L), List.of("x", "y", "x"));

        assertThat(set.duplicates(idOf(List.of("x", "y", "x")))).extracting(d -> d.line).containsExactly(3L);
    }

    @Test
    void manyDistinctIdsHaveNoCandidates() {
        List<String> ids = IntStream.rangeClosed(1, 200_000).mapToObj(i -> "request-" + i).collect(Collectors.toList());

        CustomIdSet set = add(new CustomIdSet(), ids);

        assertThat(set.hasCandidates()).isFalse();
        assertThat(set.size()).isEqualTo(200_000);
        assertThat(set.duplicates(line -> { throw new AssertionError("no line is read again"); })).isEmpty();
    }

    private static CustomIdSet add(CustomIdSet set, List<String> ids) {
        for (int i = 0; i < ids.size(); i++) {
            set.add(ids.get(i), i + 1);
        }
        return set;
    }

    private static java.util.function.LongFunction<String> idOf(List<String> ids) {
        Map<Long, String> byLine = IntStream.range(0, ids.size()).boxed()
                .collect(Collectors.toMap(i -> (long) i + 1, ids::get));
        return byLine::get;
    }
}
