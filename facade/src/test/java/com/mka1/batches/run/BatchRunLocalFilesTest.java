package com.mka1.batches.run;

import static com.mka1.batches.run.RunSupport.expected;
import static com.mka1.batches.run.RunSupport.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mka1.batches.BatchRunParams;
import com.mka1.batches.BatchRunResult;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.errors.LocalFileException;
import com.mka1.batches.errors.LocalFileException.Operation;
import com.mka1.batches.sandbox.Mka1Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file of the run's work directory that can't be created, written, read or locked ends the run
 * with a {@link LocalFileException} naming the file and the operation (not a
 * {@code Mka1IoException}, which says the network failed), and a run whose manifest was written
 * finishes on resume once the file is mended. The failures happen as root too (the tests may run
 * as root, whom permissions do not stop): a directory where a file belongs, and {@code /dev/full},
 * a disk that is always full.
 */
@ExtendWith(SandboxExtension.class)
class BatchRunLocalFilesTest {
    private static final Path FULL_DISK = Paths.get("/dev/full");

    @TempDir
    Path tmp;

    private Path dir;
    private Mka1Sandbox sandbox;
    private Mka1Client client;

    @BeforeEach
    void setUp(Mka1Sandbox sandbox, Mka1Client client) throws IOException {
        this.sandbox = sandbox;
        this.client = client;
        this.dir = Files.createDirectory(tmp.resolve("run"));
    }

    private BatchRunParams params() {
        return RunSupport.params(dir, 3, 2, i -> i == 2).build();
    }

    private static void assertLocalFailure(ThrowingCallable call, Operation operation, Path path, String message) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(LocalFileException.class, e -> {
                    assertThat(e.operation()).isEqualTo(operation);
                    assertThat(e.path()).isEqualTo(path);
                })
                .hasMessageStartingWith(message + " " + path + ": ");
    }

    @Test
    void aPartThatCannotBeCreatedStopsTheRunBeforeAnyRequest() throws IOException {
        Path part = Files.createDirectory(dir.resolve("part-0001.jsonl"));

        assertLocalFailure(
                () -> client.llm().batches().run(params()), Operation.CREATE, part, "could not create the run's part");
        assertThat(sandbox.requests()).isEmpty();
        assertThat(dir.resolve("manifest.json")).doesNotExist();
    }

    @Test
    void aFullDiskUnderTheManifestStopsTheRunBeforeAnyRequest() throws IOException {
        assumeTrue(Files.isWritable(FULL_DISK), "needs /dev/full");
        Path temp = Files.createSymbolicLink(dir.resolve("manifest.json.tmp"), FULL_DISK);

        assertLocalFailure(
                () -> client.llm().batches().run(params()),
                Operation.WRITE,
                temp,
                "could not write the run's manifest");
        assertThat(sandbox.requests()).isEmpty();
        assertThat(dir.resolve("manifest.json")).doesNotExist();
        Files.delete(temp); // a link out of the temporary directory, which JUnit warns about
    }

    @Test
    void aFullDiskUnderTheResultsIsMendedAndResumedWithoutARequest() throws IOException {
        assumeTrue(Files.isWritable(FULL_DISK), "needs /dev/full");
        Path results = Files.createSymbolicLink(dir.resolve("results.jsonl"), FULL_DISK);

        assertLocalFailure(
                () -> client.llm().batches().run(params()),
                Operation.WRITE,
                results,
                "could not write the run's results file");
        int requests = sandbox.requestCount();
        Files.delete(results);
        BatchRunResult run = client.llm().batches().resumeRun(dir);

        assertThat(view(run)).isEqualTo(expected(3, Set.of(2)));
        assertThat(sandbox.requestCount())
                .as("everything was downloaded before the disk filled up")
                .isEqualTo(requests);
    }

    @Test
    void aLockFileThatCannotBeOpenedIsALockFailure() throws IOException {
        Path lock = Files.createDirectory(dir.resolve("run.lock"));

        assertLocalFailure(
                () -> client.llm().batches().run(params()), Operation.LOCK, lock, "could not lock the run's lock file");
        assertThat(sandbox.requests()).isEmpty();
    }

    @Test
    void aManifestThatCannotBeReadIsAReadFailure() throws IOException {
        Path manifest = Files.createDirectory(dir.resolve("manifest.json"));

        assertLocalFailure(
                () -> client.llm().batches().resumeRun(dir),
                Operation.READ,
                manifest,
                "could not read the run's manifest");
        assertLocalFailure(
                () -> client.async().llm().batches().resumeRun(dir),
                Operation.READ,
                manifest,
                "could not read the run's manifest");
    }
}
