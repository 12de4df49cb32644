package com.mka1.batches.sandbox;

import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory that keeps a sandbox's state across restarts: {@code state.json} holds a {@link
 * StateSnapshot}, and {@code files/<id>} the bytes of each file (written once: files never
 * change). Every write goes to a temporary file that is flushed to disk and then moved into place
 * atomically, bytes before the {@code state.json} that refers to them, so a crash at any point
 * leaves the state before or after a request, never a torn one. Bytes no longer referred to are
 * removed after the {@code state.json} that dropped them. A lock on {@code lock} keeps a second
 * sandbox off a directory in use. Not thread-safe: {@link SandboxState} calls it under its lock.
 */
final class StateDir implements AutoCloseable {
    static final String STATE_FILE = "state.json";
    static final String FILES_DIR = "files";
    private static final String LOCK_FILE = "lock";
    private static final String TEMP_SUFFIX = ".tmp";
    /** File ids as the sandbox makes them; anything else in state.json must not become a path. */
    private static final Pattern FILE_ID = Pattern.compile("file_[0-9a-f]{1,64}");
    /** Where Gson's multi-line messages say the problem is. */
    private static final Pattern GSON_POSITION = Pattern.compile("line \\d+ column \\d+( path \\S+)?");

    private final Path dir;
    private final Path stateFile;
    private final Path filesDir;
    private final FileChannel lockChannel;
    /** The ids whose bytes are in {@code files/}. */
    private final Set<String> onDisk;
    /** The state.json last read or written, to skip writing an unchanged state. */
    private String lastWritten;

    private StateDir(Path dir, FileChannel lockChannel, Set<String> onDisk) {
        this.dir = dir;
        this.stateFile = dir.resolve(STATE_FILE);
        this.filesDir = dir.resolve(FILES_DIR);
        this.lockChannel = lockChannel;
        this.onDisk = onDisk;
    }

    /**
     * Opens a state directory, creating it if it does not exist, and locks it.
     *
     * @throws StateDirException if it is not a directory, cannot be created or read, or is locked
     */
    static StateDir open(Path dir) {
        Path filesDir = dir.resolve(FILES_DIR);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new StateDirException("the sandbox state dir " + dir + " is not a directory", null);
        }
        try {
            Files.createDirectories(filesDir);
        } catch (FileAlreadyExistsException e) {
            throw new StateDirException(e.getFile() + " is not a directory", e);
        } catch (IOException e) {
            throw new StateDirException("cannot create the sandbox state dir " + dir + ": " + e, e);
        }
        FileChannel lockChannel = lock(dir.resolve(LOCK_FILE));
        try {
            return new StateDir(dir, lockChannel, blobsIn(filesDir));
        } catch (RuntimeException e) {
            closeQuietly(lockChannel, e);
            throw e;
        }
    }

    private static FileChannel lock(Path lockFile) {
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StateDirException("cannot open " + lockFile + ": " + e, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw new StateDirException("cannot lock " + lockFile + ": " + e, e);
        }
        if (lock == null) {
            StateDirException inUse = new StateDirException(
                    "the sandbox state dir " + lockFile.getParent() + " is in use by another sandbox", null);
            closeQuietly(channel, inUse);
            throw inUse;
        }
        return channel;
    }

    /** The ids in {@code files/}; removes temporary files a crash left behind. */
    private static Set<String> blobsIn(Path filesDir) {
        Set<String> ids = new HashSet<>();
        try (Stream<Path> entries = Files.list(filesDir)) {
            for (Iterator<Path> it = entries.iterator(); it.hasNext(); ) {
                Path entry = it.next();
                String name = entry.getFileName().toString();
                if (name.endsWith(TEMP_SUFFIX)) {
                    Files.deleteIfExists(entry);
                } else {
                    ids.add(name);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new StateDirException("cannot read the sandbox state dir " + filesDir + ": " + e, e);
        }
        return ids;
    }

    /**
     * The state saved last.
     *
     * @return the snapshot, or null if the directory holds none yet
     * @throws StateDirException if {@code state.json} cannot be read or is not a sandbox state
     */
    StateSnapshot load() {
        String json;
        try {
            json = new String(Files.readAllBytes(stateFile), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StateDirException("cannot read the sandbox state " + stateFile + ": " + e, e);
        }
        StateSnapshot snapshot;
        try {
            snapshot = Json.GSON.fromJson(Json.parseStrict(json), StateSnapshot.class);
        } catch (JsonParseException | IllegalStateException e) {
            Matcher where = GSON_POSITION.matcher(String.valueOf(e.getMessage()));
            throw corrupt(
                    "it is not valid JSON of the expected shape" + (where.find() ? " (at " + where.group() + ")" : ""),
                    e);
        }
        if (snapshot == null) {
            throw corrupt("it holds no state", null);
        }
        if (snapshot.version != StateSnapshot.VERSION) {
            throw corrupt(
                    "it has version " + snapshot.version + "; this sandbox reads version " + StateSnapshot.VERSION,
                    null);
        }
        lastWritten = json;
        return snapshot;
    }

    /** The stored bytes of one file. */
    byte[] content(String fileId) {
        Path blob = blobPath(fileId);
        try {
            return Files.readAllBytes(blob);
        } catch (NoSuchFileException e) {
            throw corrupt("it refers to " + blob + ", which is missing", e);
        } catch (IOException e) {
            throw new StateDirException("cannot read the sandbox state " + blob + ": " + e, e);
        }
    }

    /** A state that {@link #load()} cannot use; the message names state.json and says why. */
    StateDirException corrupt(String why, Throwable cause) {
        return new StateDirException(
                "the sandbox state " + stateFile + " cannot be used: " + why
                        + " (move the directory away to start empty)",
                cause);
    }

    /**
     * Writes a state unless it is the one written last: first the bytes of files not on disk yet,
     * then {@code state.json}, then removes the bytes no file or batch needs any more.
     *
     * @param snapshot the state
     * @param needed the ids whose bytes the state needs
     * @param content the bytes of a needed file not on disk yet
     * @throws UncheckedIOException if writing fails; the message names the path
     */
    void save(StateSnapshot snapshot, Set<String> needed, Function<String, byte[]> content) {
        String json = Json.GSON.toJson(snapshot);
        if (json.equals(lastWritten)) {
            return;
        }
        for (String id : needed) {
            if (!onDisk.contains(id)) {
                byte[] bytes = content.apply(id);
                if (bytes != null) {
                    writeAtomically(blobPath(id), bytes);
                    onDisk.add(id);
                }
            }
        }
        writeAtomically(stateFile, json.getBytes(StandardCharsets.UTF_8));
        lastWritten = json;
        for (Iterator<String> it = onDisk.iterator(); it.hasNext(); ) {
            String id = it.next();
            if (!needed.contains(id)) {
                Path blob = filesDir.resolve(id);
                try {
                    Files.deleteIfExists(blob);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + blob, e);
                }
                it.remove();
            }
        }
    }

    private Path blobPath(String fileId) {
        if (fileId == null || !FILE_ID.matcher(fileId).matches()) {
            throw corrupt("it has a file id that is not one: " + fileId, null);
        }
        return filesDir.resolve(fileId);
    }

    private static void writeAtomically(Path target, byte[] bytes) {
        Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(
                    temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sandbox state " + target, e);
        }
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlock the sandbox state dir " + dir, e);
        }
    }

    private static void closeQuietly(FileChannel channel, Exception failure) {
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** A state dir that cannot be used; the message names the path and what is wrong. */
    static final class StateDirException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        StateDirException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
