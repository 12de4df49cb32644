package com.mka1.batches.jsonl;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.mka1.batches.errors.LocalFileException;
import com.mka1.batches.internal.Checks;
import com.mka1.batches.internal.CustomIdSet;
import com.mka1.batches.internal.JsonlText;
import com.mka1.batches.jsonl.ValidationReport.Problem;
import com.mka1.batches.jsonl.ValidationReport.ProblemKind;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
 * strict JSONL: an empty or blank line is an error ({@link ValidationReport.ProblemKind#BLANK_LINE}),
 * except that the file may (and normally does) end with one line terminator. {@code \n} and
 * {@code \r\n} are both accepted; a lone {@code \r} ends no line (the API's reading). The file
 * must be UTF-8: a line with bytes that are not is {@link ValidationReport.ProblemKind#INVALID_JSON}.
 * Members beyond these four are left to the server.
 *
 * <p>Memory: a file is streamed and its ids are not kept: repeats are found through a 64-bit
 * hash of each id (32 MB for a million lines), and lines whose hashes
 * match are read again to compare their ids exactly. A {@link Reader} can't be read again, so
 * validating one keeps its ids in memory.
 */
public final class BatchInputValidator {
    private BatchInputValidator() {}

    /**
     * @param file a UTF-8 JSONL file; every line must target the first line's url
     * @return the report
     * @throws LocalFileException if the file cannot be read ({@link LocalFileException.Operation#READ}, naming it)
     */
    public static ValidationReport validate(Path file) {
        return validate(file, null);
    }

    /**
     * @param file a UTF-8 JSONL file
     * @param expectedEndpoint the url every line must have, e.g. {@code /v1/embeddings}; {@code
     *     null} for the first line's
     * @return the report
     * @throws LocalFileException if the file cannot be read ({@link LocalFileException.Operation#READ}, naming it)
     */
    public static ValidationReport validate(Path file, @Nullable String expectedEndpoint) {
        Objects.requireNonNull(file, "file == null");
        if (expectedEndpoint != null) {
            Checks.notBlank(expectedEndpoint, "expectedEndpoint");
        }
        HashedIds ids = new HashedIds(file);
        try (Reader reader = JsonlText.markingMalformed(Files.newInputStream(file))) {
            return new Run(expectedEndpoint, ids).read(new JsonlText.Lines(reader));
        } catch (IOException e) {
            throw unreadable(file, e);
        } catch (UncheckedIOException e) { // from reading a line
            throw unreadable(file, e.getCause());
        }
    }

    private static LocalFileException unreadable(Path file, IOException e) {
        return new LocalFileException(LocalFileException.Operation.READ, file, "the batch input file", e);
    }

    /**
     * @param reader the JSONL content, read to its end and not closed
     * @return the report
     * @throws UncheckedIOException if reading {@code reader} fails
     */
    public static ValidationReport validate(Reader reader) {
        return validate(reader, null);
    }

    /**
     * @param reader the JSONL content, read to its end and not closed
     * @param expectedEndpoint the url every line must have; {@code null} for the first line's
     * @return the report
     * @throws UncheckedIOException if reading {@code reader} fails
     */
    public static ValidationReport validate(Reader reader, @Nullable String expectedEndpoint) {
        Objects.requireNonNull(reader, "reader == null");
        if (expectedEndpoint != null) {
            Checks.notBlank(expectedEndpoint, "expectedEndpoint");
        }
        return new Run(expectedEndpoint, new ExactIds()).read(new JsonlText.Lines(reader));
    }

    /** How a validation finds repeated ids: as it goes, or once the file has been read. */
    private interface Ids {
        /** Records an id; reports a repeat at once if it can. */
        void add(String id, long line, List<Problem> problems);

        /** Reports the repeats found only at the end. */
        void finish(List<Problem> problems);
    }

    /** Every id in a map: for a reader, which can't be read twice. */
    private static final class ExactIds implements Ids {
        private final Map<String, Long> firstLineOfId = new HashMap<>();

        @Override
        public void add(String id, long line, List<Problem> problems) {
            Long first = firstLineOfId.putIfAbsent(id, line);
            if (first != null) {
                problems.add(duplicate(line, id, first));
            }
        }

        @Override
        public void finish(List<Problem> problems) {}
    }

    /** Hashes only, then the candidate lines of the file read again to compare ids exactly. */
    private static final class HashedIds implements Ids {
        private final Path file;
        private final CustomIdSet ids = new CustomIdSet();

        HashedIds(Path file) {
            this.file = file;
        }

        @Override
        public void add(String id, long line, List<Problem> problems) {
            ids.add(id, line);
        }

        @Override
        public void finish(List<Problem> problems) {
            if (!ids.hasCandidates()) {
                return;
            }
            Map<Long, String> idOfLine = idsOfLines(ids.candidateLines());
            for (CustomIdSet.Duplicate d : ids.duplicates(idOfLine::get)) {
                problems.add(duplicate(d.line, d.customId, d.firstLine));
            }
        }

        private Map<Long, String> idsOfLines(long[] wanted) {
            Map<Long, String> found = new HashMap<>();
            try (Reader reader = JsonlText.markingMalformed(Files.newInputStream(file))) {
                JsonlText.Lines lines = new JsonlText.Lines(reader);
                long lineNumber = 0;
                for (String line = JsonLines.nextLine(lines); line != null; line = JsonLines.nextLine(lines)) {
                    lineNumber++;
                    if (Arrays.binarySearch(wanted, lineNumber) >= 0) {
                        found.put(lineNumber, customIdOf(line, lineNumber));
                    }
                }
            } catch (IOException e) {
                throw unreadable(file, e);
            }
            if (found.size() != wanted.length) {
                throw new IllegalStateException(file + " changed while it was being validated");
            }
            return found;
        }

        private String customIdOf(String line, long lineNumber) {
            try {
                return JsonLines.parse(line).getAsJsonObject().get("custom_id").getAsString();
            } catch (JsonLines.BadJson | RuntimeException e) {
                throw new IllegalStateException(
                        file + " changed while it was being validated (line " + lineNumber + ")");
            }
        }
    }

    private static Problem duplicate(long line, String id, long firstLine) {
        return new Problem(
                line,
                ProblemKind.DUPLICATE_CUSTOM_ID,
                "custom_id \"" + id + "\" was already used on line " + firstLine);
    }

    /** The state of one validation: the problems so far, the ids seen, the file's endpoint. */
    private static final class Run {
        /** Line order, then the order a line's checks run in (custom_id, method, url, body). */
        private static final Comparator<Problem> LINE_ORDER =
                Comparator.comparingLong(Problem::lineNumber).thenComparing(Problem::kind);

        private final List<Problem> problems = new ArrayList<>();
        private final Ids ids;
        private final boolean endpointExpected;
        private String endpoint;
        private long endpointLine;

        Run(String expectedEndpoint, Ids ids) {
            this.endpoint = expectedEndpoint;
            this.endpointExpected = expectedEndpoint != null;
            this.ids = ids;
        }

        ValidationReport read(JsonlText.Lines lines) {
            long lineNumber = 0;
            for (String line = JsonLines.nextLine(lines); line != null; line = JsonLines.nextLine(lines)) {
                lineNumber++;
                check(lineNumber, line);
            }
            if (lineNumber == 0) {
                problems.add(new Problem(
                        0, ProblemKind.NO_REQUESTS, "the file is empty: a batch needs at least one request"));
            }
            ids.finish(problems);
            problems.sort(LINE_ORDER);
            return new ValidationReport(problems, lineNumber, endpoint);
        }

        private void check(long n, String line) {
            if (line.trim().isEmpty()) {
                problem(n, ProblemKind.BLANK_LINE, "blank line: JSONL allows none (only a final line terminator)");
                return;
            }
            int notUtf8 = JsonlText.notUtf8(line);
            if (notUtf8 >= 0) {
                problem(n, ProblemKind.INVALID_JSON, "not valid JSON: not UTF-8 text at character " + (notUtf8 + 1));
                return;
            }
            JsonElement element;
            try {
                element = JsonLines.parse(line);
            } catch (JsonLines.BadJson e) {
                problem(n, ProblemKind.INVALID_JSON, "not valid JSON: " + e.getMessage());
                return;
            }
            if (!element.isJsonObject()) {
                problem(
                        n,
                        ProblemKind.NOT_AN_OBJECT,
                        "a request line must be a JSON object, was " + abbreviate(element));
                return;
            }
            JsonObject request = element.getAsJsonObject();
            checkCustomId(n, request.get("custom_id"));
            checkMethod(n, request.get("method"));
            checkUrl(n, request.get("url"));
            JsonElement body = request.get("body");
            if (body == null || !body.isJsonObject()) {
                problem(
                        n,
                        ProblemKind.INVALID_BODY,
                        body == null ? "\"body\" is missing" : "\"body\" must be an object, was " + abbreviate(body));
            }
        }

        private void checkCustomId(long n, JsonElement id) {
            if (id == null || id.isJsonNull()) {
                problem(n, ProblemKind.MISSING_CUSTOM_ID, "\"custom_id\" is missing");
            } else if (!isString(id)) {
                problem(n, ProblemKind.INVALID_CUSTOM_ID, "\"custom_id\" must be a string, was " + abbreviate(id));
            } else if (id.getAsString().trim().isEmpty()) {
                problem(n, ProblemKind.MISSING_CUSTOM_ID, "\"custom_id\" is blank");
            } else {
                ids.add(id.getAsString(), n, problems);
            }
        }

        private void checkMethod(long n, JsonElement method) {
            if (method == null || !isString(method) || !method.getAsString().equals(BatchInputLine.METHOD)) {
                problem(
                        n,
                        ProblemKind.INVALID_METHOD,
                        "\"method\" must be \"POST\", was " + (method == null ? "missing" : abbreviate(method)));
            }
        }

        private void checkUrl(long n, JsonElement url) {
            if (url == null || !isString(url) || url.getAsString().trim().isEmpty()) {
                problem(
                        n,
                        ProblemKind.INVALID_URL,
                        "\"url\" must be the endpoint path, was " + (url == null ? "missing" : abbreviate(url)));
            } else if (endpoint == null) {
                endpoint = url.getAsString();
                endpointLine = n;
            } else if (!endpoint.equals(url.getAsString())) {
                problem(
                        n,
                        ProblemKind.URL_MISMATCH,
                        "\"url\" is " + url.getAsString() + " but "
                                + (endpointExpected
                                        ? "the expected endpoint is " + endpoint
                                        : "line " + endpointLine + " has " + endpoint
                                                + ": a batch file holds one endpoint"));
            }
        }

        private void problem(long n, ProblemKind kind, String message) {
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
