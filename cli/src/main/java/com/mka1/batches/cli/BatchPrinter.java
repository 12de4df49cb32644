package com.mka1.batches.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.RequestCounts;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Prints batches on stdout as an aligned table or as the API's JSON. */
final class BatchPrinter {
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();

    private static final String[] HEADER = {"ID", "STATUS", "ENDPOINT", "CREATED", "COUNTS"};

    private final PrintWriter out;
    private final OutputFormat format;

    BatchPrinter(PrintWriter out, OutputFormat format) {
        this.out = out;
        this.format = format;
    }

    /** One batch: a one-row table, or the batch object as JSON. */
    void print(BatchObject batch) {
        if (format == OutputFormat.JSON) {
            printJson(batch);
        } else {
            printTable(Collections.singletonList(batch));
        }
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
                b.getEndpoint() == null ? "" : b.getEndpoint().getValue(),
                b.getCreatedAt() == null ? "" : Instant.ofEpochSecond(b.getCreatedAt()).toString(),
                counts(b.getRequestCounts()),
            });
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line);
        }
        if (batches.isEmpty()) {
            out.println("(no batches)");
        }
        out.flush();
    }

    /** E.g. {@code 2/3 ok, 1 failed}: completed and failed requests out of the total. */
    static String counts(RequestCounts counts) {
        if (counts == null) {
            return "";
        }
        return counts.getCompleted() + "/" + counts.getTotal() + " ok, " + counts.getFailed() + " failed";
    }
}
