package com.mka1.batches.errors;

import org.jspecify.annotations.Nullable;

/**
 * A line of a batch JSONL file (input, output or error file) is not what the format says: not
 * JSON, not an object, or a field of the wrong type. {@link #lineNumber()} says which line.
 *
 * <pre>{@code
 * try (BatchResultsReader results = BatchResultsReader.open(outputFile)) {
 *     results.forEach(this::store);
 * } catch (JsonlFormatException e) {
 *     log.error("output file is broken at line {}", e.lineNumber(), e);
 * }
 * }</pre>
 */
public class JsonlFormatException extends Mka1Exception {
    private static final long serialVersionUID = 1L;

    private final long lineNumber;
    private final String problem;

    /**
     * @param lineNumber the 1-based number of the bad line
     * @param problem what is wrong with it
     * @param cause the parse failure, may be {@code null}
     */
    public JsonlFormatException(long lineNumber, String problem, @Nullable Throwable cause) {
        super("line " + lineNumber + ": " + problem, cause);
        this.lineNumber = lineNumber;
        this.problem = problem;
    }

    /** @return the 1-based number of the bad line */
    public long lineNumber() {
        return lineNumber;
    }

    /** @return what is wrong with the line: the message without its {@code "line N: "} */
    public String problem() {
        return problem;
    }
}
