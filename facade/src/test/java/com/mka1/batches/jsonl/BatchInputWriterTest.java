package com.mka1.batches.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.mka1.batches.models.BatchEndpoint;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchInputWriterTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Test
    void writesOneCompactLinePerRequestEndingInNewline() {
        try (BatchInputWriter writer = BatchInputWriter.to(bytes, BatchEndpoint.CHAT_COMPLETIONS)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("model", "m");
            body.put("messages", List.of(Map.of("content", "Hi <b>")));
            writer.write("request-1", body);
            writer.write(BatchInputLine.of("request-2", "/v1/chat/completions", body("model", "m")));
            assertThat(writer.count()).isEqualTo(2);
        }

        assertThat(written())
                .isEqualTo("{\"custom_id\":\"request-1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                        + "\"body\":{\"model\":\"m\",\"messages\":[{\"content\":\"Hi <b>\"}]}}\n"
                        + "{\"custom_id\":\"request-2\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                        + "\"body\":{\"model\":\"m\"}}\n");
    }

    @Test
    void aRepeatedCustomIdIsRefusedAndNotWritten() {
        try (BatchInputWriter writer = BatchInputWriter.to(bytes, BatchEndpoint.EMBEDDINGS)) {
            writer.write("a", body("input", "x"));

            assertThatThrownBy(() -> writer.write("a", body("input", "y")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'a'")
                    .hasMessageContaining("unique");
            assertThat(writer.count()).isEqualTo(1);
        }
        assertThat(written()).hasLineCount(1).doesNotContain("\"y\"");
    }

    @Test
    void aLineForAnotherEndpointIsRefused() {
        try (BatchInputWriter writer = BatchInputWriter.to(bytes, BatchEndpoint.CHAT_COMPLETIONS)) {
            assertThatThrownBy(() -> writer.write(BatchInputLine.of("a", BatchEndpoint.EMBEDDINGS, body("input", "x"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("/v1/embeddings")
                    .hasMessageContaining("/v1/chat/completions");
        }
        assertThat(written()).isEmpty();
    }

    @Test
    void aNewerEndpointCanBeGivenAsAString() {
        try (BatchInputWriter writer = BatchInputWriter.to(bytes, "/v1/responses")) {
            writer.write("a", body("input", "x"));
        }
        assertThat(written()).contains("\"url\":\"/v1/responses\"");
        bytes.reset();
        try (BatchInputWriter writer = BatchInputWriter.to(bytes, BatchEndpoint.of("/v1/videos"))) {
            writer.write("a", body("input", "x"));
        }
        assertThat(written()).contains("\"url\":\"/v1/videos\"");
        assertThatThrownBy(() -> BatchInputWriter.to(bytes, BatchEndpoint.of("videos")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesToAFileAsItGoes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("input.jsonl");
        try (BatchInputWriter writer = BatchInputWriter.create(file, BatchEndpoint.EMBEDDINGS)) {
            for (int i = 0; i < 5000; i++) {
                writer.write("r" + i, body("input", "text " + i));
            }
            // Lines reach the file before close, through a bounded buffer.
            assertThat(Files.size(file)).isPositive();
        }
        assertThat(Files.readAllLines(file)).hasSize(5000).last().asString().contains("\"r4999\"");
    }

    @Test
    void theWriterRefusesWritesAfterCloseAndClosesTwiceQuietly() {
        BatchInputWriter writer = BatchInputWriter.to(bytes, BatchEndpoint.EMBEDDINGS);
        writer.close();
        writer.close();

        assertThatThrownBy(() -> writer.write("a", body("input", "x"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> BatchInputLine.of(" ", BatchEndpoint.EMBEDDINGS, new JsonObject()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("customId");
        assertThatThrownBy(() -> BatchInputLine.of("a", BatchEndpoint.EMBEDDINGS, null))
                .hasMessage("body == null");
        assertThatThrownBy(() -> BatchInputWriter.to(bytes, " ")).hasMessageContaining("endpoint");
        assertThatThrownBy(() -> BatchInputWriter.to(null, "/v1/embeddings")).hasMessage("out == null");
    }

    @Test
    void aLineKeepsItsOwnCopyOfTheBody() {
        JsonObject body = body("input", "x");
        BatchInputLine line = BatchInputLine.of("a", BatchEndpoint.EMBEDDINGS, body);
        body.addProperty("input", "changed");
        line.body().addProperty("input", "changed too");

        assertThat(line.toJson()).contains("\"input\":\"x\"");
        assertThat(line.method()).isEqualTo("POST");
    }

    private String written() {
        return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void writesChainAndGiveBackTheLineWrittenForItsEndpoint() {
        try (BatchInputWriter writer = BatchInputWriter.to(bytes, BatchEndpoint.EMBEDDINGS)) {
            assertThat(writer.endpoint()).isEqualTo("/v1/embeddings");

            BatchInputLine fromTree = writer.write("a", body("input", "x"));
            BatchInputLine fromMap = writer.write("b", Map.of("input", "y"));
            BatchInputWriter chained = writer.write(BatchInputLine.of("c", "/v1/embeddings", body("input", "z")))
                    .write(BatchInputLine.of("d", "/v1/embeddings", body("input", "w")));

            assertThat(chained).isSameAs(writer);
            assertThat(fromTree).isEqualTo(BatchInputLine.of("a", "/v1/embeddings", body("input", "x")));
            assertThat(fromMap).isEqualTo(BatchInputLine.of("b", "/v1/embeddings", body("input", "y")));
            assertThat(writer.count()).isEqualTo(4);
        }
    }

    /** What was written is in the stream after a flush, before the writer is closed. */
    @Test
    void flushPassesTheLinesOnBeforeClose() {
        try (BatchInputWriter writer = BatchInputWriter.to(bytes, BatchEndpoint.EMBEDDINGS)) {
            writer.write("a", body("input", "x"));
            writer.flush();

            assertThat(bytes.toString(StandardCharsets.UTF_8))
                    .isEqualTo(
                            "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{\"input\":\"x\"}}\n");
        }
    }

    /** A line is a value: equal to another with the same custom id, url and body. */
    @Test
    void linesAreEqualByCustomIdUrlAndBody() {
        BatchInputLine line = BatchInputLine.of("a", "/v1/embeddings", body("input", "x"));
        BatchInputLine same = BatchInputLine.of("a", BatchEndpoint.EMBEDDINGS, body("input", "x"));

        assertThat(line)
                .isEqualTo(same)
                .hasSameHashCodeAs(same)
                .isNotEqualTo(BatchInputLine.of("b", "/v1/embeddings", body("input", "x")))
                .isNotEqualTo(BatchInputLine.of("a", "/v1/chat/completions", body("input", "x")))
                .isNotEqualTo(BatchInputLine.of("a", "/v1/embeddings", body("input", "y")))
                .isNotEqualTo(line.toJson())
                .isNotEqualTo(null);
        assertThat(line.hashCode())
                .isNotEqualTo(BatchInputLine.of("b", "/v1/embeddings", body("input", "x"))
                        .hashCode());
        assertThat(line).hasToString("BatchInputLine{customId=a, url=/v1/embeddings}");
    }

    static JsonObject body(String name, String value) {
        JsonObject body = new JsonObject();
        body.addProperty(name, value);
        return body;
    }
}
