package com.mka1.batches.cli;

import java.io.PrintWriter;
import java.util.List;

/** Rows printed as aligned columns, two spaces apart; the last column is not padded. */
final class TextTable {
    private TextTable() {
    }

    /** Prints {@code rows} (the header first) to {@code out}. */
    static void print(PrintWriter out, List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
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
    }
}
