package com.mka1.batches.run;

import static com.mka1.batches.run.RunSupport.expected;
import static com.mka1.batches.run.RunSupport.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.Sleeper;
import com.mka1.batches.sandbox.Mka1Sandbox;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run at a time per work directory, and a refused run leaves the running one's lock alone
 * (issue 22, item 6). On Linux an OS file lock belongs to the process and closing any channel on
 * the file drops it: a second run of the same JVM that opened {@code run.lock} to find it locked
 * used to free the directory for every other process when it closed its channel.
 */
@ExtendWith(SandboxExtension.class)
class BatchRunLockTest {
    @TempDir
    Path tmp;

    private static BatchRunParams params(Path dir) {
        return RunSupport.params(dir, 3, 2, i -> i == 2).build();
    }

    @Test
    void aRefusedResumeInTheSameJvmLeavesTheRunningRunsLockToIt(Mka1Sandbox sandbox, Mka1Client client)
            throws Exception {
        Path dir = tmp.resolve("run");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Files.createDirectory(dir));
        Path relative = Paths.get("").toAbsolutePath().relativize(dir);
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        Sleeper heldAtItsFirstWait = duration -> {
            waiting.countDown();
            if (!goOn.await(1, TimeUnit.MINUTES)) {
                throw new InterruptedException("the test never let the run go on");
            }
            sandbox.clock().advance(duration);
        };

        try (Mka1Client holder = SandboxExtension.clientBuilder(sandbox)
                .sleeper(heldAtItsFirstWait)
                .build()) {
            CompletableFuture<BatchRunResult> running =
                    holder.async().llm().batches().run(params(dir));
            assertThat(waiting.await(1, TimeUnit.MINUTES))
                    .as("the run reached its wait")
                    .isTrue();
            int requests = sandbox.requestCount();

            for (Path sameDir : List.of(dir, link, relative)) {
                assertThatThrownBy(() -> client.llm().batches().resumeRun(sameDir))
                        .as("resumeRun(%s)", sameDir)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("workDir " + sameDir + " is in use by another run (its run.lock is locked):"
                                + " one run at a time per work directory");
            }
            assertThat(probe(dir))
                    .as("another process, after the refusals in this one")
                    .isEqualTo("REFUSED workDir " + dir + " is in use by another run (its run.lock is locked):"
                            + " one run at a time per work directory");
            assertThat(sandbox.requestCount())
                    .as("the refused runs sent nothing")
                    .isEqualTo(requests);

            goOn.countDown();
            assertThat(view(running.get(1, TimeUnit.MINUTES))).isEqualTo(expected(3, Set.of(2)));
        }
        assertThat(probe(dir)).as("the run ended: its lock is free").isEqualTo("FINISHED 3");
        assertThat(view(client.llm().batches().resumeRun(link))).isEqualTo(expected(3, Set.of(2)));
    }

    /** {@link ResumeRunProbe} on {@code dir} in a JVM of its own, against a port where nothing listens. */
    private static String probe(Path dir) throws IOException, InterruptedException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        ResumeRunProbe.class.getName(),
                        dir.toString(),
                        "http://127.0.0.1:" + deadPort)
                .redirectErrorStream(true)
                .start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).as("the probe ended").isTrue();
        return output.trim();
    }
}
