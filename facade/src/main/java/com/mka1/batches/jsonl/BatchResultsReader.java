package com.mka1.batches.jsonl;

import com.mka1.batches.errors.LocalFileException;
import com.mka1.batches.internal.JsonlText;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads a batch output or error file as {@link BatchResult}s, lazily, one line at a time: a file
 * of any size needs the memory of one line.
 *
 * <pre>{@code
 * try (BatchResultsReader results = BatchResultsReader.open(Paths.get("output.jsonl"))) {
 *     for (BatchResult result : results) {
 *         System.out.println(result.customId() + " -> " + result.statusCode());
 *     }
 * }
 * // or as a stream, closed with it:
 * try (Stream<BatchResult> failed = BatchResultsReader.open(errorFile).stream().filter(r -> !r.isSuccess())) {
 *     failed.forEach(r -> retryLater(r.customId()));
 * }
 * }</pre>
 *
 * <p>Line format (the Batch API's): {@code {"id": ..., "custom_id": ..., "response":
 * {"status_code": 200, "request_id": ..., "body": {...}}, "error": null}}, a failed request with
 * {@code "response": null} and {@code "error": {"code": ..., "message": ...}}. A line ends at
 * {@code \n} or {@code \r\n}; blank lines are skipped. Bytes that are not UTF-8 read as U+FFFD,
 * from a path or a stream alike. A malformed line throws
 * {@link com.mka1.batches.errors.JsonlFormatException} with its line number when iteration reaches
 * it; a failure to read a file opened with {@link #open(Path)} throws {@link LocalFileException}
 * naming it ({@code READ}), of a reader or stream {@link UncheckedIOException}. Iterable once. Not
 * thread-safe.
 */
public final class BatchResultsReader implements Iterable<BatchResult>, Closeable {
    private final Reader reader;
    /** The file read, {@code null} for a reader or stream. */
    private final Path file;

    private final JsonlText.Lines lines;
    private boolean iterated;

    private BatchResultsReader(Reader reader, Path file) {
        this.reader = reader;
        this.file = file;
        this.lines = new JsonlText.Lines(reader);
    }

    /**
     * @param file a UTF-8 JSONL file
     * @return a reader of its results; close it
     * @throws LocalFileException if the file cannot be opened ({@link LocalFileException.Operation#READ})
     */
    public static BatchResultsReader open(Path file) {
        Objects.requireNonNull(file, "file == null");
        try {
            return new BatchResultsReader(JsonlText.lenient(Files.newInputStream(file)), file);
        } catch (IOException e) {
            throw readFailed(file, e);
        }
    }

    /**
     * @param reader the JSONL content; closed by {@link #close()}
     * @return a reader of its results
     */
    public static BatchResultsReader from(Reader reader) {
        return new BatchResultsReader(Objects.requireNonNull(reader, "reader == null"), null);
    }

    /**
     * @param in the JSONL content in UTF-8, such as a downloaded file's body; closed by {@link #close()}
     * @return a reader of its results
     */
    public static BatchResultsReader from(InputStream in) {
        Objects.requireNonNull(in, "in == null");
        return new BatchResultsReader(JsonlText.lenient(in), null);
    }

    /**
     * @param jsonl the whole JSONL content
     * @return a reader of its results
     */
    public static BatchResultsReader fromString(String jsonl) {
        return new BatchResultsReader(new StringReader(Objects.requireNonNull(jsonl, "jsonl == null")), null);
    }

    /**
     * @return the results, read as iteration advances
     * @throws IllegalStateException if called a second time
     */
    @Override
    public Iterator<BatchResult> iterator() {
        if (iterated) {
            throw new IllegalStateException("a BatchResultsReader can be iterated only once");
        }
        iterated = true;
        return new Iterator<BatchResult>() {
            private long lineNumber;
            private BatchResult next;

            @Override
            public boolean hasNext() {
                while (next == null) {
                    String line = nextLine();
                    if (line == null) {
                        return false;
                    }
                    lineNumber++;
                    if (!line.trim().isEmpty()) {
                        next = BatchResult.parse(line, lineNumber);
                    }
                }
                return true;
            }

            @Override
            public BatchResult next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                BatchResult result = next;
                next = null;
                return result;
            }
        };
    }

    /**
     * @return the results as a sequential, lazy stream; closing it closes this reader
     * @throws IllegalStateException if this reader was already iterated
     */
    public Stream<BatchResult> stream() {
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
                        false)
                .onClose(this::close);
    }

    private String nextLine() {
        try {
            return JsonLines.nextLine(lines);
        } catch (UncheckedIOException e) {
            if (file == null) {
                throw e;
            }
            throw readFailed(file, e.getCause());
        }
    }

    private static LocalFileException readFailed(Path file, IOException e) {
        return new LocalFileException(LocalFileException.Operation.READ, file, "the results file", e);
    }

    /** Closes the underlying file or stream. Idempotent. */
    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            if (file == null) {
                throw new UncheckedIOException(e);
            }
            throw readFailed(file, e);
        }
    }
}
