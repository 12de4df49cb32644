package com.mka1.bench;

/**
 * One client stack under test, pointed at the canned server. Implementations read the id and the
 * status of every batch they return or walk, as a caller would.
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
                return (Contestant) Class.forName(className).getDeclaredConstructor(String.class).newInstance(rootUrl);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot open contestant " + id, e);
            }
        }
    }
}
