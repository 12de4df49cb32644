package com.mka1.batches.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.mka1.batches.DocumentedFailures;
import com.mka1.batches.errors.JsonlFormatException;
import com.mka1.batches.internal.JsonlText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the JSONL readers with whole files: {@link BatchResultsReader} (a batch's output or
 * error file, each line a {@link BatchResult}, its body mapped to a caller's class) and
 * {@link BatchInputValidator} (an input file checked before upload).
 *
 * <p>Property: reading results yields results until the first malformed line, which is a
 * {@link JsonlFormatException} naming a line of the file; nothing else escapes. The validator
 * never throws: it reports, with the line numbers of the file, in line order. Each file is read
 * from a path and from a stream (or reader), and both give the same results, failure or report.
 * The fast read of a result line agrees with the strict tree parse on each line it takes.
 * Inputs: {@code JsonlFuzzTestInputs/<method>/}; each file is a JSONL file.
 */
class JsonlFuzzTest {
    private static Path dir;

    @BeforeAll
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("jsonl-fuzz");
    }

    @AfterAll
    static void deleteDirectory() throws IOException {
        Files.deleteIfExists(dir.resolve("file.jsonl"));
        Files.delete(dir);
    }

    /** A caller's own class for a response body, as {@link BatchResult#bodyAs} maps it. */
    static final class Completion {
        String id;
        long created;
        List<Choice> choices;
    }

    static final class Choice {
        int index;
        Message message;
    }

    static final class Message {
        String role;
        String content;
    }

    @FuzzTest(maxDuration = "60s")
    void resultLines(byte[] bytes) throws Exception {
        String text = new String(bytes, StandardCharsets.UTF_8);
        Path file = write(bytes);
        Outcome fromStream = readResults(text, () -> BatchResultsReader.from(new ByteArrayInputStream(bytes)));
        Outcome fromPath = readResults(text, () -> BatchResultsReader.open(file));

        assertThat(fromPath)
                .as("read from a path, the file that was read from a stream")
                .isEqualTo(fromStream);
        if (fromStream.failure != null) {
            long lines = text.chars().filter(c -> c == '\n').count() + (text.endsWith("\n") ? 0 : 1);
            assertThat(fromStream.failure.lineNumber()).isBetween(1L, lines);
        }
    }

    /**
     * Differential, line by line: where the hand-written scan of a result line ({@link BatchResult#scan},
     * the fast path) takes a line, the strict tree parse takes it too and reads the same result;
     * the scan itself never throws.
     */
    @FuzzTest(maxDuration = "60s")
    void resultLineScan(byte[] bytes) {
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n", -1)) {
            BatchResult scanned = BatchResult.scan(line, 1);
            if (scanned == null) {
                continue; // the tree reads or rejects it
            }
            BatchResult.Tree tree;
            try {
                tree = BatchResult.parseTree(line, 1);
            } catch (JsonlFormatException rejected) {
                throw new AssertionError(
                        "the scan took a line the tree rejects (" + rejected.getMessage() + "): " + line);
            }
            assertThat(scanned).as("the scan of %s", line).isEqualTo(tree.result);
            assertThat(scanned.body()).isEqualTo(tree.body);
            assertThat(scanned.isSuccess()).isEqualTo(tree.result.isSuccess());
        }
    }

    @FuzzTest(maxDuration = "60s")
    void inputValidation(byte[] bytes) throws Exception {
        String text = new String(bytes, StandardCharsets.UTF_8);
        Path file = write(bytes);
        ValidationReport[] reports = new ValidationReport[2];
        // The reader decodes as validate(Path) does, marking what is not UTF-8.
        DocumentedFailures.check(
                text,
                () -> reports[0] =
                        BatchInputValidator.validate(JsonlText.markingMalformed(new ByteArrayInputStream(bytes))));
        DocumentedFailures.check(text, () -> reports[1] = BatchInputValidator.validate(file));

        ValidationReport report = reports[0];
        assertThat(reports[1].problems())
                .as("the problems found in the file at a path")
                .isEqualTo(report.problems());
        assertThat(reports[1].lineCount()).isEqualTo(report.lineCount());
        assertThat(reports[1].endpoint()).isEqualTo(report.endpoint());
        long previous = 0;
        for (ValidationReport.Problem problem : report.problems()) {
            assertThat(problem.lineNumber()).as("line of %s", problem).isBetween(previous, report.lineCount());
            previous = problem.lineNumber();
        }
        if (report.isValid()) {
            assertThat(report.lineCount()).isPositive();
            assertThat(report.endpoint()).isNotBlank();
            StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes)); // a valid file is UTF-8: else this throws
        }
    }

    private static Path write(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("file.jsonl"), bytes);
    }

    /** What reading a result file gives: the results, then the failure that stopped it, if any. */
    private static Outcome readResults(String text, Supplier<BatchResultsReader> open) throws Exception {
        Outcome outcome = new Outcome();
        outcome.failure = (JsonlFormatException) DocumentedFailures.check(
                text,
                () -> {
                    try (BatchResultsReader reader = open.get()) {
                        for (BatchResult result : reader) {
                            outcome.results.add(result);
                            use(result, text);
                        }
                    }
                },
                JsonlFormatException.class);
        return outcome;
    }

    /** What a caller does with a result. */
    private static void use(BatchResult result, String text) throws Exception {
        assertThat(result.customId()).isNotNull();
        assertThat(result.toString()).contains(result.customId());
        if (result.isSuccess()) {
            assertThat(result.statusCode()).isLessThan(400);
        }
        assertThat(result.body()).isEqualTo(result.body());
        DocumentedFailures.check(text, () -> result.bodyAs(Completion.class), JsonlFormatException.class);
    }

    private static final class Outcome {
        final List<BatchResult> results = new ArrayList<>();
        JsonlFormatException failure;

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Outcome)) {
                return false;
            }
            Outcome that = (Outcome) o;
            return results.equals(that.results)
                    && (failure == null
                            ? that.failure == null
                            : that.failure != null && failure.getMessage().equals(that.failure.getMessage()));
        }

        @Override
        public int hashCode() {
            return results.hashCode();
        }

        @Override
        public String toString() {
            return results + (failure == null ? "" : ", then " + failure.getMessage());
        }
    }
}
