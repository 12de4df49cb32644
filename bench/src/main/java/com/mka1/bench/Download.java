package com.mka1.bench;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The ways of saving a file the download benchmarks compare: each contestant's own way
 * ({@link Contestant#download}), plus the facade's stream read in a loop
 * ({@link Contestant#downloadThroughContent}).
 */
enum Download {
    RAW("raw", Contestant.Kind.RAW, false, "`body().source()` written to the file (Okio)"),
    FACADE("facade", Contestant.Kind.FACADE, false, "`files().download(id, path)`"),
    FACADE_CONTENT("facade-content", Contestant.Kind.FACADE, true, "`files().content(id)`, read loop to the file"),
    OPENAI_JAVA(
            "openai-java", Contestant.Kind.OPENAI_JAVA, false, "`files().content(id).body()`, read loop to the file");

    /** The name in benchmark parameters and reports. */
    final String id;
    /** Whose libraries it runs on. */
    final Contestant.Kind kind;
    /** What it calls, for the report. */
    final String how;

    private final boolean throughContent;

    Download(String id, Contestant.Kind kind, boolean throughContent, String how) {
        this.id = id;
        this.kind = kind;
        this.throughContent = throughContent;
        this.how = how;
    }

    /** @return the way named {@code id} */
    static Download of(String id) {
        for (Download way : values()) {
            if (way.id.equals(id)) {
                return way;
            }
        }
        throw new IllegalArgumentException("no download '" + id + "'");
    }

    /** @return the bytes written to {@code target} */
    long run(Contestant contestant, String fileId, Path target) throws IOException {
        return throughContent ? contestant.downloadThroughContent(fileId, target) : contestant.download(fileId, target);
    }
}
