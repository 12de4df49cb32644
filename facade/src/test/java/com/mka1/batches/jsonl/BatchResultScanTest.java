package com.mka1.batches.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mka1.batches.errors.JsonlFormatException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast reading of a result line (streamed, the body skipped) and the whole-tree reading agree
 * on every line: where the fast one takes a line it gives the result the tree gives, body
 * included, and it takes no line the tree rejects.
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

    @ParameterizedTest
    @MethodSource("lines")
    void theFastReadingAgreesWithTheTree(String line) {
        BatchResult scanned = BatchResult.scan(line, 3);
        BatchResult.Tree tree;
        try {
            tree = BatchResult.parseTree(line, 3);
        } catch (JsonlFormatException rejected) {
            assertThat(scanned).as("the tree rejects it: %s", rejected.getMessage()).isNull();
            assertThatThrownBy(() -> BatchResult.parse(line, 3)).isInstanceOf(JsonlFormatException.class)
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

    @ParameterizedTest
    @MethodSource("usualLines")
    void theUsualLinesAreReadTheFastWay(String line) {
        assertThat(BatchResult.scan(line, 1)).isNotNull();
    }

    static Stream<String> usualLines() {
        return Stream.of(
                "{\"id\":\"batch_req_1\",\"custom_id\":\"a\",\"response\":{\"status_code\":200,\"request_id\":\"req_1\","
                        + "\"body\":{\"object\":\"chat.completion\",\"choices\":[]}},\"error\":null}",
                "{\"id\":\"batch_req_2\",\"custom_id\":\"b\",\"response\":null,\"error\":{\"code\":\"processing_error\","
                        + "\"message\":\"m\"}}",
                "{\"id\":\"batch_req_3\",\"custom_id\":\"c\",\"response\":{\"status_code\":429,\"request_id\":\"req_3\","
                        + "\"body\":{\"error\":{\"message\":\"slow down\"}}},\"error\":null}",
                "{\"custom_id\":\"d\",\"outcome\":\"missing\",\"batch_id\":\"batch_x\",\"reason\":\"expired\"}");
    }
}
