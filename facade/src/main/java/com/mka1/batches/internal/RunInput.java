package com.mka1.batches.internal;

import com.google.gson.stream.JsonReader;
import com.mka1.batches.BatchRunParams;
import com.mka1.batches.errors.InvalidBatchInputException;
import com.mka1.batches.errors.LocalFileException;
import com.mka1.batches.jsonl.BatchInputLine;
import com.mka1.batches.jsonl.BatchInputValidator;
import com.mka1.batches.jsonl.ValidationReport;
import com.mka1.batches.jsonl.ValidationReport.Problem;
import com.mka1.batches.jsonl.ValidationReport.ProblemKind;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The first step of a batch run: checks every request and writes them into the work directory
 * as JSONL parts, each within the run's limits of requests and bytes, then writes the manifest.
 * Nothing is uploaded before this step has finished without a problem; with any problem, the
 * parts are removed and one {@link InvalidBatchInputException} reports them all.
 *
 * <p>Memory is bounded whatever the number of requests: lines are streamed, and repeated ids
 * are found with {@link CustomIdSet} (an input file through {@link BatchInputValidator}, which
 * uses it too).
 */
final class RunInput {
    /** How often (in lines) a long local step looks at the thread's interrupt flag. */
    static final int INTERRUPT_CHECK_MASK = 4095;

    private static final Comparator<Problem> LINE_ORDER =
            Comparator.comparingLong(Problem::lineNumber).thenComparing(Problem::kind);

    private RunInput() {}

    /** Validates and splits the requests into {@code dir}, and writes the manifest there. */
    static RunManifest prepare(BatchRunParams params, Path dir) {
        Parts parts = new Parts(dir, params.maxRequestsPerBatch(), params.maxBytesPerBatch(), 0, 1);
        boolean prepared = false;
        try {
            List<Problem> problems = new ArrayList<>();
            long lines = params.inputFile() != null
                    ? fromFile(params.inputFile(), params.endpoint(), parts, problems)
                    : fromRequests(params.requests(), params.endpoint(), parts, problems);
            parts.close();
            if (!problems.isEmpty()) {
                problems.sort(LINE_ORDER);
                throw new InvalidBatchInputException(new ValidationReport(problems, lines, params.endpoint()));
            }
            RunManifest manifest = new RunManifest();
            manifest.dir = dir;
            manifest.endpoint = params.endpoint();
            manifest.completionWindow = params.completionWindow();
            manifest.metadata = params.metadata() == null ? null : new LinkedHashMap<>(params.metadata());
            manifest.maxRequestsPerBatch = params.maxRequestsPerBatch();
            manifest.maxBytesPerBatch = params.maxBytesPerBatch();
            manifest.requests = lines;
            manifest.cancelOnAbort = params.cancelOnAbort();
            manifest.maxAttempts = params.maxAttempts();
            manifest.parts.addAll(parts.written);
            manifest.write();
            prepared = true;
            return manifest;
        } finally {
            if (!prepared) {
                parts.abandon();
            }
        }
    }

