package com.mka1.bench;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One client stack under test, pointed at the canned server. Implementations read the id and the
 * status of every batch they return or walk, and the {@code custom_id} and status of every result
 * line they read, as a caller would; file bodies go through a buffer, never held whole.
 */
public interface Contestant extends AutoCloseable {
    /** The API key every contestant sends. */
    String API_KEY = "bench-key";

    /**
     * @param batchId the batch to fetch
     * @return the parsed batch, in the contestant's own model
     */
    Object get(String batchId);

    /**
     * Walks every batch with the contestant's auto-pager, pages of {@value CannedBatches#PAGE_SIZE}.
     *
     * @return how many batches were seen
     */
    long walk();

    /**
     * Saves a file's content to {@code target} the library's way: raw writes the body's
     * {@code source()} to the file, the facade calls {@code files().download(id, path)}, openai-java
     * (which has no download) copies {@code files().content(id)} to the file.
     *
     * @param fileId the file
     * @param target the file to write, replaced if it exists
     * @return the bytes written
     * @throws IOException if the connection or the disk fails
     */
    long download(String fileId, Path target) throws IOException;

    /**
     * Saves a file's content by copying the library's stream of it to {@code target} in a read
     * loop ({@link ReadLoop}); only the facade has both ways, {@code files().content(id)} being its
     * second.
     *
     * @param fileId the file
     * @param target the file to write, replaced if it exists
     * @return the bytes written
     * @throws IOException if the connection or the disk fails
     */
    default long downloadThroughContent(String fileId, Path target) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has only one way to download");
    }

    /**
     * Uploads a file from disk, purpose {@code batch}, streamed.
     *
     * @param file the file
     * @return the size the server says it stored
     */
    long upload(Path file);

    /**
     * Reads the results of a finished batch: its output file, line by line, reading each line's
     * {@code custom_id} and status code.
     *
     * @param batchId the batch
     * @return the lines read
     */
    default long results(String batchId) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no way to read batch results");
    }

    /**
     * Reads the results as {@link #results} does, the output file's lines read by a Gson
     * {@code JsonReader} each over a reused buffer ({@link ResultsThroughJsonReader}) instead of
     * the library's own reader; only the facade has it, to measure that way on its stack.
     *
     * @param batchId the batch
     * @return the lines read
     */
    default long resultsThroughJsonReader(String batchId) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " reads results one way only");
    }

    @Override
    void close();

    /** The contestants, by the name used in benchmark parameters and reports. */
    enum Kind {
        RAW("raw", "com.mka1.bench.RawOkHttpGson"),
        FACADE("facade", "com.mka1.bench.FacadeClient"),
        OPENAI_JAVA("openai-java", "com.mka1.bench.OpenAiJavaClient");

        /** The name in benchmark parameters, classpath files and reports. */
        public final String id;

        private final String className;

        Kind(String id, String className) {
            this.id = id;
            this.className = className;
        }

        /** @return the kind named {@code id} */
        public static Kind of(String id) {
            for (Kind kind : values()) {
                if (kind.id.equals(id)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("no contestant '" + id + "'");
        }

        /**
         * Opens the contestant by reflection, so a JVM holding only this contestant's libraries
         * never has to load the classes of the others.
         *
         * @param rootUrl the server, {@code http://127.0.0.1:PORT}
         * @return the open contestant
         */
        public Contestant open(String rootUrl) {
            try {
                return Class.forName(className)
                        .asSubclass(Contestant.class)
                        .getDeclaredConstructor(String.class)
                        .newInstance(rootUrl);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot open contestant " + id, e);
            }
        }
    }
}
