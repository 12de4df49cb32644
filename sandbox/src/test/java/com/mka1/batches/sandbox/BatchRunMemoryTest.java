package com.mka1.batches.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch run's validation and join hold bounded memory: a million requests (58-character ids)
 * validated, split and joined to their results in a child JVM with a 128 MB heap. Keeping the
 * ids in a {@code HashMap} alone would need about 140 MB, and an in-memory join of the results
 * far more. (The upload, create and wait steps hold a part's metadata only; running a million
 * requests through the embedded sandbox would hold them all in the sandbox's memory and take
 * minutes, so {@link BatchRunAtScale} stands in for the server by writing the result files a
 * server would.)
 */
class BatchRunMemoryTest {
    private static final int REQUESTS = 1_000_000;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aMillionRequestsAreValidatedAndJoinedIn128MbOfHeap(@TempDir Path tmp) throws IOException, InterruptedException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-Xmx128m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), BatchRunAtScale.class.getName(),
                tmp.toString(), String.valueOf(REQUESTS)))
                .redirectErrorStream(true)
                .start();
        byte[] output = child.getInputStream().readAllBytes();
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        System.out.println("BatchRunAtScale: " + text.trim());

        assertThat(child.exitValue()).as(text).isZero();
        assertThat(text).contains("OK total=1000000 succeeded=998000 failed=1000 missing=1000 unmatched=20 parts=20")
                .doesNotContain("OutOfMemoryError");
    }
}
