package com.mka1.batches;

import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.internal.CallEngine;
import com.mka1.batches.internal.FileOperations;
import com.mka1.batches.internal.ServerIds;
import com.mka1.batches.jsonl.BatchResult;
import com.mka1.batches.jsonl.BatchResultsReader;
import com.mka1.batches.models.BatchObject;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The results of a finished batch, one {@link BatchResult} per line, streamed from the server:
 * its output file, then its error file (whichever exist), each read as iteration reaches it and
 * holding no more than a buffer and one line. From {@link BatchService#results(String)}.
 *
 * <pre>{@code
 * try (BatchResults results = client.llm().batches().results(batchId)) {
 *     for (BatchResult result : results) {
 *         if (result.isSuccess()) {
 *             ChatCompletion answer = result.bodyAs(ChatCompletion.class);
 *         } else {
 *             System.err.println(result.customId() + " failed: " + result.statusCode() + " " + result.errorMessage());
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>A cancelled or expired batch has the results of the requests that ran before it stopped;
 * the other requests have no line (to account for every input, compare with your input's
 * {@code custom_id}s, or use {@code batches().run(...)}). A line whose {@code response.status_code}
 * is 400 or more is a failure even when its {@code error} is {@code null}.
 *
 * <p>Iterable once; not thread-safe. Close it (try-with-resources, or close the
 * {@link #stream()}) to release the connection of a file not read to its end. A malformed line
 * throws {@link com.mka1.batches.errors.JsonlFormatException} with its line number in its file;
 * a broken connection throws {@link Mka1IoException} (a result file can be downloaded with
 * resume instead: {@link FileService#download}).
 */
public final class BatchResults implements Iterable<BatchResult>, AutoCloseable {
    private final CallEngine engine;
    private final BatchObject batch;
    private final RequestOptions options;
    private final Deque<String> files = new ArrayDeque<>();
    private FileContent open;
    private Iterator<BatchResult> lines;
    private String reading;
    private boolean iterated;
    private boolean closed;

    /** @param read the batch as read, its files not yet checked */
    BatchResults(CallEngine engine, RawResponse<BatchObject> read, RequestOptions options) {
        BatchObject batch = read.value();
        if (!BatchStatuses.isTerminal(batch.getStatus())) {
            throw new IllegalStateException(
                    "batch " + batch.getId() + " is " + batch.getStatus().getValue()
                            + ": its results can be read once it is completed, failed, expired or cancelled"
                            + " (waitForCompletion waits for that)");
        }
        this.engine = engine;
        this.batch = batch;
        this.options = options;
        // Checked before any file is read: a bad id is the server's answer, not the caller's argument.
        String output =
                ServerIds.optionalFileId(batch.getOutputFileId(), "the batch's output_file_id", read.statusCode());
        String errors =
                ServerIds.optionalFileId(batch.getErrorFileId(), "the batch's error_file_id", read.statusCode());
        if (output != null) {
            files.add(output);
        }
        if (errors != null) {
            files.add(errors);
        }
    }

    /** @return the batch as it was read when these results were opened */
    public BatchObject batch() {
        return batch;
    }

    /**
     * @return the results: the output file's lines, then the error file's, fetched as iteration advances
     * @throws IllegalStateException if called a second time, or after {@link #close()}
     */
    @Override
    public Iterator<BatchResult> iterator() {
        if (iterated || closed) {
            throw new IllegalStateException(
                    closed ? "these BatchResults are closed" : "BatchResults can be iterated only once");
        }
        iterated = true;
        return new Iterator<BatchResult>() {
            @Override
            public boolean hasNext() {
                while (lines == null || !nextLineExists()) {
                    closeOpenFile();
                    if (closed || files.isEmpty()) {
                        return false;
                    }
                    openNext();
                }
                return true;
            }

            @Override
            public BatchResult next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return lines.next();
            }
        };
    }

    /**
     * @return the results as a sequential, lazy stream; closing it closes these results
     * @throws IllegalStateException if these results were already iterated
     */
    public Stream<BatchResult> stream() {
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
                        false)
                .onClose(this::close);
    }

    /** Releases the file being read, if any; iteration ends. Idempotent. */
    @Override
    public void close() {
        closed = true;
        closeOpenFile();
    }

    private boolean nextLineExists() {
        try {
            return lines.hasNext();
        } catch (UncheckedIOException e) {
            throw new Mka1IoException(
                    "reading file " + reading + " of batch " + batch.getId() + " failed: " + e.getCause(),
                    e.getCause());
        }
    }

    private void openNext() {
        reading = files.poll();
        open = new FileContent(
                engine.execute(FileOperations.content(reading), options).value());
        lines = BatchResultsReader.from(open.inputStream()).iterator();
    }

    private void closeOpenFile() {
        if (open != null) {
            open.close();
            open = null;
            lines = null;
        }
    }

    @Override
    public String toString() {
        return "BatchResults{batch=" + batch.getId() + ", status="
                + batch.getStatus().getValue() + ", outputFileId=" + batch.getOutputFileId() + ", errorFileId="
                + batch.getErrorFileId() + '}';
    }
}
