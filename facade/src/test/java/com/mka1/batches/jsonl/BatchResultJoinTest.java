package com.mka1.batches.jsonl;

import static com.mka1.batches.jsonl.BatchInputWriterTest.body;
import static com.mka1.batches.jsonl.BatchResultsReaderTest.readAll;
import static com.mka1.batches.jsonl.BatchResultsReaderTest.result;
import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.models.BatchEndpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchResultJoinTest {
    private final List<BatchInputLine> inputs = List.of(input("a"), input("b"), input("c"));

    @Test
    void matchesResultsToInputsInInputOrderAndReportsTheMissing() {
        List<BatchResult> results = readAll(BatchResultsReader.fromString(
                result("c", 200) + "\n" + result("a", 500) + "\n"));

        BatchResultJoin join = BatchResultJoin.byCustomId(inputs, results);

        assertThat(join.entries()).extracting(e -> e.input().customId()).containsExactly("a", "b", "c");
        assertThat(join.entries()).extracting(e -> e.hasResult() ? e.result().statusCode() : null)
                .containsExactly(500, null, 200);
        assertThat(join.missingResults()).extracting(BatchInputLine::customId).containsExactly("b");
        assertThat(join.extraResults()).isEmpty();
    }

    @Test
    void resultsForNoInputAndRepeatedResultsAreExtra() {
        List<BatchResult> results = readAll(BatchResultsReader.fromString(String.join("\n",
                result("a", 200), result("zz", 200), result("a", 500), result("b", 200), result("c", 200))));

        BatchResultJoin join = BatchResultJoin.byCustomId(inputs, results);

        assertThat(join.entries().get(0).result().statusCode()).as("the first result of an id wins").isEqualTo(200);
        assertThat(join.missingResults()).isEmpty();
        assertThat(join.extraResults()).extracting(r -> r.customId() + " " + r.statusCode())
                .containsExactlyInAnyOrder("a 500", "zz 200");
    }

    @Test
    void anEntryReadsAsItsInputAndResult() {
        List<BatchResult> results = readAll(BatchResultsReader.fromString(result("a", 200) + "\n"));

        BatchResultJoin join = BatchResultJoin.byCustomId(inputs, results);

        assertThat(join.entries().get(0)).hasToString("Entry{a -> " + results.get(0) + "}");
        assertThat(join.entries().get(1)).hasToString("Entry{b -> null}");
    }

    private static BatchInputLine input(String customId) {
        return BatchInputLine.of(customId, BatchEndpoint.CHAT_COMPLETIONS, body("model", "m"));
    }
}
