package com.mka1.batches.internal;

import com.mka1.batches.errors.LocalFileException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One run at a time per work directory: across processes an OS lock on {@value #FILE_NAME} (the
 * OS drops it when its process dies), and within this JVM a registry of the directories its runs
 * hold, keyed by real path (a symlink or a relative path to a held directory is the same
 * directory).
 *
 * <p>Why the registry: an OS file lock belongs to the whole process, and on Linux closing
 * <em>any</em> channel on the file drops it. A second run of this JVM that opened {@value
 * #FILE_NAME} only to find it locked would, by closing that channel, free the directory for every
 * other process while the first run still drives it. So a run of this JVM is refused by the
 * registry before it opens the file, and only the registered holder ever opens or closes it.
 */
final class WorkDirLock implements AutoCloseable {
    static final String FILE_NAME = "run.lock";
    private static final ConcurrentMap<Path, WorkDirLock> HELD = new ConcurrentHashMap<>();

    private final Path key;
    private FileChannel channel;
    private FileLock lock;

    private WorkDirLock(Path key) {
        this.key = key;
    }

    /**
     * Takes the lock of {@code dir}, an existing directory.
     *
     * @throws IllegalStateException if a run of this JVM or of another process holds it
     * @throws LocalFileException if the lock file can't be opened or locked
     */
    static WorkDirLock acquire(Path dir) {
        Path key;
        try {
            key = dir.toRealPath();
        } catch (IOException e) {
            throw new LocalFileException(LocalFileException.Operation.LOCK, dir, "the run's work directory", e);
        }
        WorkDirLock holder = new WorkDirLock(key);
        if (HELD.putIfAbsent(key, holder) != null) {
            throw busy(dir); // before touching the file: see the class comment
        }
        try {
            holder.lockFile(key.resolve(FILE_NAME), dir);
            return holder;
        } catch (RuntimeException e) {
            HELD.remove(key, holder);
            throw e;
        }
    }

    private void lockFile(Path file, Path dir) {
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
        return new IllegalStateException("workDir " + dir + " is in use by another run (its " + FILE_NAME
                + " is locked): one run at a time per work directory");
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

    /** Releases the OS lock, then the registry entry, so that no run of this JVM opens the file while it is held. */
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
    }
}
