package com.mka1.batches.jsonl;

import com.google.gson.JsonObject;
import com.mka1.batches.errors.LocalFileException;
import com.mka1.batches.internal.Checks;
import com.mka1.batches.internal.Json;
import com.mka1.batches.models.BatchEndpoint;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a batch input file line by line, refusing what the API would refuse: a repeated
 * {@code custom_id} or a line for another endpoint than the file's.
 *
 * <pre>{@code
 * try (BatchInputWriter input = BatchInputWriter.create(Paths.get("input.jsonl"), BatchEndpoint.CHAT_COMPLETIONS)) {
 *     for (Question q : questions) {
 *         input.write(q.id(), Map.of("model", "meetkai:functionary-pt",
 *                 "messages", List.of(Map.of("role", "user", "content", q.text()))));
 *     }
 * }
 * }</pre>
 *
 * <p>Each line is written as it comes (UTF-8, compact JSON, ending in {@code \n}); only the
 * {@code custom_id}s are kept in memory, to check they are unique. {@link #close()} closes the
 * file or stream. Not thread-safe. A failure to create or write the file throws
 * {@link LocalFileException} naming it and the operation ({@code CREATE} or {@code WRITE}); a
 * failure of a stream given to {@link #to(OutputStream, String)} throws {@link UncheckedIOException}.
 */
public final class BatchInputWriter implements Closeable, Flushable {
    private final Writer out;
    /** The file written, {@code null} for a stream. */
    private final Path file;

    private final String endpoint;
    private final Set<String> customIds = new HashSet<>();
    private boolean closed;

    private BatchInputWriter(Writer out, Path file, String endpoint) {
        this.out = out;
        this.file = file;
        this.endpoint = endpoint;
    }

    /**
     * @param file the file to write, created or truncated
     * @param endpoint the endpoint of every line
     * @return the writer
     * @throws LocalFileException if the file cannot be created ({@link LocalFileException.Operation#CREATE})
     */
    public static BatchInputWriter create(Path file, BatchEndpoint endpoint) {
        return create(file, BatchInputLine.url(endpoint));
    }

    /**
     * @param file the file to write, created or truncated
     * @param endpoint the endpoint path of every line, such as {@code /v1/chat/completions}
     * @return the writer
     * @throws LocalFileException if the file cannot be created ({@link LocalFileException.Operation#CREATE})
     */
    public static BatchInputWriter create(Path file, String endpoint) {
        Objects.requireNonNull(file, "file == null");
        Checks.notBlank(endpoint, "endpoint");
        try {
            return new BatchInputWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), file, endpoint);
        } catch (IOException e) {
            throw new LocalFileException(LocalFileException.Operation.CREATE, file, "the batch input file", e);
        }
    }

    /**
     * @param out where to write; closed by {@link #close()}
     * @param endpoint the endpoint of every line
     * @return the writer
     */
    public static BatchInputWriter to(OutputStream out, BatchEndpoint endpoint) {
        return to(out, BatchInputLine.url(endpoint));
    }

    /**
     * @param out where to write; closed by {@link #close()}
     * @param endpoint the endpoint path of every line
     * @return the writer
     */
    public static BatchInputWriter to(OutputStream out, String endpoint) {
        Objects.requireNonNull(out, "out == null");
        Checks.notBlank(endpoint, "endpoint");
        return new BatchInputWriter(
                new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)), null, endpoint);
    }

    /**
     * Writes one line.
     *
     * @param line the request
     * @return this writer
     * @throws IllegalArgumentException if its custom id was already written or its url is not
     *     this file's endpoint
     * @throws IllegalStateException if the writer is closed
     * @throws LocalFileException if the file cannot be written ({@link LocalFileException.Operation#WRITE});
     *     {@link UncheckedIOException} for a stream
     */
    public BatchInputWriter write(BatchInputLine line) {
        Objects.requireNonNull(line, "line == null");
        if (closed) {
            throw new IllegalStateException("this BatchInputWriter is closed");
        }
        if (!line.url().equals(endpoint)) {
            throw new IllegalArgumentException("line '" + line.customId() + "' has url " + line.url()
                    + " but this file is for " + endpoint + ": a batch file holds one endpoint");
        }
        if (!customIds.add(line.customId())) {
            throw new IllegalArgumentException("custom_id '" + line.customId() + "' was already written:"
                    + " custom ids must be unique within a file");
        }
        try {
            Json.GSON.toJson(line.toJsonObject(), out);
            out.write('\n');
        } catch (IOException e) {
            throw writeFailed(e);
        }
        return this;
    }

    /**
     * Writes one line to this file's endpoint.
     *
     * @param customId the request's id, unique within the file
     * @param body the request body
     * @return the line written (keep it to join the results later)
     * @see #write(BatchInputLine)
     */
    public BatchInputLine write(String customId, JsonObject body) {
        BatchInputLine line = BatchInputLine.of(customId, endpoint, body);
        write(line);
        return line;
    }

    /**
     * Writes one line to this file's endpoint, the body given as a map.
     *
     * @param customId the request's id, unique within the file
     * @param body the request body
     * @return the line written
     * @see #write(BatchInputLine)
     */
    public BatchInputLine write(String customId, Map<String, ?> body) {
        BatchInputLine line = BatchInputLine.of(customId, endpoint, body);
        write(line);
        return line;
    }

    /** @return the endpoint of every line of this file */
    public String endpoint() {
        return endpoint;
    }

    /** @return how many lines were written */
    public int count() {
        return customIds.size();
    }

    /**
     * Flushes what was written to the file or stream.
     *
     * @throws LocalFileException if the file cannot be written; {@link UncheckedIOException} for a stream
     */
    @Override
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw writeFailed(e);
        }
    }

    /**
     * Flushes and closes the file or stream. Idempotent.
     *
     * @throws LocalFileException if the file cannot be written; {@link UncheckedIOException} for a stream
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw writeFailed(e);
        }
    }

    private RuntimeException writeFailed(IOException e) {
        return file == null
                ? new UncheckedIOException(e)
                : new LocalFileException(LocalFileException.Operation.WRITE, file, "the batch input file", e);
    }
}
