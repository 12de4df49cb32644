package com.mka1.batches.errors;

import com.mka1.batches.jsonl.ValidationReport;
import java.util.List;
import java.util.Objects;

/**
 * A batch run's requests broke the Batch API's input rules, found before anything was uploaded.
 * {@link #report()} holds every problem with its line number; the message lists the first few.
 *
 * <pre>{@code
 * try {
 *     client.llm().batches().run(params);
 * } catch (InvalidBatchInputException e) {
 *     e.report().problems().forEach(p -> System.err.println(p));   // "line 7: DUPLICATE_CUSTOM_ID: ..."
 * }
 * }</pre>
 *
 * <p>Line numbers are those of the input file, or, for requests given in code, the 1-based
 * position of the request (its line in the JSONL the run writes).
 */
public class InvalidBatchInputException extends Mka1Exception {
    private static final long serialVersionUID = 1L;
    /** How many problems the message lists; the report has them all. */
    static final int LISTED = 5;

    private final transient ValidationReport report;

    /** @param report the problems found; at least one */
    public InvalidBatchInputException(ValidationReport report) {
        super(message(report));
        this.report = report;
    }

    /** @return every problem, each with its line number (not serialized with the exception) */
    public ValidationReport report() {
        return report;
    }

    private static String message(ValidationReport report) {
        Objects.requireNonNull(report, "report == null");
        List<ValidationReport.Problem> problems = report.problems();
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("report has no problem");
        }
        StringBuilder s = new StringBuilder("The batch input has ")
                .append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems")
                .append(" in ")
                .append(report.lineCount())
                .append(report.lineCount() == 1 ? " line" : " lines")
                .append("; nothing was uploaded:");
        for (int i = 0; i < Math.min(LISTED, problems.size()); i++) {
            s.append("\n  ").append(problems.get(i));
        }
        if (problems.size() > LISTED) {
            s.append("\n  ... and ").append(problems.size() - LISTED).append(" more (see report())");
        }
        return s.toString();
    }
}
