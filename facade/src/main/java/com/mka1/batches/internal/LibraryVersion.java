package com.mka1.batches.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The library's version, from the build, and the {@code User-Agent} naming it. Here, not in the
 * client, so that what records the version (the run's manifest) need not depend on the client.
 */
public final class LibraryVersion {
    /** The version, or {@code unknown} when the build's properties are missing. */
    public static final String VERSION = read();

    private LibraryVersion() {}

    /** @return the {@code User-Agent} of every request: this library, its version, and Java's */
    public static String userAgent() {
        return "mka1-batches-java/" + VERSION + " (Java " + System.getProperty("java.version") + ")";
    }

    private static String read() {
        Properties properties = new Properties();
        try (InputStream in = LibraryVersion.class.getResourceAsStream("/com/mka1/batches/mka1-batches.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException ignored) {
            // fall through to "unknown"
        }
        return properties.getProperty("version", "unknown");
    }
}
