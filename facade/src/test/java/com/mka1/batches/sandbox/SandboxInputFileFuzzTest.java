package com.mka1.batches.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.mka1.batches.jsonl.BatchInputValidator;
import com.mka1.batches.jsonl.ValidationReport;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes a batch's JSONL input file through the sandbox's {@link InputFile} (what batch creation
 * runs) and, differentially, the client's {@link BatchInputValidator}: an input file the client
 * passes is one the sandbox accepts, with as many requests. Here, not in the sandbox module, as it
 * needs the client, which the sandbox does not depend on; in the sandbox's package to reach
 * {@link InputFile}.
 *
 * <p>Inputs: {@code SandboxInputFileFuzzTestInputs/inputFile/}, JSONL files.
 */
class SandboxInputFileFuzzTest {
    private static final String ENDPOINT = "/v1/chat/completions";

    @FuzzTest(maxDuration = "60s")
    void inputFile(byte[] input) {
        String content = new String(input, StandardCharsets.UTF_8);
        InputFile parsed = InputFile.parse(content, ENDPOINT);
        assertThat(parsed.isValid()).isEqualTo(parsed.errors.isEmpty());
        assertThat(parsed.isValid()).isEqualTo(!parsed.lines.isEmpty());

        ValidationReport report = BatchInputValidator.validate(new StringReader(content), ENDPOINT);
        if (report.isValid()) {
            assertThat(parsed.errors)
                    .as("the sandbox's errors for a file the client's validator passes")
                    .isEmpty();
            assertThat((long) parsed.lines.size()).isEqualTo(report.lineCount());
        }
    }
}
