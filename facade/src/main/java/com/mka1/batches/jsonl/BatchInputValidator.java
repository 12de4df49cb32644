package com.mka1.batches.jsonl;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.mka1.batches.internal.Checks;
import com.mka1.batches.jsonl.ValidationReport.Kind;
import com.mka1.batches.jsonl.ValidationReport.Problem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks an existing batch input file before it is uploaded, reporting every problem with its
 * line number rather than stopping at the first.
 *
 * <pre>{@code
 * ValidationReport report = BatchInputValidator.validate(Paths.get("input.jsonl"), "/v1/chat/completions");
 * if (!report.isValid()) {
 *     throw new IllegalStateException(report.toString());
 * }
 * }</pre>
 *
 * <p>Rules, from the Batch API's documentation: each line is one JSON object with a
 * {@code custom_id} string unique in the file, {@code method} {@code "POST"}, a {@code url}
 * equal to the batch's endpoint (the same on every line) and an object {@code body}. The file is
 * strict JSONL: an empty or blank line is an error ({@link ValidationReport.Kind#BLANK_LINE}),
 * except that the file may (and normally does) end with one line terminator. {@code \n} and
 * {@code \r\n} are both accepted. Members beyond these four are left to the server. Streams the
 * file; keeps only the custom ids in memory.
 */
public final class BatchInputValidator {
    private BatchInputValidator() {
    }

    /**
     * @param file a UTF-8 JSONL file; every line must target the first line's url
     * @return the report
     * @throws UncheckedIOException if the file cannot be read
     */
    public static ValidationReport validate(Path file) {
        return validate(file, null);
    }

    /**
     * @param file a UTF-8 JSONL file
     * @param expectedEndpoint the url every line must have, e.g. {@code /v1/embeddings}; {@code
     *     null} for the first line's
     * @return the report
     * @throws UncheckedIOException if the file cannot be read
     */
    public static ValidationReport validate(Path file, String expectedEndpoint) {
        Objects.requireNonNull(file, "file == null");
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return validate(reader, expectedEndpoint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param reader the JSONL content, read to its end and not closed
     * @return the report
     */
    public static ValidationReport validate(Reader reader) {
        return validate(reader, null);
    }

    /**
     * @param reader the JSONL content, read to its end and not closed
     * @param expectedEndpoint the url every line must have; {@code null} for the first line's
     * @return the report
     */
    public static ValidationReport validate(Reader reader, String expectedEndpoint) {
        Objects.requireNonNull(reader, "reader == null");
        if (expectedEndpoint != null) {
            Checks.notBlank(expectedEndpoint, "expectedEndpoint");
        }
        return new Run(expectedEndpoint).read(reader instanceof BufferedReader
                ? (BufferedReader) reader : new BufferedReader(reader));
    }

    /** The state of one validation: the problems so far, the ids seen, the file's endpoint. */
    private static final class Run {
        private final List<Problem> problems = new ArrayList<>();
        private final Map<String, Long> firstLineOfId = new HashMap<>();
        private final boolean endpointExpected;
        private String endpoint;
        private long endpointLine;

        Run(String expectedEndpoint) {
            this.endpoint = expectedEndpoint;
            this.endpointExpected = expectedEndpoint != null;
        }

        ValidationReport read(BufferedReader reader) {
            long lineNumber = 0;
            for (String line = JsonLines.nextLine(reader); line != null; line = JsonLines.nextLine(reader)) {
                lineNumber++;
                check(lineNumber, line);
            }
            if (lineNumber == 0) {
                problems.add(new Problem(0, Kind.NO_REQUESTS, "the file is empty: a batch needs at least one request"));
            }
            return new ValidationReport(problems, lineNumber, endpoint);
        }

        private void check(long n, String line) {
            if (line.trim().isEmpty()) {
                problem(n, Kind.BLANK_LINE, "blank line: JSONL allows none (only a final line terminator)");
                return;
            }
            JsonElement element;
            try {
                element = JsonLines.parse(line);
            } catch (JsonLines.BadJson e) {
                problem(n, Kind.INVALID_JSON, "not valid JSON: " + e.getMessage());
                return;
            }
            if (!element.isJsonObject()) {
                problem(n, Kind.NOT_AN_OBJECT, "a request line must be a JSON object, was " + abbreviate(element));
                return;
            }
            JsonObject request = element.getAsJsonObject();
            checkCustomId(n, request.get("custom_id"));
            checkMethod(n, request.get("method"));
            checkUrl(n, request.get("url"));
            JsonElement body = request.get("body");
            if (body == null || !body.isJsonObject()) {
                problem(n, Kind.INVALID_BODY, body == null ? "\"body\" is missing"
                        : "\"body\" must be an object, was " + abbreviate(body));
            }
        }

        private void checkCustomId(long n, JsonElement id) {
            if (id == null || id.isJsonNull()) {
                problem(n, Kind.MISSING_CUSTOM_ID, "\"custom_id\" is missing");
            } else if (!isString(id)) {
                problem(n, Kind.INVALID_CUSTOM_ID, "\"custom_id\" must be a string, was " + abbreviate(id));
            } else if (id.getAsString().trim().isEmpty()) {
                problem(n, Kind.MISSING_CUSTOM_ID, "\"custom_id\" is blank");
            } else {
                Long first = firstLineOfId.putIfAbsent(id.getAsString(), n);
                if (first != null) {
                    problem(n, Kind.DUPLICATE_CUSTOM_ID, "custom_id \"" + id.getAsString()
                            + "\" was already used on line " + first);
                }
            }
        }

        private void checkMethod(long n, JsonElement method) {
            if (method == null || !isString(method) || !method.getAsString().equals(BatchInputLine.METHOD)) {
                problem(n, Kind.INVALID_METHOD, "\"method\" must be \"POST\", was "
                        + (method == null ? "missing" : abbreviate(method)));
            }
        }

        private void checkUrl(long n, JsonElement url) {
            if (url == null || !isString(url) || url.getAsString().trim().isEmpty()) {
                problem(n, Kind.INVALID_URL, "\"url\" must be the endpoint path, was "
                        + (url == null ? "missing" : abbreviate(url)));
            } else if (endpoint == null) {
                endpoint = url.getAsString();
                endpointLine = n;
            } else if (!endpoint.equals(url.getAsString())) {
                problem(n, Kind.URL_MISMATCH, "\"url\" is " + url.getAsString() + " but "
                        + (endpointExpected ? "the expected endpoint is " + endpoint
                                : "line " + endpointLine + " has " + endpoint + ": a batch file holds one endpoint"));
            }
        }

        private void problem(long n, Kind kind, String message) {
            problems.add(new Problem(n, kind, message));
        }

        private static boolean isString(JsonElement e) {
            return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
        }

        private static String abbreviate(JsonElement e) {
            String s = e.toString();
            return s.length() <= 60 ? s : s.substring(0, 60) + "…";
        }
    }
}
