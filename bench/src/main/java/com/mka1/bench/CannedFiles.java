package com.mka1.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The big bodies of the file benchmarks, generated from buffers built once, so that serving a
 * gigabyte costs the server a loop of {@code write}s and never holds the body:
 *
 * <ul>
 *   <li>the <b>download file</b> {@value #DOWNLOAD_ID} (and the upload source the contestants
 *       send): {@link #PATTERN}, 1 MiB of result lines, repeated; its byte at offset {@code x} is
 *       {@code PATTERN[x % 1 MiB]}, so any range of it can be written without the rest;</li>
 *   <li>the <b>results file</b> {@value #RESULTS_ID}, the output file of the canned batch: result
 *       lines numbered {@code request-0000001}, {@code request-0000002}, ..., in blocks of
 *       {@value #BLOCK} lines of a fixed length, one in each block a 400 (the line at index
 *       {@value #FAILING_INDEX} of the block). Each block is the template with its ids rewritten.</li>
 * </ul>
 */
public final class CannedFiles {
    /** The id of the file the download benchmarks fetch. */
    public static final String DOWNLOAD_ID = "file_download";
    /** The output file of the canned batch ({@link CannedBatches#getId()}), read by the results benchmark. */
    public static final String RESULTS_ID = "file_def456";
    /** The name the upload benchmarks give their file. */
    public static final String UPLOAD_NAME = "upload.jsonl";
    /** Lines per block of the results file. */
    static final int BLOCK = 1000;
    /** The index in each block of the one failed line (status 400). */
    static final int FAILING_INDEX = 499;
    /** The most lines the results file can have: its ids have 7 digits. */
    static final int MAX_LINES = 9_999_999;

    private static final int ID_DIGITS = 7;
    private static final String ID_PLACEHOLDER = "0000000";
    private static final int PATTERN_BYTES = 1 << 20;
    /** The repeated content of the download file and of the upload source: 1 MiB of result lines. */
    static final byte[] PATTERN = pattern();

    /** One block of {@value #BLOCK} result lines, ids zero. */
    private static final byte[] TEMPLATE;
    /** Where each line of {@link #TEMPLATE} starts; {@code BLOCK + 1} entries, the last its length. */
    private static final int[] LINE_STARTS = new int[BLOCK + 1];
    /** Offsets in {@link #TEMPLATE} of the digits of each line's two ids (its {@code id}, its {@code custom_id}). */
    private static final int[] ID_OFFSETS = new int[BLOCK * 2];

    static {
        StringBuilder block = new StringBuilder(BLOCK * 600);
        for (int i = 0; i < BLOCK; i++) {
            LINE_STARTS[i] = block.length();
            String line = line(ID_PLACEHOLDER, i == FAILING_INDEX);
            ID_OFFSETS[2 * i] = block.length() + line.indexOf(ID_PLACEHOLDER);
            ID_OFFSETS[2 * i + 1] = block.length() + line.indexOf(ID_PLACEHOLDER, line.indexOf("custom_id"));
            block.append(line).append('\n');
        }
        LINE_STARTS[BLOCK] = block.length();
        TEMPLATE = block.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private CannedFiles() {}

    /** One result line (without its newline): a chat completion, or a request the endpoint refused. */
    static String line(String id, boolean failed) {
        String response = failed
                ? "{\"status_code\":400,\"request_id\":\"req_" + id + "\",\"body\":{\"error\":{\"message\":"
                        + "\"Invalid 'messages': empty array. Expected an array with minimum length 1.\","
                        + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"empty_array\"}}}"
                : "{\"status_code\":200,\"request_id\":\"req_" + id + "\",\"body\":{\"id\":\"chatcmpl-" + id + "\","
                        + "\"object\":\"chat.completion\",\"created\":1704067260,\"model\":\"gpt-4o-mini-2024-07-18\","
                        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"The capital of"
                        + " France is Paris, on the Seine; it has been the capital since the tenth century.\","
                        + "\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":24,\"completion_tokens\":22,\"total_tokens\":46},"
                        + "\"system_fingerprint\":\"fp_44709d6fcb\"}}";
        return "{\"id\":\"batch_req_" + id + "\",\"custom_id\":\"request-" + id + "\",\"response\":" + response
                + ",\"error\":null}";
    }

    private static byte[] pattern() {
        byte[] pattern = new byte[PATTERN_BYTES];
        int filled = 0;
        for (int i = 0; filled < pattern.length; i++) {
            byte[] line = (line(String.format(Locale.ROOT, "%07d", i + 1), i % BLOCK == FAILING_INDEX) + "\n")
                    .getBytes(StandardCharsets.US_ASCII);
            int n = Math.min(line.length, pattern.length - filled);
            System.arraycopy(line, 0, pattern, filled, n);
            filled += n;
        }
        return pattern;
    }

    /** Writes bytes {@code [from, to)} of the download file, in writes of at most 1 MiB. */
    static void writeDownload(OutputStream out, long from, long to) throws IOException {
        long at = from;
        while (at < to) {
            int offset = (int) (at % PATTERN_BYTES);
            int n = (int) Math.min(PATTERN_BYTES - offset, to - at);
            out.write(PATTERN, offset, n);
            at += n;
        }
    }

    /** Writes a file of {@code bytes} of the pattern: the upload benchmarks' source. */
    static void writeUploadSource(Path file, long bytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            writeDownload(out, 0, bytes);
        }
    }

    /** @return the length of a results file of {@code lines} lines */
    static long resultsLength(int lines) {
        checkLines(lines);
        return (long) (lines / BLOCK) * TEMPLATE.length + LINE_STARTS[lines % BLOCK];
    }

    /** @return how many lines of a results file of {@code lines} lines have status 400 */
    public static long failedResults(int lines) {
        return (long) (lines / BLOCK) + (lines % BLOCK > FAILING_INDEX ? 1 : 0);
    }

    /** Writes a results file of {@code lines} lines, a block at a time, from one copy of the template. */
    static void writeResults(OutputStream out, int lines) throws IOException {
        checkLines(lines);
        byte[] block = TEMPLATE.clone();
        for (int first = 0; first < lines; first += BLOCK) {
            int count = Math.min(BLOCK, lines - first);
            for (int i = 0; i < count; i++) {
                int id = first + i + 1;
                putDigits(block, ID_OFFSETS[2 * i], id);
                putDigits(block, ID_OFFSETS[2 * i + 1], id);
            }
            out.write(block, 0, LINE_STARTS[count]);
        }
    }

    private static void putDigits(byte[] buffer, int offset, int value) {
        int v = value;
        for (int i = offset + ID_DIGITS - 1; i >= offset; i--) {
            buffer[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
    }

    private static void checkLines(int lines) {
        if (lines < 0 || lines > MAX_LINES) {
            throw new IllegalArgumentException("a results file has 0 to " + MAX_LINES + " lines, not " + lines);
        }
    }
}
