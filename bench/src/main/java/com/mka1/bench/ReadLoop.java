package com.mka1.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The read loop a caller writes to save a stream to a file: one 64 KiB buffer, read, write, repeat. */
final class ReadLoop {
    private static final int BUFFER = 64 * 1024;

    private ReadLoop() {}

    /**
     * Copies {@code in} to {@code target} (replaced if it exists); does not close {@code in}.
     *
     * @return the bytes copied
     */
    static long toFile(InputStream in, Path target) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                total += n;
            }
        }
        return total;
    }
}
