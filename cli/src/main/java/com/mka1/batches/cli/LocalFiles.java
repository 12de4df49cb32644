package com.mka1.batches.cli;

import com.mka1.batches.errors.LocalFileException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/** Where commands write local files, and the checks that keep them from replacing one by surprise. */
final class LocalFiles {
    /** Names Windows reserves for devices, with or without an extension, in any case. */
    private static final Pattern WINDOWS_DEVICE =
            Pattern.compile("(?i)(CON|PRN|AUX|NUL|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3])(\\..*)?");

    private LocalFiles() {}

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
            throw new CliUsageException(
                    shown + " already exists: add --force to replace it, or choose another path with " + flag);
        }
        return target;
    }

    /**
     * A server-given file name made safe to write in a directory: only its last path segment
     * (a slash or a backslash separates), trimmed; null, so that the caller asks for a name,
     * when the name holds a control character, a bidirectional formatting character or {@code ':'}
     * anywhere (a terminal escape, a name that reads as another, a Windows drive or stream), or
     * when what is left is empty or starts with {@code '.'} ({@code .}, {@code ..}, and hidden files
     * such as {@code .bash_profile} a server could otherwise plant in a home directory), is a
     * Windows device name ({@code CON}, {@code NUL.jsonl}, {@code COM1}...: on Windows, writing
     * it writes to the device, so it is refused everywhere, for one behaviour on every system), or
     * is no path on this system.
     */
    static String localName(String filename) {
        if (filename == null || filename.indexOf(':') >= 0 || filename.chars().anyMatch(TerminalText::isUnprintable)) {
            return null;
        }
        String name = filename.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).trim();
        if (name.isEmpty()
                || name.startsWith(".")
                || WINDOWS_DEVICE.matcher(name).matches()) {
            return null;
        }
        try {
            Paths.get(name);
        } catch (InvalidPathException e) {
            return null;
        }
        return name;
    }

    /** Writes a file's content to an {@link OutputStream}; what it returns, {@link #writeWhole} returns. */
    interface Content<T> {
        T writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} whole or not at all: the content goes to a temporary file beside it,
     * moved onto it (replacing what is there) only once complete, and deleted if writing fails.
     *
     * @param shown the path as a failure's message shows it
     * @return what {@code content} returned
     * @throws LocalFileException if the file can't be written
     */
    static <T> T writeWhole(Path target, String shown, Content<T> content) {
        Path part;
        try {
            Path absolute = target.toAbsolutePath();
            part = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".part");
        } catch (IOException e) {
            throw new LocalFileException(
                    LocalFileException.Operation.CREATE, Paths.get(shown), "a temporary file beside", e);
        }
        try {
            T written;
            try (OutputStream out = Files.newOutputStream(part)) {
                written = content.writeTo(out);
            }
            try {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return written;
        } catch (IOException e) {
            throw new LocalFileException(LocalFileException.Operation.WRITE, Paths.get(shown), "the file", e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // nothing more to do: the target was never touched
            }
        }
    }
}
