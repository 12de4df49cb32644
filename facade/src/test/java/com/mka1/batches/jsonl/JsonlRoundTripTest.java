package com.mka1.batches.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.mka1.batches.models.BatchEndpoint;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write an input file, validate it, answer it the way the API does, read and join the answers. */
class JsonlRoundTripTest {
    @Test
    void writeValidateReadAndJoin(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("input.jsonl");
        List<BatchInputLine> lines = new ArrayList<>();
        try (BatchInputWriter writer = BatchInputWriter.create(input, BatchEndpoint.CHAT_COMPLETIONS)) {
            for (int i = 1; i <= 3; i++) {
                lines.add(writer.write(
                        "request-" + i,
                        Map.of(
                                "model",
                                "m",
                                "messages",
                                List.of(Map.of("role", "user", "content", "Question \"" + i + "\" ✓")))));
            }
        }

        ValidationReport report = BatchInputValidator.validate(input, BatchEndpoint.CHAT_COMPLETIONS.getValue());
        assertThat(report.isValid()).as(report.toString()).isTrue();
        assertThat(report.lineCount()).isEqualTo(3);

        Path output = dir.resolve("output.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            // Echo each request's body back as the response body, skipping request-2.
            for (String line : Files.readAllLines(input, StandardCharsets.UTF_8)) {
                JsonObject request =
                        com.google.gson.JsonParser.parseString(line).getAsJsonObject();
                String id = request.get("custom_id").getAsString();
                if (!id.equals("request-2")) {
                    out.write("{\"id\":\"batch_req_" + id + "\",\"custom_id\":\"" + id + "\",\"response\":"
                            + "{\"status_code\":200,\"request_id\":\"r\",\"body\":" + request.get("body") + "},"
                            + "\"error\":null}\n");
                }
            }
        }

        List<BatchResult> results = BatchResultsReaderTest.readAll(BatchResultsReader.open(output));
        Map<String, BatchResult> byCustomId = new HashMap<>();
        results.forEach(r -> byCustomId.put(r.customId(), r));

        assertThat(lines)
                .filteredOn(line -> !byCustomId.containsKey(line.customId()))
                .extracting(BatchInputLine::customId)
                .containsExactly("request-2");
        BatchInputLine third = lines.get(2);
        assertThat(byCustomId.get(third.customId()).isSuccess()).isTrue();
        assertThat(byCustomId.get(third.customId()).body()).isEqualTo(third.body());
    }
}