    /** An existing JSONL file: the validator's rules, then a second pass that splits it. */
    private static long fromFile(Path file, String endpoint, Parts parts, List<Problem> problems) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("inputFile " + file + " does not exist or is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("inputFile " + file + " is not readable");
        }
        problems.addAll(BatchInputValidator.validate(file, endpoint).problems());
        long n = 0;
        // The validator's lines, read as it reads them, so that line numbers agree.
        try (Reader reader = JsonlText.markingMalformed(Files.newInputStream(file))) {
            JsonlText.Lines lines = new JsonlText.Lines(reader);
            for (String line = lines.next(); line != null; line = lines.next()) {
                n++;
                checkInterrupt(n);
                parts.add(n, line, problems);
            }
        } catch (IOException e) {
            throw new LocalFileException(LocalFileException.Operation.READ, file, "the run's input file", e);
        }
        return n;
    }

    /** Requests given in code: each line's url, and ids unique across all of them. */
    private static long fromRequests(
            Iterable<BatchInputLine> requests, String endpoint, Parts parts, List<Problem> problems) {
        CustomIdSet ids = new CustomIdSet();
        long n = 0;
        for (BatchInputLine request : requests) {
            n++;
            checkInterrupt(n);
            if (request == null) {
                throw new NullPointerException("requests holds null at position " + n);
            }
            if (!request.url().equals(endpoint)) {
                problems.add(new Problem(
                        n,
                        ProblemKind.URL_MISMATCH,
                        "\"url\" is " + request.url() + " but the run's endpoint is " + endpoint));
            }
            ids.add(request.customId(), n);
            parts.add(n, request.toJson(), problems);
        }
        if (n == 0) {
            problems.add(new Problem(0, ProblemKind.NO_REQUESTS, "there are no requests: a batch needs at least one"));
        }
        parts.close();
        if (ids.hasCandidates()) {
            Map<Long, String> idOfLine = parts.customIds(ids.candidateLines());
            for (CustomIdSet.Duplicate d : ids.duplicates(idOfLine::get)) {
                problems.add(new Problem(
                        d.line,
                        ProblemKind.DUPLICATE_CUSTOM_ID,
                        "custom_id \"" + d.customId + "\" was already used on line " + d.firstLine));
            }
        }
        return n;
    }

    static void checkInterrupt(long n) {
        if ((n & INTERRUPT_CHECK_MASK) == 0 && Thread.currentThread().isInterrupted()) {
            throw CallEngine.interrupted("Interrupted while preparing the batch run's input", null);
        }
    }

    /** Writes lines into numbered part files of one round, starting a new part when the next line would not fit. */
    static final class Parts {
        final List<RunManifest.Part> written = new ArrayList<>();
        /** Lines too large to write, in order: the parts' line numbers skip them. */
        private final List<Long> skipped = new ArrayList<>();

        private final Path dir;
        private final int maxRequests;
        private final long maxBytes;
        /** How many parts the run has before these. */
        private final int partsBefore;

        private final int round;
        private OutputStream out;
        private MessageDigest digest;
        private RunManifest.Part current;

        Parts(Path dir, int maxRequests, long maxBytes, int partsBefore, int round) {
            this.dir = dir;
            this.maxRequests = maxRequests;
            this.maxBytes = maxBytes;
            this.partsBefore = partsBefore;
            this.round = round;
        }

        void add(long lineNumber, String line, List<Problem> problems) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            long size = bytes.length + 1L;
            if (size > maxBytes) {
                problems.add(new Problem(
                        lineNumber,
                        ProblemKind.TOO_LARGE,
                        "the request takes " + size + " bytes with its line terminator, more than maxBytesPerBatch ("
                                + maxBytes + ")"));
                skipped.add(lineNumber);
                return;
            }
            if (current == null || current.requests == maxRequests || current.bytes + size > maxBytes) {
                start(lineNumber);
            }
            try {
                out.write(bytes);
                out.write('\n');
            } catch (IOException e) {
                throw new LocalFileException(
                        LocalFileException.Operation.WRITE, dir.resolve(current.file), "the run's part", e);
            }
            digest.update(bytes);
            digest.update((byte) '\n');
            current.requests++;
            current.bytes += size;
        }

        private void start(long firstLine) {
            finishCurrent();
            current = new RunManifest.Part();
            current.number = partsBefore + written.size() + 1;
            current.round = round;
            current.file = WorkDir.partFile(current.number);
            current.firstLine = firstLine;
            written.add(current);
            try {
                out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(current.file)), 64 * 1024);
                digest = MessageDigest.getInstance("SHA-256");
            } catch (IOException e) {
                throw new LocalFileException(
                        LocalFileException.Operation.CREATE, dir.resolve(current.file), "the run's part", e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }

        private void finishCurrent() {
            if (out == null) {
                return;
            }
            try {
                out.close();
            } catch (IOException e) {
                throw new LocalFileException(
                        LocalFileException.Operation.WRITE, dir.resolve(current.file), "the run's part", e);
            }
            out = null;
            current.sha256 = hex(digest.digest());
        }

        void close() {
            finishCurrent();
        }

        /** Reads the ids of the given global line numbers back from the parts. */
        Map<Long, String> customIds(long[] wanted) {
            Map<Long, String> found = new HashMap<>();
            long n = 0;
            int skip = 0;
            for (RunManifest.Part part : written) {
                try (FileLines lines = FileLines.open(dir.resolve(part.file))) {
                    while (lines.next()) {
                        n++;
                        while (skip < skipped.size() && skipped.get(skip) == n) {
                            n++;
                            skip++;
                        }
                        if (Arrays.binarySearch(wanted, n) >= 0) {
                            found.put(n, customIdOf(lines.line()));
                        }
                    }
                }
            }
            return found;
        }

        void abandon() {
            try {
                if (out != null) {
                    out.close();
                }
                for (RunManifest.Part part : written) {
                    Files.deleteIfExists(dir.resolve(part.file));
                }
            } catch (IOException e) {
                // Best effort: the manifest was not written, so these files belong to no run.
            }
        }
    }

    /** The {@code custom_id} of a request line the run wrote (checked already), read without building the body. */
    static String customIdOf(String line) {
        try (JsonReader reader = new JsonReader(new StringReader(line))) {
            reader.beginObject();
            while (reader.hasNext()) {
                if (reader.nextName().equals("custom_id")) {
                    return reader.nextString();
                }
                reader.skipValue();
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("a line written by this run is not a request line: " + e.getMessage(), e);
        }
        throw new IllegalStateException("a line written by this run has no custom_id");
    }

    static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            s.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return s.toString();
    }
}
