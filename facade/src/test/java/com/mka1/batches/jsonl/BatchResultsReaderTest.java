package com.mka1.batches.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mka1.batches.errors.JsonlFormatException;
import com.mka1.batches.errors.Mka1Exception;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BatchResultsReaderTest {
    @Test
    void readsTheDocumentedOutputLines() throws Exception {
        List<BatchResult> results = readAll(BatchResultsReader.open(fixture("batch-output.jsonl")));

        assertThat(results).hasSize(2);
        BatchResult ok = results.get(0);
        assertThat(ok.id()).isEqualTo("batch_req_1");
        assertThat(ok.customId()).isEqualTo("request-1");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.requestId()).isEqualTo("req_1");
        assertThat(ok.body()
                        .getAsJsonArray("choices")
                        .get(0)
                        .getAsJsonObject()
                        .getAsJsonObject("message")
                        .get("content")
                        .getAsString())
                .isEqualTo("Hello!");
        assertThat(ok.errorCode()).isNull();
        assertThat(ok.isSuccess()).isTrue();

        BatchResult refused = results.get(1);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.isSuccess()).as("status_code >= 400 is a failure").isFalse();
        assertThat(refused.body().getAsJsonObject("error").get("message").getAsString())
                .isEqualTo("model not found");
    }

    @Test
    void readsTheDocumentedErrorLine() throws Exception {
        List<BatchResult> results = readAll(BatchResultsReader.open(fixture("batch-errors.jsonl")));

        assertThat(results).singleElement().satisfies(failed -> {
            assertThat(failed.customId()).isEqualTo("request-3");
            assertThat(failed.statusCode()).isNull();
            assertThat(failed.body()).isNull();
            assertThat(failed.requestId()).isNull();
            assertThat(failed.errorCode()).isEqualTo("processing_error");
            assertThat(failed.errorMessage()).isEqualTo("The request could not be processed.");
            assertThat(failed.isSuccess()).isFalse();
        });
    }

    @Test
    void readsLazilyLineByLine() {
        // The second line is broken: the first result is still delivered before the error.
        Iterator<BatchResult> results =
                BatchResultsReader.fromString(result("a", 200) + "\nnot json\n").iterator();

        assertThat(results.next().customId()).isEqualTo("a");
        assertThatThrownBy(results::hasNext).isInstanceOf(JsonlFormatException.class);
    }

    @Test
    void malformedLinesThrowATypedExceptionNamingTheLine() {
        assertFormatError(result("a", 200) + "\n\n{\"id\": \"x\"", 3, "not a batch result line");
        assertFormatError("[1]", 1, "must be a JSON object");
        assertFormatError("{\"id\":\"x\",\"response\":null}", 1, "\"custom_id\" is missing");
        assertFormatError("{\"custom_id\":\"a\",\"response\":\"oops\"}", 1, "\"response\" must be an object");
        assertFormatError("{\"custom_id\":\"a\",\"response\":{\"status_code\":\"200\"}}", 1, "status_code");
        assertFormatError("{\"custom_id\":\"a\",\"response\":{\"status_code\":200.5}}", 1, "status_code");
        assertFormatError("{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":[1]}}", 1, "\"body\"");
        assertFormatError("{\"custom_id\":\"a\",\"error\":\"boom\"}", 1, "\"error\" must be an object");
        // Found by JsonlFuzzTest: Gson's NumberFormatException for an exponent beyond its limits escaped.
        assertFormatError(
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":1e1000000200}}",
                1,
                "\"response.status_code\" must be an integer, was 1e1000000200");
    }

    @Test
    void blankLinesAreSkipped() {
        List<BatchResult> results =
                readAll(BatchResultsReader.fromString("\n" + result("a", 200) + "\n  \n" + result("b", 500) + "\n\n"));

        assertThat(results).extracting(BatchResult::customId).containsExactly("a", "b");
        assertThat(results.get(1).isSuccess()).isFalse();
    }

    @Test
    void aResponseWithAnErrorIsNotASuccess() {
        BatchResult result = readAll(BatchResultsReader.fromString("{\"custom_id\":\"a\",\"response\":"
                        + "{\"status_code\":200,\"body\":{}},\"error\":{\"code\":\"x\",\"message\":\"y\"}}"))
                .get(0);

        assertThat(result.isSuccess()).isFalse();
    }

    @Test
    void readsFromAStreamAsUtf8AndTheStreamClosesTheReader() {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream in =
                new ByteArrayInputStream(("{\"custom_id\":\"é\",\"response\":{\"status_code\":200," + "\"body\":{}}}\n")
                        .getBytes(StandardCharsets.UTF_8)) {
                    @Override
                    public void close() {
                        closed.set(true);
                    }
                };

        try (Stream<BatchResult> results = BatchResultsReader.from(in).stream()) {
            assertThat(results.map(BatchResult::customId).collect(Collectors.toList()))
                    .containsExactly("é");
        }
        assertThat(closed).isTrue();
    }

    @Test
    void canBeIteratedOnlyOnce() {
        Reader reader = new StringReader(result("a", 200));
        try (BatchResultsReader results = BatchResultsReader.from(reader)) {
            Object unused = results.iterator(); // the one iterator allowed
            assertThatThrownBy(results::iterator).isInstanceOf(IllegalStateException.class);
        }
    }

    private static void assertFormatError(String content, long line, String message) {
        assertThatThrownBy(() -> readAll(BatchResultsReader.fromString(content)))
                .isInstanceOf(JsonlFormatException.class)
                .isInstanceOf(Mka1Exception.class)
                .hasMessageStartingWith("line " + line + ": ")
                .hasMessageContaining(message)
                .satisfies(
                        e -> assertThat(((JsonlFormatException) e).lineNumber()).isEqualTo(line));
    }

    static List<BatchResult> readAll(BatchResultsReader reader) {
        List<BatchResult> all = new ArrayList<>();
        try (reader) {
            reader.forEach(all::add);
        }
        return all;
    }

    /** A result is a value: equal to another with the same members, wherever each was read; the body compared as JSON. */
    @Test
    void resultsAreEqualByTheirMembersNotByWhereTheyWereRead() {
        String line = "{\"id\":\"req_a\",\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"request_id\":\"r\","
                + "\"body\":{\"x\":1}},\"error\":{\"code\":\"c\",\"message\":\"m\"}}";
        List<BatchResult> results = readAll(BatchResultsReader.fromString(String.join(
                "\n",
                line,
                line.replace("{\"id\"", " {\"id\""),
                line.replace("req_a", "req_b"),
                line.replace("\"a\"", "\"b\""),
                line.replace("200", "201"),
                line.replace("\"r\"", "\"s\""),
                line.replace("\"x\":1", "\"x\":2"),
                line.replace("\"c\"", "\"d\""),
                line.replace("\"m\"", "\"n\""))));
        BatchResult result = results.get(0);

        assertThat(result)
                .isEqualTo(results.get(1))
                .hasSameHashCodeAs(results.get(1))
                .isNotEqualTo(line)
                .isNotEqualTo(null);
        for (BatchResult other : results.subList(2, results.size())) {
            assertThat(result).as(other.toString()).isNotEqualTo(other);
            assertThat(other).isNotEqualTo(result);
        }
        assertThat(result.hashCode()).isNotEqualTo(results.get(3).hashCode());
    }

    /** One line parsed on its own reads as the reader reads it, and a bad one names the line number it is given. */
    @Test
    void aLineParsedOnItsOwnNamesTheLineNumberItIsGiven() {
        BatchResult result = BatchResult.parse(result("a", 200), 7);

        assertThat(result)
                .isEqualTo(
                        readAll(BatchResultsReader.fromString(result("a", 200))).get(0));
        assertThatThrownBy(() -> BatchResult.parse("{\"custom_id\":5}", 7))
                .isInstanceOf(JsonlFormatException.class)
                .hasMessage("line 7: not a batch result line: \"custom_id\" must be a string, was 5")
                .satisfies(e -> assertThat(((JsonlFormatException) e).problem())
                        .isEqualTo("not a batch result line: \"custom_id\" must be a string, was 5"));
    }

    /**
     * A result compared and hashed again and again parses its body once: a one-megabyte body
     * parsed at each call (as before) would allocate megabytes for each.
     */
    @Test
    void aResultComparedAndHashedAgainParsesItsBodyOnlyOnce() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1_000_000; i++) {
            text.append((char) ('a' + i % 26));
        }
        String line = "{\"id\":\"req_a\",\"custom_id\":\"a\",\"response\":{\"status_code\":200,"
                + "\"request_id\":\"r\",\"body\":{\"text\":\"" + text + "\"}}}";
        BatchResult result = BatchResult.parse(line, 1);
        BatchResult same = BatchResult.parse(line, 2);
        int hash = result.hashCode();
        assertThat(result).isEqualTo(same);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();

        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 20; i++) {
            assertThat(result.hashCode()).isEqualTo(hash);
            assertThat(result.equals(same)).isTrue();
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(allocated)
                .as("bytes allocated by 20 hashCode and equals calls")
                .isLessThan(1_000_000);
        result.body().addProperty("text", "changed"); // each body() is the caller's own copy
        assertThat(result.body().get("text").getAsString()).isEqualTo(text.toString());
    }

    @Test
    void toStringNamesTheResultAndItsErrorIfAny() {
        List<BatchResult> results = readAll(BatchResultsReader.fromString(String.join(
                "\n",
                result("a", 200),
                "{\"id\":\"req_b\",\"custom_id\":\"b\",\"response\":null,\"error\":{\"code\":\"e\",\"message\":\"m\"}}",
                "{\"id\":\"req_c\",\"custom_id\":\"c\",\"response\":null,\"error\":{\"message\":\"m\"}}",
                "{\"id\":\"req_d\",\"custom_id\":\"d\",\"response\":null,\"error\":{\"code\":\"e\"}}")));

        assertThat(results)
                .extracting(BatchResult::toString)
                .containsExactly(
                        "BatchResult{customId=a, id=req_a, statusCode=200}",
                        "BatchResult{customId=b, id=req_b, statusCode=null, error=e: m}",
                        "BatchResult{customId=c, id=req_c, statusCode=null, error=null: m}",
                        "BatchResult{customId=d, id=req_d, statusCode=null, error=e: null}");
    }

    static String result(String customId, int status) {
        return "{\"id\":\"req_" + customId + "\",\"custom_id\":\"" + customId + "\",\"response\":{\"status_code\":"
                + status + ",\"request_id\":\"r\",\"body\":{}},\"error\":null}";
    }

    static Path fixture(String name) throws Exception {
        return Paths.get(
                BatchResultsReaderTest.class.getResource("/fixtures/" + name).toURI());
    }

    @Test
    void aFileWithABrokenSecondLineNamesLineTwoInOurWords(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        for (String broken : new String[] {
            "{\"custom_id\": \"b\", \"response\":", "{custom_id: 'b'}", "{\"custom_id\": \"b\"} trailing", "not json"
        }) {
            java.nio.file.Path file = java.nio.file.Files.writeString(
                    dir.resolve("results.jsonl"), result("a", 200) + "\n" + broken + "\n" + result("c", 200) + "\n");

            try (BatchResultsReader reader = BatchResultsReader.open(file)) {
                Iterator<BatchResult> results = reader.iterator();
                assertThat(results.next().customId()).isEqualTo("a");
                assertThatThrownBy(results::next)
                        .as(broken)
                        .isInstanceOf(JsonlFormatException.class)
                        .hasMessageStartingWith("line 2: ")
                        .satisfies(e -> assertThat(((JsonlFormatException) e).lineNumber())
                                .isEqualTo(2))
                        .satisfies(e -> assertThat(e.getMessage())
                                .doesNotContain(
                                        "column",
                                        "setStrictness",
                                        "LENIENT",
                                        "github.com/google/gson",
                                        "Troubleshooting"));
            }
        }
    }

    /**
     * Found by JsonlFuzzTest: from a path, bytes that are not UTF-8 threw an UncheckedIOException
     * (MalformedInputException) where the same bytes from a stream read as U+FFFD.
     */
    @Test
    void bytesThatAreNotUtf8ReadAsTheReplacementCharacterFromAPathAsFromAStream(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        byte[] content = (result("a?", 200) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < content.length; i++) {
            content[i] = content[i] == '?' ? (byte) 0xff : content[i];
        }
        java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("results.jsonl"), content);

        try (BatchResultsReader fromPath = BatchResultsReader.open(file);
                BatchResultsReader fromStream = BatchResultsReader.from(new java.io.ByteArrayInputStream(content))) {
            assertThat(fromPath.stream().map(BatchResult::customId)).containsExactly("a\ufffd");
            assertThat(fromStream.stream().map(BatchResult::customId)).containsExactly("a\ufffd");
        }
    }
}
