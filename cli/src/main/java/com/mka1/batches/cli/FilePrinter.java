package com.mka1.batches.cli;

import com.mka1.batches.models.FileObject;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Prints files on stdout as an aligned table or as the API's JSON. */
final class FilePrinter {
    private static final String[] HEADER = {"ID", "PURPOSE", "BYTES", "CREATED", "FILENAME"};

    private final PrintWriter out;
    private final OutputFormat format;

    FilePrinter(PrintWriter out, OutputFormat format) {
        this.out = out;
        this.format = format;
    }

    /** One file: a one-row table, or the file object as JSON. */
    void print(FileObject file) {
        print(Collections.singletonList(file), file);
    }

    /** Several files: a table, or {@code jsonModel} as JSON (a list page, or an array for {@code --all}). */
    void print(List<FileObject> files, Object jsonModel) {
        if (format == OutputFormat.JSON) {
            out.println(BatchPrinter.GSON.toJson(jsonModel));
            out.flush();
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (FileObject f : files) {
            rows.add(new String[] {
                f.getId(),
                f.getPurpose() == null ? "" : f.getPurpose().getValue(),
                f.getBytes() == null ? "" : String.valueOf(f.getBytes()),
                f.getCreatedAt() == null
                        ? ""
                        : Instant.ofEpochSecond(f.getCreatedAt()).toString(),
                f.getFilename() == null ? "" : f.getFilename(),
            });
        }
        TextTable.print(out, rows);
        if (files.isEmpty()) {
            out.println("(no files)");
        }
        out.flush();
    }

    /** Prints a model as JSON whatever the format: for output that has no table form. */
    void printJson(Object model) {
        out.println(BatchPrinter.GSON.toJson(model));
        out.flush();
    }
}
