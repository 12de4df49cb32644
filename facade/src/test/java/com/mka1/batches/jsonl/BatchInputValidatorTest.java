package com.mka1.batches.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.mka1.batches.jsonl.ValidationReport.Problem;
import com.mka1.batches.jsonl.ValidationReport.ProblemKind;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchInputValidatorTest {
    private static final String CHAT = "/v1/chat/completions";

    @Test
    void aWellFormedFileIsValid() {
        ValidationReport report = validate(line("a", "POST", CHAT) + "\n" + line("b", "POST", CHAT) + "\n");

        assertThat(report.isValid()).isTrue();
        assertThat(report.problems()).isEmpty();
        assertThat(report.lineCount()).isEqualTo(2);
        assertThat(report.endpoint()).isEqualTo(CHAT);
    }

    @Test
    void withoutAFinalNewlineAndWithCrLfTheFileIsStillValid() {
        assertThat(validate(line("a", "POST", CHAT) + "\r\n" + line("b", "POST", CHAT))
                        .isValid())
                .isTrue();
    }

    /** A problem on every line but the first. */
    private static final String BROKEN = String.join(
                    "\n",
                    line("a", "POST", CHAT), // 1 ok
                    line("a", "POST", CHAT), // 2 duplicate
                    "{\"custom_id\": \"c\", \"method\": \"POST\",", // 3 bad JSON
                    "", // 4 blank
                    "[1, 2]", // 5 not an object
                    "{\"method\":\"POST\",\"url\":\"" + CHAT + "\",\"body\":{}}", // 6 no custom_id
                    line("g", "GET", CHAT), // 7 GET
                    line("h", "POST", "/v1/embeddings"), // 8 mixed endpoint
                    "{\"custom_id\":\"i\",\"method\":\"POST\",\"url\":\"" + CHAT + "\",\"body\":\"hi\"}", // 9 body
                    "{\"custom_id\":7,\"method\":\"POST\",\"body\":{}}")
            + "\n"; // 10 id type, no url

    @Test
    void everyProblemIsReportedWithItsLineNumber() {
        ValidationReport report = validate(BROKEN);

        assertThat(report.isValid()).isFalse();
        assertThat(report.lineCount()).isEqualTo(10);
        assertThat(report.problems())
                .extracting(Problem::lineNumber, Problem::kind)
                .containsExactly(
                        tuple(2L, ProblemKind.DUPLICATE_CUSTOM_ID),
                        tuple(3L, ProblemKind.INVALID_JSON),
                        tuple(4L, ProblemKind.BLANK_LINE),
                        tuple(5L, ProblemKind.NOT_AN_OBJECT),
                        tuple(6L, ProblemKind.MISSING_CUSTOM_ID),
                        tuple(7L, ProblemKind.INVALID_METHOD),
                        tuple(8L, ProblemKind.URL_MISMATCH),
                        tuple(9L, ProblemKind.INVALID_BODY),
                        tuple(10L, ProblemKind.INVALID_CUSTOM_ID),
                        tuple(10L, ProblemKind.INVALID_URL));
        assertThat(report.problems().get(0).message()).contains("\"a\"").contains("line 1");
        assertThat(report.problems().get(6).message()).contains("line 1").contains(CHAT);
        assertThat(report.toString()).contains("line 7: INVALID_METHOD");
    }

    @Test
    void lenientJsonIsNotAccepted() {
        ValidationReport report = validate(String.join(
                "\n",
                "{custom_id: 'a', method: 'POST', url: '" + CHAT + "', body: {}}",
                line("b", "POST", CHAT) + " trailing"));

        assertThat(report.problems())
                .extracting(Problem::lineNumber, Problem::kind)
                .containsExactly(tuple(1L, ProblemKind.INVALID_JSON), tuple(2L, ProblemKind.INVALID_JSON));
    }

    @Test
    void blankLinesAreErrorsButOneFinalNewlineIsNot() {
        ValidationReport report = validate(line("a", "POST", CHAT) + "\n   \n" + line("b", "POST", CHAT) + "\n\n");

        assertThat(report.problems())
                .extracting(Problem::lineNumber, Problem::kind)
                .containsExactly(tuple(2L, ProblemKind.BLANK_LINE), tuple(4L, ProblemKind.BLANK_LINE));
    }

    @Test
    void theExpectedEndpointWinsOverTheFirstLine() {
        ValidationReport report =
                BatchInputValidator.validate(new StringReader(line("a", "POST", CHAT) + "\n"), "/v1/embeddings");

        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ProblemKind.URL_MISMATCH);
            assertThat(p.message()).contains("expected endpoint is /v1/embeddings");
        });
        assertThat(report.endpoint()).isEqualTo("/v1/embeddings");
    }

    @Test
    void anEmptyFileHasNoRequests() {
        assertThat(validate("").problems())
                .extracting(Problem::lineNumber, Problem::kind)
                .containsExactly(tuple(0L, ProblemKind.NO_REQUESTS));
    }

    @Test
    void validatesAFileOnDisk(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("input.jsonl");
        Files.write(
                file,
                (line("ü-1", "POST", CHAT) + "\n" + line("ü-1", "POST", CHAT) + "\n").getBytes(StandardCharsets.UTF_8));

        ValidationReport report = BatchInputValidator.validate(file);

        assertThat(report.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("\"ü-1\""));
    }

    @Test
    void aFileOnDiskGetsTheReportOfTheSameContentFromAReader(@TempDir Path dir) throws Exception {
        // Repeats of a file are found by hash and a second read: same problems, same order, same words.
        String content = BROKEN + line("h", "GET", CHAT) + "\n" + line("a", "POST", CHAT) + "\n"
                + line("z", "POST", CHAT) + "\n" + line("z", "POST", CHAT) + "\n";
        Path file = dir.resolve("input.jsonl");
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));

        ValidationReport fromFile = BatchInputValidator.validate(file, CHAT);

        assertThat(fromFile.problems())
                .isEqualTo(BatchInputValidator.validate(new StringReader(content), CHAT)
                        .problems());
        assertThat(fromFile.problems())
                .extracting(Problem::lineNumber, Problem::kind)
                .endsWith(
                        tuple(11L, ProblemKind.DUPLICATE_CUSTOM_ID), tuple(11L, ProblemKind.INVALID_METHOD),
                        tuple(12L, ProblemKind.DUPLICATE_CUSTOM_ID), tuple(14L, ProblemKind.DUPLICATE_CUSTOM_ID));
        assertThat(fromFile.problems().get(fromFile.problems().size() - 2).message())
                .isEqualTo("custom_id \"a\" was already used on line 1");
        assertThat(fromFile.lineCount()).isEqualTo(14);
    }

    /** Each problem's message says what is wrong with what the line holds, a long value cut after 60 characters. */
    @Test
    void eachProblemSaysWhatTheLineHolds() {
        String sixty = "\"" + "x".repeat(58) + "\"";
        String sixtyOne = "\"" + "x".repeat(59) + "\"";
        String start = "{\"custom_id\":\"";
        String rest = "\"url\":\"" + CHAT + "\"";
        ValidationReport report = validate(String.join(
                "\n",
                start + "  \",\"method\":\"POST\"," + rest + ",\"body\":{}}",
                start + "b\"," + rest + ",\"body\":{}}",
                start + "c\",\"method\":[\"POST\"]," + rest + ",\"body\":{}}",
                start + "d\",\"method\":\"POST\"," + rest + "}",
                start + "e\",\"method\":\"POST\"," + rest + ",\"body\":" + sixty + "}",
                start + "f\",\"method\":\"POST\"," + rest + ",\"body\":" + sixtyOne + "}",
                "\uDC00" + line("g", "POST", CHAT),
                line("h", "POST", CHAT) + "\uD800"));

        assertThat(report.problems())
                .extracting(Problem::lineNumber, Problem::kind, Problem::message)
                .containsExactly(
                        tuple(1L, ProblemKind.MISSING_CUSTOM_ID, "\"custom_id\" is blank"),
                        tuple(2L, ProblemKind.INVALID_METHOD, "\"method\" must be \"POST\", was missing"),
                        tuple(3L, ProblemKind.INVALID_METHOD, "\"method\" must be \"POST\", was [\"POST\"]"),
                        tuple(4L, ProblemKind.INVALID_BODY, "\"body\" is missing"),
                        tuple(5L, ProblemKind.INVALID_BODY, "\"body\" must be an object, was " + sixty),
                        tuple(
                                6L,
                                ProblemKind.INVALID_BODY,
                                "\"body\" must be an object, was " + sixtyOne.substring(0, 60) + "…"),
                        tuple(7L, ProblemKind.INVALID_JSON, "not valid JSON: not UTF-8 text at character 1"),
                        tuple(
                                8L,
                                ProblemKind.INVALID_JSON,
                                "not valid JSON: not UTF-8 text at character "
                                        + (line("h", "POST", CHAT).length() + 1)));
    }

    @Test
    void theReportAndItsProblemsReadAsText() {
        assertThat(validate(line("a", "POST", CHAT) + "\n" + line("b", "POST", CHAT)))
                .hasToString("ValidationReport{valid, 2 lines, endpoint " + CHAT + "}");
        assertThat(validate(line("a", "GET", CHAT) + "\n\n" + line("b", "POST", CHAT)))
                .hasToString("ValidationReport{2 problems in 3 lines:\n"
                        + "  line 1: INVALID_METHOD: \"method\" must be \"POST\", was \"GET\"\n"
                        + "  line 2: BLANK_LINE: blank line: JSONL allows none (only a final line terminator)\n}");
        assertThat(validate(""))
                .hasToString("ValidationReport{1 problems in 0 lines:\n"
                        + "  file: NO_REQUESTS: the file is empty: a batch needs at least one request\n}");
    }

    /** A problem is a value: equal to another of the same line, kind and message. */
    @Test
    void problemsAreEqualByLineKindAndMessage() {
        Problem problem = new Problem(3, ProblemKind.INVALID_URL, "bad url");

        assertThat(problem)
                .isEqualTo(new Problem(3, ProblemKind.INVALID_URL, "bad url"))
                .hasSameHashCodeAs(new Problem(3, ProblemKind.INVALID_URL, "bad url"))
                .isNotEqualTo(new Problem(4, ProblemKind.INVALID_URL, "bad url"))
                .isNotEqualTo(new Problem(3, ProblemKind.INVALID_BODY, "bad url"))
                .isNotEqualTo(new Problem(3, ProblemKind.INVALID_URL, "another url"))
                .isNotEqualTo("line 3: INVALID_URL: bad url")
                .hasToString("line 3: INVALID_URL: bad url");
        assertThat(problem.hashCode()).isNotEqualTo(new Problem(4, ProblemKind.INVALID_URL, "bad url").hashCode());
    }

    private static ValidationReport validate(String content) {
        return BatchInputValidator.validate(new StringReader(content));
    }

    private static String line(String customId, String method, String url) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"" + method + "\",\"url\":\"" + url
                + "\",\"body\":{\"model\":\"m\"}}";
    }

    @Test
    void aBrokenSecondLineIsReportedAsLineTwoInOurWords() {
        ValidationReport report = validate(
                line("a", "POST", CHAT) + "\n{\"custom_id\": \"b\", \"method\":\n" + line("c", "POST", CHAT) + "\n");

        assertThat(report.problems())
                .extracting(Problem::lineNumber, Problem::kind)
                .containsExactly(tuple(2L, ProblemKind.INVALID_JSON));
        assertThat(report.toString()).contains("line 2: INVALID_JSON");
        assertThat(report.problems().get(0).message())
                .doesNotContain("column", "setStrictness", "LENIENT", "github.com/google/gson", "Troubleshooting");
    }

    /**
     * Found by JsonlFuzzTest: bytes that are not UTF-8 made validate(Path) throw an
     * UncheckedIOException (MalformedInputException, no line number) instead of reporting them.
     */
    @Test
    void bytesThatAreNotUtf8AreAProblemOfTheirLineAndTheRestIsStillChecked(@TempDir Path dir) throws Exception {
        String second = "{\"custom_id\":\"b\",\"method\":\"POST\",\"url\":\"" + CHAT + "\",\"body\":{\"x\":\"?\"}}";
        byte[] content = (line("a", "POST", CHAT) + "\n" + second + "\n" + line("a", "POST", CHAT) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        int first = line("a", "POST", CHAT).length() + 1;
        content[first + second.indexOf('?')] = (byte) 0xff;
        Path file = Files.write(dir.resolve("input.jsonl"), content);

        ValidationReport report = BatchInputValidator.validate(file);

        assertThat(report.lineCount()).isEqualTo(3);
        assertThat(report.problems())
                .extracting(Problem::lineNumber, Problem::kind)
                .containsExactly(tuple(2L, ProblemKind.INVALID_JSON), tuple(3L, ProblemKind.DUPLICATE_CUSTOM_ID));
        assertThat(report.problems().get(0).message())
                .isEqualTo("not valid JSON: not UTF-8 text at character " + (second.indexOf('?') + 1));
    }

    /**
     * Found by differential fuzzing against the sandbox (SandboxParsersFuzzTest): a lone \r ended
     * a line here but not for the API, so two requests joined by one passed here and failed there.
     */
    @Test
    void aLoneCarriageReturnEndsNoLine() {
        ValidationReport report = validate(line("a", "POST", CHAT) + "\r" + line("b", "POST", CHAT) + "\n");

        assertThat(report.lineCount()).isEqualTo(1);
        assertThat(report.problems())
                .extracting(Problem::lineNumber, Problem::kind)
                .containsExactly(tuple(1L, ProblemKind.INVALID_JSON));
        assertThat(validate(line("a", "POST", CHAT).replace(",", ",\r") + "\n").isValid())
                .as("a carriage return between the members of a line is JSON whitespace")
                .isTrue();
    }
}
