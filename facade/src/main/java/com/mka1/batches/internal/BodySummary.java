package com.mka1.batches.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A short, sanitised view of an error body that carries no message, for an exception's message.
 * Depends on nothing of ours, so that the exceptions can use it while {@link Responses}, which
 * makes the exceptions, does not sit in a cycle with them.
 */
public final class BodySummary {
    /** How much of a body without a message an exception's message shows. */
    private static final int MAX_SUMMARY = 120;

    private static final Pattern TITLE =
            Pattern.compile("<title[^>]*>(.*?)</title>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern SCRIPT_OR_STYLE =
            Pattern.compile("<(script|style)[^>]*>.*?</\\1>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    /** A tag holds no {@code <}: so each {@code <} is tried up to the next one only, and a body of them stays linear. */
    private static final Pattern TAG = Pattern.compile("<[^<>]*>");
    /**
     * How much of a body {@link #of} looks at: its start is what a person reads (an HTML
     * title comes early), and the patterns above would take time growing with the square of a
     * body of many unclosed {@code <title>} or {@code <script>} openers.
     */
    private static final int MAX_SCANNED = 8 * 1024;

    private static final Pattern CREDENTIAL = Pattern.compile("(?i)(bearer\\s+|sk-)[^\\s\"'<>]+");

    private BodySummary() {}

    /**
     * A short, sanitised view of a body that carries no message, for an exception's message:
     * {@code (text/html): 502 Bad Gateway}. HTML shows its title (else its text without tags),
     * whitespace is collapsed, control characters and anything like a credential are removed, and
     * the text is cut to {@value #MAX_SUMMARY} characters. Only the body's first
     * {@value #MAX_SCANNED} characters are looked at.
     *
     * @param contentType the response's {@code Content-Type}, or {@code null}
     * @param body the body, not blank
     * @return the summary
     */
    public static String of(String contentType, String body) {
        String text = body.length() > MAX_SCANNED ? body.substring(0, MAX_SCANNED) : body;
        if (text.indexOf('<') >= 0) {
            Matcher title = TITLE.matcher(text);
            text = title.find()
                    ? title.group(1)
                    : TAG.matcher(SCRIPT_OR_STYLE.matcher(text).replaceAll(" ")).replaceAll(" ");
        }
        text = CREDENTIAL.matcher(text).replaceAll("$1[redacted]");
        StringBuilder clean = new StringBuilder();
        boolean space = false;
        for (int i = 0; i < text.length() && clean.length() <= MAX_SUMMARY; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                space = clean.length() > 0;
                continue;
            }
            if (space) {
                clean.append(' ');
                space = false;
            }
            clean.append(c);
        }
        String shown = clean.length() > MAX_SUMMARY ? clean.substring(0, MAX_SUMMARY) + "…" : clean.toString();
        String type = contentType == null ? "no content type" : contentType.split(";", 2)[0].trim();
        return "(" + type + "): " + (shown.isEmpty() ? "a body without text" : shown);
    }
}
