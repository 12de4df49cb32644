package com.mka1.batches.jsonl;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link BatchInputValidator} found in a batch input file: every problem, each with its line
 * number.
 *
 * <pre>{@code
 * ValidationReport report = BatchInputValidator.validate(Paths.get("input.jsonl"));
 * if (!report.isValid()) {
 *     report.problems().forEach(p -> System.err.println(p));   // "line 7: DUPLICATE_CUSTOM_ID: ..."
 * }
 * }</pre>
 *
 * <p>Immutable.
 */
public final class ValidationReport {
    private final List<Problem> problems;
    private final long lineCount;
    private final String endpoint;

    /**
     * A report made outside {@link BatchInputValidator}, e.g. by a batch run that checks its
     * requests in code ({@code batches().run(...)}) with the same rules.
     *
     * @param problems every problem, in line order (copied)
     * @param lineCount how many lines (requests) were checked
     * @param endpoint the endpoint the lines must target, or {@code null}
     */
    public ValidationReport(List<Problem> problems, long lineCount, @Nullable String endpoint) {
        this.problems = List.copyOf(problems);
        this.lineCount = lineCount;
        this.endpoint = endpoint;
    }

    /** @return whether the file has no problem at all */
    public boolean isValid() {
        return problems.isEmpty();
    }

    /** @return every problem, in line order; empty if the file is valid */
    public List<Problem> problems() {
        return problems;
    }

    /** @return how many lines the file has (a final line terminator does not start a line) */
    public long lineCount() {
        return lineCount;
    }

    /**
     * @return the endpoint the lines must target: the expected one if given, else the first
     *     line's {@code url}; {@code null} if no line had one
     */
    public @Nullable String endpoint() {
        return endpoint;
    }

    @Override
    public String toString() {
        if (problems.isEmpty()) {
            return "ValidationReport{valid, " + lineCount + " lines, endpoint " + endpoint + "}";
        }
        StringBuilder s =
                new StringBuilder("ValidationReport{" + problems.size() + " problems in " + lineCount + " lines:");
        for (Problem problem : problems) {
            s.append("\n  ").append(problem);
        }
        return s.append("\n}").toString();
    }

    /**
     * One problem: where, what kind, and a message for people.
     *
     * <pre>{@code
     * Problem p = report.problems().get(0);
     * p.lineNumber();  // 3
     * p.kind();        // ProblemKind.INVALID_URL
     * }</pre>
     */
    public static final class Problem {
        private final long lineNumber;
        private final ProblemKind kind;
        private final String message;

        /**
         * @param lineNumber the 1-based line number, or 0 for a problem of the whole file
         * @param kind what kind of problem it is
         * @param message a description for people
         */
        public Problem(long lineNumber, ProblemKind kind, String message) {
            if (lineNumber < 0) {
                throw new IllegalArgumentException("lineNumber must not be negative, was " + lineNumber);
            }
            this.lineNumber = lineNumber;
            this.kind = Objects.requireNonNull(kind, "kind == null");
            this.message = Objects.requireNonNull(message, "message == null");
        }

        /** @return the 1-based line number, or 0 for a problem of the whole file ({@link ProblemKind#NO_REQUESTS}) */
        public long lineNumber() {
            return lineNumber;
        }

        /** @return what kind of problem it is */
        public ProblemKind kind() {
            return kind;
        }

        /** @return a description for people */
        public String message() {
            return message;
        }

        @Override
        public boolean equals(@Nullable Object o) {
            if (!(o instanceof Problem)) {
                return false;
            }
            Problem that = (Problem) o;
            return lineNumber == that.lineNumber && kind == that.kind && message.equals(that.message);
        }

        @Override
        public int hashCode() {
            return Objects.hash(lineNumber, kind, message);
        }

        @Override
        public String toString() {
            return (lineNumber == 0 ? "file" : "line " + lineNumber) + ": " + kind + ": " + message;
        }
    }

    /** The kinds of problem a batch input file can have. */
    public enum ProblemKind {
        /** An empty or whitespace-only line (a single line terminator at the end of the file is fine). */
        BLANK_LINE,
        /** The line is not one strict JSON value. */
        INVALID_JSON,
        /** The line is JSON but not an object. */
        NOT_AN_OBJECT,
        /** {@code custom_id} is absent, null or blank. */
        MISSING_CUSTOM_ID,
        /** {@code custom_id} is not a string. */
        INVALID_CUSTOM_ID,
        /** {@code custom_id} was already used on an earlier line. */
        DUPLICATE_CUSTOM_ID,
        /** {@code method} is absent or not {@code "POST"}. */
        INVALID_METHOD,
        /** {@code url} is absent, not a string or blank. */
        INVALID_URL,
        /** {@code url} differs from the expected endpoint or from the first line's. */
        URL_MISMATCH,
        /** {@code body} is absent or not an object. */
        INVALID_BODY,
        /** The file has no line at all. */
        NO_REQUESTS,
        /**
         * The line alone is larger than one batch's input may be (a batch run's
         * {@code maxBytesPerBatch}), so no batch can take it. The validator itself knows no size
         * limit and never reports it.
         */
        TOO_LARGE
    }
}
