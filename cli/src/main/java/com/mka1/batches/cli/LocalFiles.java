package com.mka1.batches.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

/** Where commands write local files, and the checks that keep them from replacing one by surprise. */
final class LocalFiles {
    private LocalFiles() {
    }

    /**
     * A file the command is about to write: its directory must exist, and a file already there is
     * replaced only with {@code --force}.
     *
     * @param shown the path as the message should show it
     * @param target the path resolved against the working directory
     * @param flag the flag that names the path, for the message ({@code --out})
     */
    static Path writable(String shown, Path target, boolean force, String flag) {
        if (Files.isDirectory(target)) {
            throw new CliUsageException(flag + " " + shown + " is a directory");
        }
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new CliUsageException("the directory of " + flag + " " + shown + " does not exist");
        }
        if (!force && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new CliUsageException(shown + " already exists: add --force to replace it, or choose another path with "
                    + flag);
        }
        return target;
    }

    /**
     * A server-given file name made safe to write in a directory: only its last path segment,
     * never {@code .}, {@code ..} or empty; null when nothing usable is left.
     */
    static String localName(String filename) {
        if (filename == null) {
            return null;
        }
        String name = filename.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).trim();
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('\0') >= 0) {
            return null;
        }
        try {
            Paths.get(name);
        } catch (InvalidPathException e) {
            return null;
        }
        return name;
    }

    /** A temporary file beside {@code target}, to be moved onto it once complete. */
    static Path partFile(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        return Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".part");
    }

    /** Moves a complete part file onto its target, replacing what is there. */
    static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
