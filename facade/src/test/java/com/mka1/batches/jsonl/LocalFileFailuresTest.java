package com.mka1.batches.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.mka1.batches.errors.LocalFileException;
import com.mka1.batches.errors.LocalFileException.Operation;
import com.mka1.batches.models.BatchEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local file the JSONL helpers can't create, read or write is a {@link LocalFileException}
 * naming the file and the operation, not an {@code UncheckedIOException}. The failures are ones
 * that happen as root too (tests may run as root, whom permissions do not stop): a parent that is
 * a regular file, a directory read as a file, and {@code /dev/full}, a disk that is always full.
 */
class LocalFileFailuresTest {
    @TempDir
    Path tmp;

    private static void assertLocalFailure(ThrowingCallable call, Operation operation, Path path, String message) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(LocalFileException.class, e -> {
                    assertThat(e.operation()).isEqualTo(operation);
                    assertThat(e.path()).isEqualTo(path);
                    assertThat(e.getCause()).isInstanceOf(IOException.class);
                })
                .hasMessageStartingWith(message);
    }

    @Test
    void aWriterWhoseFileCannotBeCreatedNamesIt() throws IOException {
        Path file = Files.createFile(tmp.resolve("not-a-directory")).resolve("input.jsonl");

        assertLocalFailure(
                () -> BatchInputWriter.create(file, BatchEndpoint.CHAT_COMPLETIONS),
                Operation.CREATE,
                file,
                "could not create the batch input file " + file + ": ");
    }

    @Test
    void aWriterOnAFullDiskNamesItsFile() {
        Path full = Paths.get("/dev/full");
        assumeTrue(Files.isWritable(full), "needs /dev/full");
        BatchInputWriter closed = BatchInputWriter.create(full, BatchEndpoint.EMBEDDINGS);
        closed.write("a", new JsonObject()); // buffered: the disk is written on close or flush
        BatchInputWriter flushed = BatchInputWriter.create(full, BatchEndpoint.EMBEDDINGS);
        flushed.write("a", new JsonObject());

        assertLocalFailure(closed::close, Operation.WRITE, full, "could not write the batch input file /dev/full: ");
        assertLocalFailure(flushed::flush, Operation.WRITE, full, "could not write the batch input file /dev/full: ");
        flushed.close();
    }

    @Test
    void aWriterOnAStreamStillThrowsTheStreamsFailureUnchecked() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("broken pipe");
            }
        };
        BatchInputWriter writer = BatchInputWriter.to(broken, BatchEndpoint.EMBEDDINGS);
        writer.write("a", new JsonObject());

        assertThatThrownBy(writer::flush)
                .isExactlyInstanceOf(UncheckedIOException.class)
                .hasRootCauseMessage("broken pipe");
    }

    @Test
    void theValidatorNamesAFileItCannotRead() throws IOException {
        Path missing = tmp.resolve("missing.jsonl");
        Path directory = Files.createDirectory(tmp.resolve("a-directory.jsonl"));

        assertLocalFailure(
                () -> BatchInputValidator.validate(missing),
                Operation.READ,
                missing,
                "could not read the batch input file " + missing + ": ");
        assertLocalFailure(
                () -> BatchInputValidator.validate(directory, "/v1/embeddings"),
                Operation.READ,
                directory,
                "could not read the batch input file " + directory + ": ");
    }

    @Test
    void theResultsReaderNamesAFileItCannotRead() throws IOException {
        Path missing = tmp.resolve("missing.jsonl");
        Path directory = Files.createDirectory(tmp.resolve("a-directory.jsonl"));

        assertLocalFailure(
                () -> BatchResultsReader.open(missing),
                Operation.READ,
                missing,
                "could not read the results file " + missing + ": ");
        try (BatchResultsReader reader =
                BatchResultsReader.open(directory)) { // opening a directory works; reading fails
            assertLocalFailure(
                    () -> reader.iterator().hasNext(),
                    Operation.READ,
                    directory,
                    "could not read the results file " + directory + ": ");
        }
    }
}
