package com.mka1.batches.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mka1.batches.errors.JsonlFormatException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast reading of a result line ({@link ResultLineScanner}: one pass by hand, the body only
 * checked) and the whole-tree reading agree on every line: where the fast one takes a line it
 * gives the result the tree gives, body included, and it takes no line the tree rejects. And it
 * does take the usual lines, so that the fast path cannot quietly stop being taken.
 */
class BatchResultScanTest {
    static Stream<String> lines() {
        String ok = "\"response\":{\"status_code\":200,\"request_id\":\"req_1\",\"body\":{\"choices\":[{\"message\":"
                + "{\"content\":\"hi \\u00e9\\n\"}}],\"n\":[1,2.5,null,true]}}";
        return Stream.of(
                "{\"id\":\"batch_req_1\",\"custom_id\":\"a\"," + ok + ",\"error\":null}",
                "{\"custom_id\":\"a\"," + ok + "}",
                "  {\"custom_id\":\"a\"," + ok + "}  ",
                "{\"custom_id\":\"a\",\"response\":null,\"error\":{\"code\":\"processing_error\",\"message\":\"m\"}}",
                "{\"custom_id\":\"a\",\"error\":{\"code\":null,\"message\":\"m\",\"extra\":[1]}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":400,\"body\":{\"error\":{\"message\":\"bad\"}}},\"error\":null}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":null}}",
                "{\"custom_id\":\"a\",\"response\":{}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":null}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200.0}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":2e2}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":-0}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200.0000000000000001}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200.5}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":1e400}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":0e1000000200}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":99999999999}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":\"200\"}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":true}}",
                "{\"custom_id\":\"a\",\"response\":{\"body\":[1]}}",
                "{\"custom_id\":\"a\",\"response\":{\"body\":\"text\"}}",
                "{\"custom_id\":\"a\",\"response\":[]}",
                "{\"custom_id\":\"a\",\"response\":\"x\"}",
                "{\"custom_id\":\"a\",\"error\":\"x\"}",
                "{\"custom_id\":\"a\",\"error\":{\"code\":5}}",
                "{\"custom_id\":\"a\",\"request_id\":{\"x\":1},\"id\":null}",
                "{\"custom_id\":\"a\",\"id\":7}",
                "{\"custom_id\":7}",
                "{\"custom_id\":null}",
                "{\"custom_id\":\"a\",\"custom_id\":\"b\"}",
                "{\"custom_id\":\"a\"," + ok + ",\"response\":null}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":500},\"response\":{\"request_id\":\"r\"}}",
                "{\"custom_id\":\"a\",\"error\":{\"code\":\"c\"},\"error\":null}",
                "{\"custom_id\":\"a\\u00",
                "{\"custom_id\":\"a\\u00e\"}",
                "{\"custom_id\":\"a\\u",
                "{\"custom_id\":\"a\",\"error\":{\"message\":\"\\u00",
                "{}",
                "[]",
                "null",
                "\"a\"",
                "{\"custom_id\":\"a\"} {\"custom_id\":\"b\"}",
                "{\"custom_id\":\"a\"}x",
                "{\"custom_id\":\"a\",}",
                "{'custom_id':'a'}",
                "{custom_id:\"a\"}",
                "{\"custom_id\":\"a\"",
                "{\"custom_id\":\"a\",\"response\":{\"body\":{\"x\":NaN}}}",
                "\ufeff{\"custom_id\":\"a\"}",
                "{\"custom_id\":\"\\ud800\",\"response\":{\"status_code\":200}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":{\"deep\":[[[[[[{}]]]]]]}}}",
                // Inside a skipped body: what only a strict read of its strings rejects (found by JsonlFuzzTest)
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":{\"content\":\"hi\u0000\u0001\"}}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":{\"content\":\"tab\there\"}}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":{\"x\":\"\\x41\"}}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":{\"x\":\"\\u12g4\"}}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":{\"x\":\"\\u\u0661\u0662\u0663\u0664\"}}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":{\"x\":\"\\n\\\"\\\\\\/\\b\\f\\r\\t\\u00e9\"}}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":{\"x\":\"\\u00\"}}}",
                "{\"custom_id\":\"a\",\t\"response\":{\"status_code\":200}}");
    }

    /** The corners of the JSON grammar, each read by the hand-written scanner and by the tree. */
    static Stream<String> grammarCorners() {
        return Stream.of(
                // Escapes in the values read
                line("\"a\\\"b\"", null),
                line("\"back\\\\slash \\/ \\b\\f\\n\\r\\t\"", null),
                line("\"\\u00e9\\u00E9\\u0000\\u001f\"", null),
                line("\"\\uD83D\\uDE00 pair\"", null),
                line("\"\\ud800 high alone\"", null),
                line("\"\\udc00 low alone\\ud800\"", null),
                line("\"raw \u00e9 \ud83d\ude00 \ud800 \u2028\"", null),
                "{\"id\":\"x\\ty\",\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"request_id\":\"r\\u0041\"},"
                        + "\"error\":{\"code\":\"c\\\"\",\"message\":\"line\\nbreak\"}}",
                // Bad escapes and control characters: in a value read, in a skipped body, in a name
                line("\"\\x41\"", null),
                line("\"\\'\"", null),
                line("\"\\u12\"", null),
                line("\"\\u12G4\"", null),
                line("\"\\U0041\"", null),
                line("\"a\\", null),
                line("\"a\u0000\"", null),
                line("\"a\u001f\"", null),
                line("\"a\u007f\"", null),
                line("\"a\"", "{\"x\\u0041\":\"\\u0041\",\"\\\"\":1}"),
                line("\"a\"", "{\"x\":\"\\a\"}"),
                line("\"a\"", "{\"x\\q\":1}"),
                line("\"a\"", "{\"x\u0001\":1}"),
                line("\"a\"", "{\"x\":\"\\u123\"}"),
                // Escaped names: the tree reads "custom_id" in one; the scanner leaves them all to it
                "{\"custom\\u005fid\":\"a\",\"response\":{\"status_code\":200}}",
                "{\"custom_id\":\"a\",\"\\u0069d\":\"x\"}",
                "{\"custom_id\":\"a\",\"respons\\u0065\":{\"status_code\":500}}",
                "{\"custom_id\":\"a\",\"response\":{\"status\\u005fcode\":500}}",
                "{\"custom_id\":\"a\",\"error\":{\"cod\\u0065\":\"x\"}}",
                "{\"custom_id\":\"a\",\"unknown \\\"quoted\\\"\":1}",
                "{\"custom_id\":\"a\",\"\":1,\"custom_id \":\"b\",\"Custom_id\":\"c\"}",
                // Numbers as the status code
                status("0"),
                status("-0"),
                status("-1"),
                status("200"),
                status("599"),
                status("600"),
                status("99"),
                status("2147483647"),
                status("2147483648"),
                status("-2147483648"),
                status("-2147483649"),
                status("12345678901"),
                status("00"),
                status("01"),
                status("-01"),
                status("-"),
                status("--1"),
                status("+1"),
                status(".5"),
                status("1."),
                status("1.0"),
                status("1.e2"),
                status("1e5"),
                status("1E+2"),
                status("1e-2"),
                status("2E2"),
                status("1e"),
                status("1e+"),
                status("0x10"),
                status("1_0"),
                status("NaN"),
                status("Infinity"),
                status("-Infinity"),
                status("200x"),
                status("200 1"),
                status("2 00"),
                status("true"),
                status("false"),
                status("null"),
                status("nul"),
                status("nulll"),
                status("Null"),
                status("NULL"),
                status("[]"),
                status("{}"),
                status("\"\""),
                status(""),
                // Numbers in a skipped body
                body("0"),
                body("-0"),
                body("-0.0e-0"),
                body("1e5"),
                body("1E+2"),
                body("1.5E-300"),
                body("1e400"),
                body("0e1000000200"),
                body("123456789012345678901234567890"),
                body("01"),
                body("-"),
                body("+1"),
                body(".5"),
                body("1."),
                body("1.e5"),
                body("1e"),
                body("0x1"),
                body("1-2"),
                body("1.2.3"),
                body("1e5e5"),
                body("NaN"),
                body("-Infinity"),
                body(repeat('9', 255)),
                body(repeat('9', 256)),
                body(repeat('9', 300)),
                body(repeat('9', 1023)),
                body(repeat('9', 1024)),
                body("1." + repeat('5', 2000)),
                // Integers Gson sums in a long that wraps: where the sum wraps to 0 (a multiple of 2^64), it takes
                // the next digit for one after a leading zero and refuses the number (found by JsonlFuzzTest)
                body(repeat('9', 18)),
                body(repeat('9', 19)),
                body("-" + repeat('9', 19)),
                body("18446744073709551616"),
                body("184467440737095516160"),
                body("-184467440737095516161"),
                body("1" + repeat('0', 64) + "1"),
                body("1" + repeat('0', 63) + "1"),
                body("1" + repeat('0', 64)),
                body("1" + repeat('0', 64) + "1.5"),
                body("1.5e1" + repeat('0', 64) + "1"),
                body("0." + repeat('0', 70) + "1"),
                "{\"custom_id\":\"a\",\"x\":2140000000000000000000000000000000000000000000000000000000000000000000000000000000007483648}",
                // Literals
                body("true"),
                body("false"),
                body("null"),
                body("True"),
                body("TRUE"),
                body("FALSE"),
                body("NULL"),
                body("nul"),
                body("tru"),
                body("fals"),
                body("truex"),
                body("nullnull"),
                body("true false"),
                body("undefined"),
                body("'a'"),
                "{\"custom_id\":\"a\",\"id\":NULL}",
                "{\"custom_id\":\"a\",\"id\":nul}",
                "{\"custom_id\":\"a\",\"id\":nullx}",
                "{\"custom_id\":\"a\",\"id\":false}",
                "{\"custom_id\":\"a\",\"response\":NULL}",
                "{\"custom_id\":\"a\",\"response\":null,\"error\":nul}",
                "{\"custom_id\":\"a\",\"response\":{\"body\":nullx}}",
                "{\"custom_id\":\"a\",\"response\":{\"body\":true}}",
                // Nesting in the body and in unknown members
                body("[[],{},[{}],{\"b\":[1,{\"c\":null}],\"d\":{\"e\":{\"f\":[\"g\",-1.5e-3,true,false]}}}]"),
                body("{\"a\":{}}"),
                body("[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]"),
                body("[}"),
                body("{]"),
                body("[[]"),
                body("[]]"),
                body("{\"a\":1"),
                body("{\"a\" 1}"),
                body("{\"a\":}"),
                body("{\"a\":1,}"),
                body("[1,]"),
                body("[,1]"),
                body("[1 2]"),
                body("{\"a\":1 \"b\":2}"),
                body("{1:2}"),
                body("{a:1}"),
                body("{\"a\"::1}"),
                body("{,}"),
                body("[,]"),
                body("[1}"),
                body("{\"a\":1]"),
                body("[[1]}"),
                body("{\"a\":{}]"),
                body("[{\"a\":[1}]}"),
                "{\"custom_id\":\"a\",\"m\":[1}}",
                "{\"custom_id\":\"a\",\"m\":{\"a\":1]}",
                "{\"custom_id\":\"a\",\"m\":[{\"a\":1]]}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":{\"a\":[1}}}}",
                body("{\"a\":[1,{\"b\":2},[3]],\"c\":\"}\",\"d\":\"]\",\"e\":\"[{\"}"),
                body("\"a\""),
                body("[1]"),
                "{\"custom_id\":\"a\",\"metadata\":{\"x\":[1,{\"y\":[]}],\"z\":{}},\"list\":[[],[[]]],\"s\":\"t\"}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"headers\":{\"x\":[\"y\"]},\"t\":[1.5,true]}}",
                "{\"custom_id\":\"a\",\"error\":{\"code\":\"c\",\"param\":{\"p\":[null]},\"n\":-2}}",
                "{\"custom_id\":\"a\",\"metadata\":{\"x\":[1,}}",
                "{\"custom_id\":\"a\",\"metadata\":[1}",
                "{\"custom_id\":\"a\",\"response\":{\"response\":{\"status_code\":7},\"error\":{\"code\":\"no\"}}}",
                "{\"custom_id\":\"a\",\"error\":{\"error\":{\"code\":\"no\"},\"custom_id\":\"b\"}}",
                "{\"custom_id\":\"a\",\"x\":{\"custom_id\":\"b\",\"id\":\"c\"}}",
                // Duplicate members: the last one counts
                "{\"custom_id\":\"a\",\"id\":\"x\",\"id\":\"y\"}",
                "{\"custom_id\":\"a\",\"id\":\"x\",\"id\":null}",
                "{\"custom_id\":\"a\",\"id\":7,\"id\":\"y\"}",
                "{\"custom_id\":null,\"custom_id\":\"a\"}",
                "{\"custom_id\":\"a\",\"custom_id\":null}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"status_code\":404}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"status_code\":null}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":\"x\",\"status_code\":200}}",
                "{\"custom_id\":\"a\",\"response\":{\"request_id\":\"r\",\"request_id\":\"s\",\"body\":{},\"body\":null}}",
                "{\"custom_id\":\"a\",\"response\":{\"body\":null,\"body\":{\"x\":1}}}",
                "{\"custom_id\":\"a\",\"response\":{\"body\":{\"x\":1},\"body\":{\"x\":2}}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"request_id\":\"r\",\"body\":{}},\"response\":{}}",
                "{\"custom_id\":\"a\",\"response\":null,\"response\":{\"status_code\":201}}",
                "{\"custom_id\":\"a\",\"error\":{\"code\":\"c\",\"message\":\"m\"},\"error\":{\"message\":\"n\"}}",
                "{\"custom_id\":\"a\",\"error\":{\"code\":\"c\",\"code\":\"d\",\"message\":\"m\",\"message\":null}}",
                // Whitespace
                "  {  \"custom_id\"  :  \"a\"  ,  \"response\"  :  {  \"status_code\"  :  200  ,  \"body\"  :  {  \"x\"  :  [  1  ,  "
                        + "2  ]  }  }  ,  \"error\"  :  null  }  ",
                "{\"custom_id\":\"a\",\"response\":{ },\"x\":[ ],\"y\":{ }}",
                "\t{\"custom_id\":\"a\"}",
                "{\"custom_id\":\"a\"}\t",
                "{\"custom_id\":\"a\"}\r",
                "\r{\"custom_id\":\"a\"}",
                "{\"custom_id\"\r:\"a\"}",
                "{\"custom_id\":\"a\",\n\"id\":\"b\"}",
                "{\"custom_id\":\"a\",\f\"id\":\"b\"}",
                "{\"custom_id\":\"a\",\u000b\"id\":\"b\"}",
                "{\"custom_id\":\"a\",\u00a0\"id\":\"b\"}",
                "{\"custom_id\":\"a\",\u2028\"id\":\"b\"}",
                "{\"custom_id\":\"a\",\u3000\"id\":\"b\"}",
                body("[1,\t2]"),
                body("[1,\r2]"),
                body("[1,\n2]"),
                body("{\"x\"\t:1}"),
                // After the line's object
                "{\"custom_id\":\"a\"}}",
                "{\"custom_id\":\"a\"} x",
                "{\"custom_id\":\"a\"},",
                "{\"custom_id\":\"a\"}\u0000",
                "{\"custom_id\":\"a\"}  {}",
                "{\"custom_id\":\"a\"}//",
                "{\"custom_id\":\"a\"}#",
                "{\"custom_id\":\"a\"}\ufeff",
                // Not an object, or not one that opens well
                "",
                " ",
                "{",
                "}",
                "{}",
                "{ }",
                "[{\"custom_id\":\"a\"}]",
                "\"custom_id\"",
                "1",
                "true",
                "{\"custom_id\"}",
                "{\"custom_id\":}",
                "{\"custom_id\" \"a\"}",
                "{\"custom_id\",\"a\"}",
                "{\"custom_id\"=\"a\"}",
                "{\"custom_id\"=>\"a\"}",
                "{\"custom_id\":\"a\";\"id\":\"b\"}",
                "{/*c*/\"custom_id\":\"a\"}",
                "{\"custom_id\":\"a\"/*c*/}",
                ")]}'\n{\"custom_id\":\"a\"}",
                "{\"custom_id\":'a'}",
                "{\"custom_id\":a}",
                "{\"custom_id\":\"a}",
                "{\"custom_id\":\"a\"");
    }

    @ParameterizedTest
    @MethodSource("grammarCorners")
    void theFastReadingAgreesWithTheTreeOnEveryCornerOfTheGrammar(String line) {
        theFastReadingAgreesWithTheTree(line);
    }

    /** A line with {@code customId} (JSON) as its custom_id, a 200 response and {@code body} (JSON) if not null. */
    private static String line(String customId, String body) {
        return "{\"id\":\"batch_req_1\",\"custom_id\":" + customId
                + ",\"response\":{\"status_code\":200,\"request_id\":" + "\"req_1\""
                + (body == null ? "" : ",\"body\":" + body) + "},\"error\":null}";
    }

    private static String status(String json) {
        return "{\"custom_id\":\"a\",\"response\":{\"status_code\":" + json + ",\"request_id\":\"r\"}}";
    }

    /** A line whose body holds {@code json} as the value of a member, of an array, and of an unknown top-level member. */
    private static String body(String json) {
        return "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":{\"v\":" + json + ",\"w\":[" + json
                + "]}},\"x\":" + json + "}";
    }

    private static String repeat(char c, int times) {
        return String.valueOf(c).repeat(times);
    }

    @ParameterizedTest
    @MethodSource("lines")
    void theFastReadingAgreesWithTheTree(String line) {
        BatchResult scanned = BatchResult.scan(line, 3);
        BatchResult.Tree tree;
        try {
            tree = BatchResult.parseTree(line, 3);
        } catch (JsonlFormatException rejected) {
            assertThat(scanned)
                    .as("the tree rejects it: %s", rejected.getMessage())
                    .isNull();
            assertThatThrownBy(() -> BatchResult.parse(line, 3))
                    .isInstanceOf(JsonlFormatException.class)
                    .hasMessage(rejected.getMessage());
            return;
        }
        BatchResult parsed = BatchResult.parse(line, 3);
        assertThat(parsed).isEqualTo(tree.result);
        assertThat(parsed.body()).isEqualTo(tree.body);
        if (scanned != null) {
            assertThat(scanned).isEqualTo(tree.result);
            assertThat(scanned.statusCode()).isEqualTo(tree.result.statusCode());
            assertThat(scanned.body()).isEqualTo(tree.body);
            assertThat(scanned.isSuccess()).isEqualTo(tree.result.isSuccess());
        }
    }

    /** A typical success line, and a typical error line, each with a little of every kind of token. */
    private static final List<String> TYPICAL = List.of(
            "{\"id\":\"batch_req_1\",\"custom_id\":\"r-1\",\"response\":{\"status_code\":200,\"request_id\":\"req_1\","
                    + "\"body\":{\"choices\":[{\"index\":0,\"message\":{\"content\":\"h\\u00e9\\n\",\"refusal\":null}}],"
                    + "\"n\":-1.5e-3,\"ok\":true,\"no\":false}},\"error\":null}",
            "{\"id\":\"batch_req_2\",\"custom_id\":\"r-2\",\"response\":null,\"error\":{\"code\":\"processing_error\","
                    + "\"message\":\"a \\\"b\\\"\"}}");

    @Test
    void everyPrefixOfATypicalLineIsReadAsTheTreeReadsIt() {
        for (String line : TYPICAL) {
            for (int end = 0; end <= line.length(); end++) {
                theFastReadingAgreesWithTheTree(line.substring(0, end));
            }
        }
    }

    @Test
    void aTypicalLineWithAnyOneCharacterDroppedOrAddedIsReadAsTheTreeReadsIt() {
        for (String line : TYPICAL) {
            for (int at = 0; at <= line.length(); at++) {
                if (at < line.length()) {
                    theFastReadingAgreesWithTheTree(line.substring(0, at) + line.substring(at + 1));
                }
                for (char c : " \t\r,:\"\\{}[]0-.e+xn\u0000\u00e9".toCharArray()) {
                    theFastReadingAgreesWithTheTree(line.substring(0, at) + c + line.substring(at));
                }
            }
        }
    }

    @Test
    void aDeeplyNestedBodyIsLeftToTheTreeWithoutOverflowingTheStack() {
        String open = "[".repeat(100_000);
        for (String line : List.of(
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":{\"x\":" + open + "}}}",
                "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":{\"x\":" + open + "]".repeat(100_000)
                        + "}}}",
                "{\"custom_id\":\"a\",\"x\":" + "{\"y\":".repeat(100_000) + "1" + "}".repeat(100_000) + "}")) {
            assertThat(BatchResult.scan(line, 1)).isNull();
            theFastReadingAgreesWithTheTree(line);
        }
    }

    @Test
    void nestingIsReadTheFastWayUpToItsLimitAndLeftToTheTreeBeyond() {
        // The body object is one level of what is skipped; the rest are arrays.
        String deepest = nested(ResultLineScanner.MAX_SKIP_DEPTH - 1);
        String tooDeep = nested(ResultLineScanner.MAX_SKIP_DEPTH);
        assertThat(BatchResult.scan(deepest, 1)).isNotNull();
        assertThat(BatchResult.scan(tooDeep, 1)).isNull();
        assertThat(BatchResult.parse(tooDeep, 1).body()).as("the tree reads it").isNotNull();
        theFastReadingAgreesWithTheTree(deepest);
        theFastReadingAgreesWithTheTree(tooDeep);
    }

    private static String nested(int arrays) {
        return "{\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"body\":{\"x\":" + "[".repeat(arrays)
                + "]".repeat(arrays) + "}}}";
    }

    @Test
    void theFastReadingKeepsEveryMemberOfALine() {
        BatchResult success = BatchResult.scan(
                "{\"id\":\"batch_req_\\u0031\",\"custom_id\":\"r\\\"1\",\"response\":"
                        + "{\"status_code\":201,\"request_id\":\"req_1\",\"body\":{\"a\":[]}},\"error\":null}",
                1);
        assertThat(success).isNotNull();
        assertThat(success.id()).isEqualTo("batch_req_1");
        assertThat(success.customId()).isEqualTo("r\"1");
        assertThat(success.statusCode()).isEqualTo(201);
        assertThat(success.requestId()).isEqualTo("req_1");
        assertThat(success.body().toString()).isEqualTo("{\"a\":[]}");
        assertThat(success.errorCode()).isNull();
        assertThat(success.errorMessage()).isNull();
        assertThat(success.isSuccess()).isTrue();

        BatchResult failed = BatchResult.scan(
                "{\"custom_id\":\"r-2\",\"response\":{\"status_code\":-7},"
                        + "\"error\":{\"code\":\"c\\u00e9\",\"message\":\"\\ud83d\\ude00 \\/\\b\\f\\n\\r\\t\"}}",
                1);
        assertThat(failed).isNotNull();
        assertThat(failed.id()).isNull();
        assertThat(failed.statusCode()).isEqualTo(-7);
        assertThat(failed.requestId()).isNull();
        assertThat(failed.body()).isNull();
        assertThat(failed.errorCode()).isEqualTo("c\u00e9");
        assertThat(failed.errorMessage()).isEqualTo("\ud83d\ude00 /\b\f\n\r\t");
        assertThat(failed.isSuccess()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("usualLines")
    void theUsualLinesAreReadTheFastWay(String line) {
        assertThat(BatchResult.scan(line, 1)).isNotNull().isEqualTo(BatchResult.parseTree(line, 1).result);
    }

    static Stream<String> usualLines() {
        return Stream.of(
                "{\"id\":\"batch_req_1\",\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"request_id\":\"req_1\","
                        + "\"body\":{\"object\":\"chat.completion\",\"choices\":[]}},\"error\":null}",
                "{\"id\":\"batch_req_2\",\"custom_id\":\"b\",\"response\":null,\"error\":{\"code\":\"processing_error\","
                        + "\"message\":\"m\"}}",
                "{\"id\":\"batch_req_3\",\"custom_id\":\"c\",\"response\":{\"status_code\":429,\"request_id\":\"req_3\","
                        + "\"body\":{\"error\":{\"message\":\"slow down\"}}},\"error\":null}",
                "{\"custom_id\":\"d\",\"outcome\":\"missing\",\"batch_id\":\"batch_x\",\"reason\":\"expired\"}",
                TYPICAL.get(0),
                TYPICAL.get(1),
                "{\"id\": \"batch_req_4\", \"custom_id\": \"e\", \"response\": {\"status_code\": 200, \"request_id\": \"req_4\", "
                        + "\"body\": {\"choices\": [{\"message\": {\"content\": \"caf\u00e9 \ud83d\ude00 \\\"q\\\"\\n\", "
                        + "\"tool_calls\": [{\"function\": {\"arguments\": \"{\\\"a\\\": [1, 2]}\"}}]}}], "
                        + "\"usage\": {\"total_tokens\": 46}}}, \"error\": null}",
                "{\"id\":\"batch_req_5\",\"custom_id\":\"f\",\"response\":{\"status_code\":500,\"request_id\":\"req_5\","
                        + "\"body\":{\"error\":{\"message\":\"oops\",\"type\":\"server_error\",\"param\":null,\"code\":null}}},"
                        + "\"error\":null}",
                "{\"id\":\"batch_req_6\",\"custom_id\":\"g\",\"response\":{\"status_code\":200,\"request_id\":\"req_6\","
                        + "\"body\":{\"object\":\"list\",\"data\":[{\"embedding\":[0.0023064255,-0.009327292,1e-7,0]}]}},"
                        + "\"error\":null}");
    }

    /**
     * Plain strict JSON in every form the scanner reads itself is read the fast way, as the tree
     * reads it: each kind of value where the line's members are, every status code that fits an
     * {@code int}, escapes with every kind of hex digit, and in a body every kind of number,
     * literal and nesting up to the limits.
     */
    @ParameterizedTest
    @MethodSource("plainLines")
    void plainJsonInEveryFormIsReadTheFastWay(String line) {
        BatchResult scanned = BatchResult.scan(line, 1);
        BatchResult.Tree tree = BatchResult.parseTree(line, 1);
        assertThat(scanned).isNotNull().isEqualTo(tree.result);
        assertThat(scanned.statusCode()).isEqualTo(tree.result.statusCode());
        assertThat(scanned.body()).isEqualTo(tree.body);
    }

    static Stream<String> plainLines() {
        String start = "{\"custom_id\":\"a\",";
        Stream<String> statuses = Stream.of(
                        "100",
                        "109",
                        "190",
                        "200",
                        "599",
                        "600",
                        "99",
                        "0",
                        "-1",
                        "1000000000",
                        "2147483647",
                        "-2147483648",
                        "-1000000000",
                        "null")
                .map(code -> start + "\"response\":{\"status_code\":" + code + "}}");
        Stream<String> bodyValues = Stream.of(
                        "0",
                        "-0",
                        "1",
                        "9",
                        "10",
                        "-9",
                        "0.5",
                        "1.0e5",
                        "1E+5",
                        "1e-5",
                        "2E5",
                        "123456789012345678",
                        "-123456789012345678",
                        "1." + "0".repeat(254),
                        "true",
                        "false",
                        "null",
                        "\"\"",
                        "\"\\u0030\\u0039\\u0061\\u0066\\u0041\\u0046\"",
                        "[]",
                        "{}",
                        "[1,[2,[]],{}]",
                        "{\"a\":{\"b\":{}},\"c\":[1,2],\"d\":{\"e\":[{}]}}",
                        "{\"a\":{},\"b\":[1,2],\"c\":{\"d\":1}}",
                        "[{\"a\":[1,{\"b\":2}]},[3]]")
                .map(value -> start + "\"response\":{\"status_code\":200,\"body\":{\"v\":" + value + "}}}");
        return Stream.concat(
                Stream.concat(statuses, bodyValues),
                Stream.of(
                        "{\"custom_id\":\"a\",\"response\":{},\"error\":{}}",
                        "{\"custom_id\":\"a\",\"id\":null,\"response\":{\"request_id\":null,\"body\":null},"
                                + "\"error\":{\"code\":null,\"message\":null}}",
                        "{\"custom_id\":\"\\u0030\\u0039\\u0061\\u0066\\u0041\\u0046\\u0aF9\\u0Fa0\\u0fA9\\u0Af0\","
                                + "\"error\":{\"code\":\"\\u00e9\\u00C9\",\"message\":\"\\u004a\\u0066\\u0039\"}}",
                        "{\"custom_id\":\"a\",\"other\":{\"x\":[true,false,null,\"s\",-1.5e+3,{\"y\":{}}]},\"more\":[]}",
                        "{ \"custom_id\" : \"a\" , \"response\" : { \"status_code\" : 200 , \"body\" : { \"x\" : [ 1 , { } ] } } }"));
    }
}
