package com.mka1.batches.endtoend;

import static com.mka1.batches.endtoend.WorkflowAssertions.assertWorkflowRan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mka1.batches.Mka1Client;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link UploadCreateDownload} against the sandbox as users run it on its own: {@code java -jar
 * mka1-batches-sandbox-<version>-all.jar}, the shaded jar, in a process of its own over HTTP. Run
 * by the sandbox module's {@code standalone-jar} surefire execution in the {@code integration-test}
 * phase, after {@code package} has built the jar, whose path it passes as {@code mka1.sandbox.jar}.
 * The standalone sandbox runs on the wall clock, so the client really waits (50 ms stages).
 */
class StandaloneJarEndToEndIT {
    @Test
    void againstTheShadedJarInItsOwnProcess(@TempDir Path dir) throws IOException {
        String jarPath = System.getProperty("mka1.sandbox.jar");
        assumeTrue(jarPath != null, "mka1.sandbox.jar is set by the build's integration-test phase (mvn verify)");
        Path jar = Paths.get(jarPath);
        assertThat(jar)
                .as("the shaded jar, built by package before integration-test")
                .isRegularFile();

        try (StandaloneSandbox sandbox = StandaloneSandbox.fromJar(
                        jar,
                        "--port",
                        "0",
                        "--api-key",
                        FilesWorkflowEndToEndTest.KEY,
                        "--step-millis",
                        String.valueOf(FilesWorkflowEndToEndTest.STEP.toMillis()));
                Mka1Client client = Mka1Client.builder()
                        .baseUrl(sandbox.baseUrl())
                        .apiKey(FilesWorkflowEndToEndTest.KEY)
                        .build()) {

            UploadCreateDownload.Outcome outcome = UploadCreateDownload.run(client, dir);

            assertWorkflowRan(outcome, dir);
        }
    }
}
