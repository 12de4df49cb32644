package com.mka1.batches.internal;

import com.mka1.batches.errors.LocalFileException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The lines of a UTF-8 file with the byte offset where each starts, read in order
 * ({@link #next()}) or one at a given offset ({@link #lineAt(long)}), holding one line and a
 * buffer. A line ends at {@code \n}; a {@code \r} before it is dropped; the end of the file ends
 * the last line. Not thread-safe.
 */
final class FileLines implements Closeable {
    private static final int CHUNK = 64 * 1024;
    private static final int WINDOW = 32 * 1024;
    private static final int WINDOWS = 4;

    private final Path file;
    private final Opener opener;
    private InputStream in;
    private FileChannel channel;
    private final Window[] windows = new Window[WINDOWS];
    private long clock;
    /** Bytes read from the file but not yet handed out, from {@code pos} to {@code limit}. */
    private byte[] buffer = new byte[CHUNK];

    private int pos;
    private int limit;
    /** The file offset of {@code buffer[0]}. */
    private long bufferStart;

    private boolean eof;
    private long lineStart = -1;
    private String line;

    /** Opens the channel {@link #lineAt(long)} reads the file through. */
    interface Opener {
        FileChannel open(Path file) throws IOException;
    }

    private FileLines(Path file, Opener opener) {
        this.file = file;
        this.opener = opener;
        for (int i = 0; i < WINDOWS; i++) {
            windows[i] = new Window();
        }
    }

    /** @return the lines of {@code file}, for {@link #next()} from its start and {@link #lineAt(long)} */
    static FileLines open(Path file) {
        return open(file, f -> FileChannel.open(f, StandardOpenOption.READ));
    }

    /** As {@link #open(Path)}, reading by offset through the channel {@code opener} opens. */
    static FileLines open(Path file, Opener opener) {
        return new FileLines(file, opener);
    }

    /**
     * Reads the next line.
     *
     * @return whether there was one
     */
    boolean next() {
        try {
            if (in == null) {
                in = Files.newInputStream(file);
            }
            int scanned = pos;
            while (true) {
                for (int i = scanned; i < limit; i++) {
                    if (buffer[i] == '\n') {
                        take(i, i + 1);
                        return true;
                    }
                }
                scanned = limit - pos;
                if (eof) {
                    if (pos < limit) {
                        take(limit, limit);
                        return true;
                    }
                    line = null;
                    return false;
                }
                fill(); // moves the unread bytes to the front: pos is 0 again, scanned counts from it
            }
        } catch (IOException e) {
            throw new LocalFileException(LocalFileException.Operation.READ, file, "the run's file", e);
        }
    }

    /** @return the line {@link #next()} read, without its terminator */
    String line() {
        return line;
    }

    /** @return the byte offset where that line starts */
    long lineStart() {
        return lineStart;
    }

    /**
     * Reads the line that starts at {@code offset}, independently of {@link #next()}.
     *
     * @param offset a line's first byte
     * @return the line, without its terminator
     */
    String lineAt(long offset) {
        try {
            if (channel == null) {
                channel = opener.open(file);
            }
            Window window = windowAt(offset);
            int from = (int) (offset - window.start);
            for (int i = from; i < window.length; i++) {
                if (window.bytes[i] == '\n') {
                    return decode(window.bytes, from, i);
                }
            }
            return longLineAt(offset);
        } catch (IOException e) {
            throw new LocalFileException(LocalFileException.Operation.READ, file, "the run's file", e);
        }
    }

    /**
     * The window holding {@code offset}, read if none does. A few windows, reused least recently
     * first: results come nearly in order, but from two files and in any order within a region.
     */
    private Window windowAt(long offset) throws IOException {
        Window oldest = null;
        for (Window window : windows) {
            if (offset >= window.start
                    && offset < window.start + window.length
                    && (window.length < WINDOW || hasNewlineAfter(window, offset))) {
                window.used = ++clock;
                return window;
            }
            if (oldest == null || window.used < oldest.used) {
                oldest = window;
            }
        }
        oldest.start = offset;
        oldest.length = 0;
        ByteBuffer into = ByteBuffer.wrap(oldest.bytes);
        while (into.hasRemaining()) {
            int n = channel.read(into, offset + into.position());
            if (n < 0) {
                break;
            }
        }
        oldest.length = into.position();
        oldest.used = ++clock;
        return oldest;
    }

    private static boolean hasNewlineAfter(Window window, long offset) {
        for (int i = (int) (offset - window.start); i < window.length; i++) {
            if (window.bytes[i] == '\n') {
                return true;
            }
        }
        return false;
    }

    /** A line longer than a window: read on until its end. */
    private String longLineAt(long offset) throws IOException {
        byte[] bytes = new byte[WINDOW * 2];
        int length = 0;
        long at = offset;
        while (true) {
            if (length == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            ByteBuffer into = ByteBuffer.wrap(bytes, length, bytes.length - length);
            int n = channel.read(into, at);
            if (n < 0) {
                return decode(bytes, 0, length);
            }
            for (int i = length; i < length + n; i++) {
                if (bytes[i] == '\n') {
                    return decode(bytes, 0, i);
                }
            }
            length += n;
            at += n;
        }
    }

    /** Bytes of the file from {@code start}, for {@link #lineAt}. */
    private static final class Window {
        final byte[] bytes = new byte[WINDOW];
        long start;
        int length;
        long used;
    }

    private void take(int end, int next) {
        lineStart = bufferStart + pos;
        line = decode(buffer, pos, end);
        pos = next;
    }

    private static String decode(byte[] bytes, int from, int to) {
        int end = to > from && bytes[to - 1] == '\r' ? to - 1 : to;
        return new String(bytes, from, end - from, StandardCharsets.UTF_8);
    }

    /** Moves what is left to the front, grows the buffer if a line fills it, reads more. */
    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buffer, pos, buffer, 0, limit - pos);
            bufferStart += pos;
            limit -= pos;
            pos = 0;
        }
        if (limit == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    @Override
    public void close() {
        try {
            if (in != null) {
                in.close();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            throw new LocalFileException(LocalFileException.Operation.READ, file, "the run's file", e);
        }
    }
}
