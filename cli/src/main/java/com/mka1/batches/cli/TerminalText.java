package com.mka1.batches.cli;

import java.util.Locale;

/** Text from the server (names, ids, metadata, messages) made safe to show on a terminal. */
final class TerminalText {
    private TerminalText() {}

    /**
     * A control character (a terminal escape, a line break) or a bidirectional formatting
     * character (U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069: they reorder what a terminal
     * shows, so that one name reads as another).
     */
    static boolean isUnprintable(int c) {
        return Character.isISOControl(c)
                || c == 0x200E
                || c == 0x200F
                || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069);
    }

    /**
     * Server-given text (a name, an id, metadata) as the terminal may show it: each control or
     * bidirectional formatting character written as a backslash, {@code u} and its four hex
     * digits, instead of reaching the terminal.
     */
    static String printable(String text) {
        StringBuilder shown = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isUnprintable(c)) {
                shown.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                shown.append(c);
            }
        }
        return shown.toString();
    }
}
