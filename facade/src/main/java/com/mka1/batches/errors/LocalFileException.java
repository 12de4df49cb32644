package com.mka1.batches.errors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A file on this machine could not be read, written, created, moved, locked or deleted: the disk
 * is full, a permission is missing, a directory is gone. Nothing went wrong with the server or the
 * network, so retrying the same call does not help until the local cause is mended; this is why
 * it is not a {@link Mka1IoException}, which means the request got no HTTP response.
 *
 * <p>Thrown by downloads, by {@code batches().run(...)} and {@code resumeRun(...)} for their work
 * directory and results file, and by the JSONL helpers of {@code com.mka1.batches.jsonl}.
 *
 * <pre>{@code
 * try {
 *     files.download(fileId, target);
 * } catch (LocalFileException e) {
 *     log.error("could not {} {}", e.operation(), e.path(), e);
 * }
 * }</pre>
 */
public class LocalFileException extends Mka1Exception {
    private static final long serialVersionUID = 1L;

    /** What was being done to the file when it failed. */
    public enum Operation {
        /** Reading a file or listing a directory. */
        READ,
        /** Writing to a file (the disk full, say). */
        WRITE,
        /** Creating a file or a directory. */
        CREATE,
        /** Moving a finished file into its place. */
        MOVE,
        /** Taking or releasing a file lock. */
        LOCK,
        /** Deleting a file. */
        DELETE;

        /** @return the operation in lower case, as messages show it */
        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Not serialised: a {@link Path} is not serialisable; the message names it. */
    private final transient Path path;

    private final Operation operation;

    /**
     * @param operation what was being done
     * @param path the file or directory it was done to
     * @param what a few words on what the library was doing, such as {@code "the run's manifest"}
     * @param cause the file system's failure
     */
    public LocalFileException(Operation operation, Path path, String what, IOException cause) {
        super(
                "could not " + Objects.requireNonNull(operation, "operation == null") + " " + what + " "
                        + Objects.requireNonNull(path, "path == null") + ": " + cause,
                cause);
        this.operation = operation;
        this.path = path;
    }

    /** @return the file or directory that could not be used; {@code null} after deserialisation */
    public @Nullable Path path() {
        return path;
    }

    /** @return what was being done to it */
    public Operation operation() {
        return operation;
    }
}
