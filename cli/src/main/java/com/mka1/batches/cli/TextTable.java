package com.mka1.batches.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows printed as aligned columns, two spaces apart; the last column is not padded. Every cell is
 * shown {@linkplain TerminalText#printable printable}: the cells hold what the server sent, which must
 * not drive the terminal.
 */
final class TextTable {
    private TextTable() {}

    /** Prints {@code rows} (the header first) to {@code out}. */
    static void print(PrintWriter out, List<String[]> cells) {
        List<String[]> rows = new ArrayList<>(cells.size());
        for (String[] row : cells) {
            String[] shown = new String[row.length];
            for (int i = 0; i < row.length; i++) {
                shown[i] = TerminalText.printable(row[i]);
            }
            rows.add(shown);
        }
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
