package com.mka1.batches.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.mka1.batches.BatchStatuses;
import com.mka1.batches.models.BatchError;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.RequestCounts;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Prints batches on stdout as an aligned table or as the API's JSON. */
final class BatchPrinter {
    static final Gson GSON = new GsonBuilder()
            .setPrettyPrinting()
            .serializeNulls()
            .disableHtmlEscaping()
            .create();

    private static final String[] HEADER = {"ID", "STATUS", "ENDPOINT", "CREATED", "COUNTS"};

    private final PrintWriter out;
    private final OutputFormat format;

    BatchPrinter(PrintWriter out, OutputFormat format) {
        this.out = out;
        this.format = format;
    }

    /**
     * One batch: the batch object as JSON, or a one-row table followed by its files (once it has
     * some, or has ended: {@code output_file_id}, {@code error_file_id}, {@code none} for a file
     * it has not got) and, for a batch that has them, its {@code errors}, one line each.
     */
    void print(BatchObject batch) {
        if (format == OutputFormat.JSON) {
            printJson(batch);
            return;
        }
        printTable(Collections.singletonList(batch));
        boolean ended = batch.getStatus() != null && BatchStatuses.isTerminal(batch.getStatus());
        if (ended || batch.getOutputFileId() != null || batch.getErrorFileId() != null) {
            out.println("output_file_id: " + TerminalText.printable(orNone(batch.getOutputFileId())));
            out.println("error_file_id:  " + TerminalText.printable(orNone(batch.getErrorFileId())));
        }
        List<BatchError> errors = batch.getErrors() == null || batch.getErrors().getData() == null
                ? Collections.emptyList()
                : batch.getErrors().getData();
        if (!errors.isEmpty()) {
            out.println("errors:");
            for (BatchError error : errors) {
                out.println("  " + describe(error));
            }
        }
        out.flush();
    }

    /**
     * Several batches: a table, or {@code jsonModel} as JSON (a list page, or an array for
     * {@code list --all}).
     */
    void print(List<BatchObject> batches, Object jsonModel) {
        if (format == OutputFormat.JSON) {
            printJson(jsonModel);
        } else {
            printTable(batches);
        }
    }

    private void printJson(Object model) {
        out.println(GSON.toJson(model));
        out.flush();
    }

    private void printTable(List<BatchObject> batches) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (BatchObject b : batches) {
            rows.add(new String[] {
                b.getId(),
                b.getStatus() == null ? "" : b.getStatus().getValue(),
                b.getEndpoint() == null ? "" : b.getEndpoint(),
                b.getCreatedAt() == null
                        ? ""
                        : Instant.ofEpochSecond(b.getCreatedAt()).toString(),
                counts(b.getRequestCounts()),
            });
        }
        TextTable.print(out, rows);
        if (batches.isEmpty()) {
            out.println("(no batches)");
        }
        out.flush();
    }

    /**
     * E.g. {@code line 2: invalid_json_line: Line 2 is not valid JSON}; the line only when the
     * error has one; one line, {@linkplain TerminalText#printable printable}.
     */
    static String describe(BatchError error) {
        return TerminalText.printable((error.getLine() == null ? "" : "line " + error.getLine() + ": ")
                + (error.getCode() == null ? "error" : error.getCode())
                + (error.getMessage() == null ? "" : ": " + error.getMessage().replaceAll("\\s*\\R\\s*", " ")));
    }

    private static String orNone(String fileId) {
        return fileId == null ? "none" : fileId;
    }

    /** E.g. {@code 2/3 ok, 1 failed}: completed and failed requests out of the total. */
    static String counts(RequestCounts counts) {
        if (counts == null) {
            return "";
        }
        return counts.getCompleted() + "/" + counts.getTotal() + " ok, " + counts.getFailed() + " failed";
    }
}
