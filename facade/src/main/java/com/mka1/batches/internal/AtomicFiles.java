package com.mka1.batches.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Puts a finished file in place so that a reader of the target sees the old file or the new one, never a part. */
final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Moves {@code from} onto {@code to}, replacing it: atomically where the file system can, else
     * with a plain replace (a file system that can't move atomically can't do better).
     */
    static void moveIntoPlace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
