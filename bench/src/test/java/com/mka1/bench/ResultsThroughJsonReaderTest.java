package com.mka1.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mka1.batches.errors.JsonlFormatException;
import com.mka1.batches.jsonl.BatchResult;
import com.mka1.batches.jsonl.BatchResultsReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The results benchmark's JsonReader way ({@link ResultsThroughJsonReader}) reads what the
 * facade's {@link BatchResultsReader} reads, fact for fact: otherwise its figure would measure
 * something else than a replacement of the facade's scanner.
 */
class ResultsThroughJsonReaderTest {
    /** The facts of one result, as both ways give them. */
    private static String facts(
            long line,
            String id,
            String customId,
            Integer status,
            String requestId,
            boolean body,
            String errorCode,
            String errorMessage) {
        return line + " " + id + " " + customId + " " + status + " " + requestId + " " + body + " " + errorCode + " "
                + errorMessage;
    }

    /** How many lines the last {@link #throughJsonReader} left to the tree parse. */
    private long treeParsed;

    private List<String> throughJsonReader(String jsonl) throws IOException {
        ResultsThroughJsonReader reader = new ResultsThroughJsonReader(new StringReader(jsonl));
        List<String> read = new ArrayList<>();
        for (ResultsThroughJsonReader.Result r = reader.next(); r != null; r = reader.next()) {
            read.add(facts(
                    r.lineNumber,
                    r.id,
                    r.customId,
                    r.statusCode,
                    r.requestId,
                    r.bodySource != null,
                    r.errorCode,
                    r.errorMessage));
        }
        treeParsed = reader.treeParsed();
        return read;
    }

    private static List<String> throughTheFacade(String jsonl) {
        List<String> read = new ArrayList<>();
        long line = 0;
        // The facade's results carry no line number: the lines are counted here, blank ones included.
        String[] lines = jsonl.split("\n", -1);
        try (BatchResultsReader reader = BatchResultsReader.fromString(jsonl)) {
            for (BatchResult r : reader) {
                do {
                    line++;
                } while (lines[(int) line - 1].trim().isEmpty());
                read.add(facts(
                        line,
                        r.id(),
                        r.customId(),
                        r.statusCode(),
                        r.requestId(),
                        r.body() != null,
                        r.errorCode(),
                        r.errorMessage()));
            }
        }
        return read;
    }

    @Test
    void theCannedResultsFileReadsAsTheFacadeReadsIt() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        CannedFiles.writeResults(file, 3_000);
        String jsonl = file.toString(StandardCharsets.UTF_8);

        List<String> read = throughJsonReader(jsonl);

        assertThat(read).hasSize(3_000).isEqualTo(throughTheFacade(jsonl));
        assertThat(treeParsed).as("lines left to the tree parse").isZero();
        assertThat(read.get(0))
                .startsWith("1 batch_req_0000001 request-0000001 200 ")
                .endsWith(" true null null");
        assertThat(read.get(CannedFiles.FAILING_INDEX)).contains(" request-0000500 400 ");
        assertThat(read.get(2_999)).contains(" request-0003000 200 ");
        assertThat(read.stream().filter(line -> line.contains(" 400 ")))
                .hasSize((int) CannedFiles.failedResults(3_000));
    }

    /**
     * Lines that take other paths: blank ones (counted, skipped), {@code \r\n}, one longer than the
     * buffer, a failed request, members given twice or in other types, a tab between tokens and
     * control characters the JsonReader would skip unchecked (both left to the tree parse).
     */
    @Test
    void unusualLinesReadAsTheFacadeReadsThem() throws IOException {
        char[] longText = new char[20_000];
        Arrays.fill(longText, 'x');
        String jsonl = String.join(
                "\n",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":{\"n\":[1,2.5e3,true,null]}}}",
                "",
                "   ",
                "{\"custom_id\":\"b\",\"response\":null,\"error\":{\"code\":\"expired\",\"message\":\"too late\"}}\r",
                "{\"custom_id\":\"c\",\"response\":{\"status_code\":200,\"body\":{\"text\":\"" + new String(longText)
                        + "\"}}}",
                "{\"custom_id\":\"d\",\"custom_id\":\"e\",\"id\":null,\"response\":{\"status_code\":2e2,\"body\":null}}",
                "{\t\"custom_id\":\"f\",\"response\":{\"request_id\":\"r\\u00e9\\n\"}}",
                "{\"custom_id\":\"g\",\"extra\":{\"deep\":[[[{}]]]},\"response\":{\"status_code\":null}}",
                "");

        List<String> read = throughJsonReader(jsonl);

        assertThat(read).isEqualTo(throughTheFacade(jsonl));
        assertThat(read)
                .extracting(line -> line.split(" ")[0] + " " + line.split(" ")[2])
                .containsExactly("1 a", "4 b", "5 c", "6 e", "7 f", "8 g");
        assertThat(treeParsed).as("the line with a tab").isEqualTo(1);
    }

    @Test
    void aLineTheFacadeRefusesIsRefusedWithTheFacadesException() {
        for (String bad : List.of(
                "{\"custom_id\":5}",
                "{\"custom_id\":\"a\",\"response\":{\"body\":{\"s\":\"a\tb\"}}}",
                "{\"custom_id\":\"a\"} {}",
                "{\"id\":\"no custom id\"}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200.5}}")) {
            assertThatThrownBy(() -> throughJsonReader("{\"custom_id\":\"ok\"}\n" + bad + "\n"))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            JsonlFormatException.class,
                            e -> assertThat(e.lineNumber()).isEqualTo(2));
            assertThatThrownBy(() -> throughTheFacade("{\"custom_id\":\"ok\"}\n" + bad + "\n"))
                    .as(bad)
                    .isInstanceOf(JsonlFormatException.class);
        }
    }
}
