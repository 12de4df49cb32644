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
        assertThat(set.duplicates(idOf(IDS)))
                .extracting(d -> d.line, d -> d.firstLine, d -> d.customId)
                .containsExactly(tuple(3L, 1L, "a"), tuple(5L, 2L, "b"), tuple(6L, 1L, "a"));
        assertThat(set.size()).isEqualTo(4);
    }

    @Test
    void idsWhoseHashesCollideAreNotReportedAsRepeats() {
        // Every id hashes alike: all are candidates, only the exact repeats are reported.
        CustomIdSet set = add(new CustomIdSet(id -> 42L), IDS);

        assertThat(set.candidateLines()).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(set.duplicates(idOf(IDS)))
                .extracting(d -> d.line, d -> d.firstLine, d -> d.customId)
                .containsExactly(tuple(3L, 1L, "a"), tuple(5L, 2L, "b"), tuple(6L, 1L, "a"));
    }

    @Test
    void aHashOfZeroIsAHashLikeAnyOther() {
        CustomIdSet set = add(new CustomIdSet(id -> 0L), List.of("x", "y", "x"));

        assertThat(set.duplicates(idOf(List.of("x", "y", "x"))))
                .extracting(d -> d.line)
                .containsExactly(3L);
    }

    @Test
    void manyDistinctIdsHaveNoCandidates() {
        List<String> ids =
                IntStream.rangeClosed(1, 200_000).mapToObj(i -> "request-" + i).collect(Collectors.toList());

        CustomIdSet set = add(new CustomIdSet(), ids);

        assertThat(set.hasCandidates()).isFalse();
        assertThat(set.size()).isEqualTo(200_000);
        assertThat(set.duplicates(line -> {
                    throw new AssertionError("no line is read again");
                }))
                .isEmpty();
    }

    /** Ids with another hash but the same home slot are told apart, their repeats found past the first slot. */
    @Test
    void idsSharingAHomeSlotAreToldApart() {
        List<String> ids = List.of("a", "b", "c", "b", "c", "a");
        Map<String, Long> hashes = Map.of("a", 1L, "b", 1L + 1024, "c", 1L + 2048); // one slot of the first table

        CustomIdSet set = add(new CustomIdSet(hashes::get), ids);

        assertThat(set.size()).isEqualTo(3);
        assertThat(set.candidateLines()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(set.duplicates(idOf(ids)))
                .extracting(d -> d.line, d -> d.firstLine, d -> d.customId)
                .containsExactly(tuple(4L, 2L, "b"), tuple(5L, 3L, "c"), tuple(6L, 1L, "a"));
    }

    @Test
    void everyRepeatOfAnIdOftenRepeatedIsReported() {
        List<String> ids = IntStream.rangeClosed(1, 40)
                .mapToObj(i -> i == 1 ? "x" : i % 2 == 0 ? "x" : "y")
                .collect(Collectors.toList());

        CustomIdSet set = add(new CustomIdSet(), ids);

        assertThat(set.size()).isEqualTo(2);
        assertThat(set.candidateLines()).hasSize(40);
        List<CustomIdSet.Duplicate> duplicates = set.duplicates(idOf(ids));
        assertThat(duplicates)
                .extracting(d -> d.line)
                .containsExactlyElementsOf(IntStream.rangeClosed(2, 40)
                        .filter(i -> i != 3)
                        .mapToObj(i -> (long) i)
                        .collect(Collectors.toList()));
        assertThat(duplicates)
                .filteredOn(d -> d.customId.equals("y"))
                .extracting(d -> d.firstLine)
                .containsOnly(3L);
        assertThat(duplicates)
                .filteredOn(d -> d.customId.equals("x"))
                .extracting(d -> d.firstLine)
                .containsOnly(1L);
    }

    /**
     * Ids seen before the table grows are still found after: repeats of early ids come once
     * thousands of distinct ids have grown the table, with hashes that all share one home slot
     * (so where the growing table puts each one matters) and with the set's own hash.
     */
    @Test
    void repeatsOfIdsSeenBeforeTheTableGrewAreFound() {
        List<String> ids =
                IntStream.rangeClosed(1, 3_000).mapToObj(i -> "request-" + i).collect(Collectors.toList());
        List<String> withRepeats = new java.util.ArrayList<>(ids);
        withRepeats.addAll(List.of("request-1", "request-7", "request-512", "request-2999"));

        for (CustomIdSet set :
                List.of(new CustomIdSet(id -> Long.parseLong(id.substring(8)) << 12), new CustomIdSet())) {
            add(set, withRepeats);

            assertThat(set.size()).isEqualTo(3_000);
            assertThat(set.duplicates(idOf(withRepeats)))
                    .extracting(d -> d.line, d -> d.firstLine, d -> d.customId)
                    .containsExactly(
                            tuple(3_001L, 1L, "request-1"),
                            tuple(3_002L, 7L, "request-7"),
                            tuple(3_003L, 512L, "request-512"),
                            tuple(3_004L, 2_999L, "request-2999"));
        }
    }

    private static CustomIdSet add(CustomIdSet set, List<String> ids) {
        for (int i = 0; i < ids.size(); i++) {
            set.add(ids.get(i), i + 1);
        }
        return set;
    }

    private static java.util.function.LongFunction<String> idOf(List<String> ids) {
        Map<Long, String> byLine =
                IntStream.range(0, ids.size()).boxed().collect(Collectors.toMap(i -> (long) i + 1, ids::get));
        return byLine::get;
    }
}
