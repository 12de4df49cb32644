package com.mka1.batches.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxClock;
import com.mka1.batches.sandbox.SandboxOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch run holds bounded memory: a million requests (58-character ids) run end to end —
 * validated, split into 20 batches, uploaded, created, waited for, downloaded and joined — by a
 * child JVM with a 128 MB heap, against a sandbox in this JVM, which then streams the million
 * result lines from the server again with {@code batches().results(id)}. Keeping the ids in a
 * {@code HashMap} alone would need about 140 MB (the validator that did so runs out of memory
 * here), and an in-memory join of the results far more.
 */
@Tag("slow") // docs/QUALITY.md: not in the default build; `./mvnw -Pslow test`
class BatchRunMemoryTest {
    private static final int REQUESTS = 1_000_000;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aMillionRequestsRunIn128MbOfHeap(@TempDir Path tmp) throws IOException, InterruptedException {
        // A sandbox on the wall clock whose batches take a millisecond a step: the child's client
        // polls without waiting and nothing sleeps.
        try (Mka1Sandbox sandbox = Mka1Sandbox.builder()
                .clock(SandboxClock.system())
                .stepDuration(Duration.ofMillis(1))
                .start()) {
            Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
            Process child = new ProcessBuilder(List.of(
                            java.toString(),
                            "-Xmx128m",
                            "-XX:+UseSerialGC",
                            "-cp",
                            System.getProperty("java.class.path"),
                            BatchRunAtScale.class.getName(),
                            tmp.toString(),
                            String.valueOf(REQUESTS),
                            sandbox.baseUrl(),
                            sandbox.apiKey()))
                    .redirectErrorStream(true)
                    .start();
            byte[] output = child.getInputStream().readAllBytes();
            assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
            String text = new String(output, StandardCharsets.UTF_8);
            System.out.println("BatchRunAtScale: " + text.trim());

            assertThat(child.exitValue()).as(text).isZero();
            assertThat(text).contains("OK total=1000000 succeeded=999000 failed=1000 missing=0 unmatched=0 batches=20");
            assertThat(sandbox.requestCount(SandboxOperation.UPLOAD_FILE)).isEqualTo(20);
            assertThat(sandbox.requestCount(SandboxOperation.CREATE)).isEqualTo(20);
        }
    }
}
