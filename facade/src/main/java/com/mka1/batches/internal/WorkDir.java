package com.mka1.batches.internal;

import com.mka1.batches.BatchRunParams;
import com.mka1.batches.errors.LocalFileException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A batch run's work directory: the names of the files a run keeps there, the lock that lets one
 * run at a time use it, and the removal of what a run leaves there that is its own to remove (the
 * temporary directory of a run whose input was refused, a download's temporary file left by a
 * process that died).
 *
 * <p>Layout: {@value #MANIFEST_FILE} (the {@link RunManifest}), {@value #LOCK_FILE}, the parts
 * {@code part-0001.jsonl}, … with their downloaded {@code part-0001.output.jsonl} and
 * {@code part-0001.errors.jsonl}, and the joined {@value #RESULTS_FILE} and {@value #UNMATCHED_FILE}
 * (with {@code results-round-2.jsonl}, … while a run of several rounds goes on: {@link RunRounds}).
 *
 * <p>The lock: across processes an OS lock on {@value #LOCK_FILE} (the OS drops it when its
 * process dies), and within this JVM a registry of the directories its runs hold, keyed by real
 * path (a symlink or a relative path to a held directory is the same directory). Why the
 * registry: an OS file lock belongs to the whole process, and on Linux closing <em>any</em>
 * channel on the file drops it. A second run of this JVM that opened {@value #LOCK_FILE} only to
 * find it locked would, by closing that channel, free the directory for every other process while
 * the first run still drives it. So a run of this JVM is refused by the registry before it opens
 * the file, and only the registered holder ever opens or closes it.
 */
public final class WorkDir implements AutoCloseable {
    public static final String MANIFEST_FILE = "manifest.json";
    public static final String RESULTS_FILE = "results.jsonl";
    public static final String UNMATCHED_FILE = "unmatched.jsonl";
    static final String LOCK_FILE = "run.lock";
    private static final ConcurrentMap<Path, WorkDir> HELD = new ConcurrentHashMap<>();

    private final Path dir;
    /** The real path, the registry's key. */
    private final Path key;
    /** Whether the library made the directory, which it then removes if it ends up holding no run. */
    private final boolean temporary;

    private FileChannel channel;
    private FileLock lock;

    private WorkDir(Path dir, Path key, boolean temporary) {
        this.dir = dir;
        this.key = key;
        this.temporary = temporary;
    }

    /**
     * Checks a new run's work directory before anything else: creates it if needed (or a
     * temporary one), and refuses one that holds a run already.
     *
     * @return the directory to use
     */
    public static Path forNewRun(BatchRunParams params) {
        Objects.requireNonNull(params, "params == null");
        Path dir = params.workDir();
        if (dir == null) {
            Path tmp = Paths.get(System.getProperty("java.io.tmpdir"));
            try {
                return Files.createTempDirectory("mka1-batch-run-");
            } catch (IOException e) {
                throw new LocalFileException(
                        LocalFileException.Operation.CREATE, tmp, "a temporary work directory for the run in", e);
            }
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("workDir " + dir + " is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LocalFileException(LocalFileException.Operation.CREATE, dir, "the run's work directory", e);
        }
        if (holdsRun(dir)) {
            throw new IllegalArgumentException("workDir " + dir + " already holds a batch run (" + MANIFEST_FILE
                    + "): continue it with resumeRun(workDir), or give the new run another directory");
        }
        return dir;
    }

    /** @return whether {@code dir} holds a run's manifest */
    static boolean holdsRun(Path dir) {
        return Files.exists(dir.resolve(MANIFEST_FILE));
    }

    /** The name of part {@code number}'s input file. */
    static String partFile(int number) {
        return String.format("part-%04d.jsonl", number);
    }

    /** The name of the file of round {@code round}'s joined lines (round 1's is {@value #RESULTS_FILE} until the end). */
    static String roundResultsFile(int round) {
        return String.format("results-round-%d.jsonl", round);
    }

    /** The name of the downloaded output file of the part whose input is {@code partFile}. */
    static String outputFile(String partFile) {
        return partFile.replace(".jsonl", ".output.jsonl");
    }

    /** The name of the downloaded error file of the part whose input is {@code partFile}. */
    static String errorsFile(String partFile) {
        return partFile.replace(".jsonl", ".errors.jsonl");
    }

    /**
     * Takes the lock of {@code dir}, an existing directory.
     *
     * @param temporary whether the library made {@code dir} for this run: {@link #close()} then
     *     removes it if it holds no run
     * @throws IllegalStateException if a run of this JVM or of another process holds it
     * @throws LocalFileException if the lock file can't be opened or locked
     */
    static WorkDir lock(Path dir, boolean temporary) {
        Path key;
        try {
            key = dir.toRealPath();
        } catch (IOException e) {
            throw new LocalFileException(LocalFileException.Operation.LOCK, dir, "the run's work directory", e);
        }
        WorkDir holder = new WorkDir(dir, key, temporary);
        if (HELD.putIfAbsent(key, holder) != null) {
            throw busy(dir); // before touching the file: see the class comment
        }
        try {
            holder.lockFile(key.resolve(LOCK_FILE));
            return holder;
        } catch (RuntimeException e) {
            HELD.remove(key, holder);
            throw e;
        }
    }

    private void lockFile(Path file) {
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // Code of this JVM other than a run locked the file; closing our channel below may
            // drop that lock, which no run can prevent once the file is open.
            closeChannel();
            throw busy(dir);
        } catch (IOException e) {
            closeChannel();
            throw new LocalFileException(LocalFileException.Operation.LOCK, file, "the run's lock file", e);
        }
        if (lock == null) {
            closeChannel(); // another process holds it: this JVM held no lock on the file to drop
            throw busy(dir);
        }
    }

    private static IllegalStateException busy(Path dir) {
        return new IllegalStateException("workDir " + dir + " is in use by another run (its " + LOCK_FILE
                + " is locked): one run at a time per work directory");
    }

    /** A download killed with its process leaves its temporary file ({@code .<name>.<random>.part}). */
    void removeDownloadLeftovers(String name) {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "." + name + ".*.part")) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        } catch (IOException e) {
            // Harmless: a leftover only takes space.
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing releases what it can; nothing else to do
            }
        }
    }

    /**
     * Releases the OS lock, then the registry entry, so that no run of this JVM opens the file
     * while it is held; then removes a temporary directory that holds no run (its input was refused).
     */
    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel releases it too
        } finally {
            closeChannel();
            HELD.remove(key, this);
        }
        if (temporary && !holdsRun(dir)) {
            try {
                Files.deleteIfExists(dir.resolve(LOCK_FILE));
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // Best effort: an empty temporary directory.
            }
        }
    }
}
