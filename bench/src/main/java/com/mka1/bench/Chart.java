package com.mka1.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The SVG chart of a run: one panel per measure, a bar per contestant scaled to the panel's largest value. */
final class Chart {
    static final String GREY = "#9e9e9e";
    static final String BLUE = "#1f77b4";
    static final String LIGHT_BLUE = "#6baed6";
    static final String ORANGE = "#ff7f0e";

    private Chart() {}

    /** One measure: its title and its bars. A bar without a value (the contestant failed) is drawn as a note. */
    static final class Panel {
        final String title;
        final List<String> labels = new ArrayList<>();
        final List<Double> values = new ArrayList<>();
        final List<String> colors = new ArrayList<>();

        Panel(String title) {
            this.title = title;
        }

        /** @param value the bar's value, or null when there is none */
        Panel bar(String label, Double value, String color) {
            labels.add(label);
            values.add(value);
            colors.add(color);
            return this;
        }
    }

    /** @return the color of a contestant's bars */
    static String color(String contestant) {
        switch (contestant) {
            case "raw":
                return GREY;
            case "facade":
                return BLUE;
            case "openai-java":
                return ORANGE;
            default:
                return LIGHT_BLUE;
        }
    }

    static String svg(String title, List<Panel> panels) {
        int width = 760;
        int labelWidth = 130;
        int barMax = width - labelWidth - 110;
        StringBuilder body = new StringBuilder();
        int y = 40;
        for (Panel panel : panels) {
            double max = panel.values.stream()
                    .filter(v -> v != null)
                    .mapToDouble(Double::doubleValue)
                    .max()
                    .orElse(1);
            body.append("<text x=\"10\" y=\"")
                    .append(y + 16)
                    .append("\" font-weight=\"bold\">")
                    .append(escape(panel.title))
                    .append("</text>\n");
            for (int row = 0; row < panel.labels.size(); row++) {
                Double value = panel.values.get(row);
                int barY = y + 26 + row * 26;
                body.append("<text x=\"10\" y=\"")
                        .append(barY + 15)
                        .append("\">")
                        .append(escape(panel.labels.get(row)))
                        .append("</text>\n");
                if (value == null) {
                    body.append("<text x=\"")
                            .append(labelWidth)
                            .append("\" y=\"")
                            .append(barY + 15)
                            .append("\" font-style=\"italic\">failed or not run</text>\n");
                    continue;
                }
                int barWidth = (int) Math.max(1, Math.round(barMax * value / max));
                body.append("<rect x=\"")
                        .append(labelWidth)
                        .append("\" y=\"")
                        .append(barY)
                        .append("\" width=\"")
                        .append(barWidth)
                        .append("\" height=\"20\" fill=\"")
                        .append(panel.colors.get(row))
                        .append("\"/>\n");
                body.append("<text x=\"")
                        .append(labelWidth + barWidth + 6)
                        .append("\" y=\"")
                        .append(barY + 15)
                        .append("\">")
                        .append(escape(format(value)))
                        .append("</text>\n");
            }
            y += 34 + panel.labels.size() * 26;
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + y
                + "\" font-family=\"sans-serif\" font-size=\"13\">\n"
                + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
                + "<text x=\"10\" y=\"24\" font-size=\"16\" font-weight=\"bold\">" + escape(title) + "</text>\n"
                + body + "</svg>\n";
    }

    /** @return a figure with three significant digits or so, thousands separated */
    static String format(double value) {
        double magnitude = Math.abs(value);
        if (magnitude >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f" : "%.2f", value);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
