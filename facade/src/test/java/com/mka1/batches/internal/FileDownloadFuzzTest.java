package com.mka1.batches.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.mka1.batches.DocumentedFailures;
import com.mka1.batches.FakeResponses;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.errors.Mka1Exception;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import okhttp3.Headers;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes a download's resume logic ({@link FileDownload}: {@code Range} and {@code If-Range} on
 * each attempt after the first, {@code 206} with {@code Content-Range}, {@code 200} from a server
 * that ignores {@code Range} or whose file changed, {@code 416} past the end, a file that changes
 * between attempts) with a sequence of responses, each attempt going through the call as the
 * engine drives it: the attempt's request, whether the response is an answer, the reader.
 *
 * <p>An input is text, one line per attempt after a first line {@code file <size> [etag|modified]}
 * (the file on the server: {@code size} bytes of a pattern of its version; each answer gives the
 * version's {@code ETag}, its {@code Last-Modified}, or no validator). An attempt line that starts
 * with {@code new} is answered by the next version of the file (another pattern, the same size), or
 * with {@code longer} by one 3 bytes longer.
 * An attempt is {@code honest [cut]} (the server answers the {@code Range} asked for: 206, or 416
 * past the end, or 200 to the first attempt; or 200 with the whole file when {@code If-Range}
 * names another version), {@code careless [cut]} (as honest, but heedless of {@code If-Range}),
 * {@code ignore [cut]} (200 with the whole file and its {@code Content-Length}), {@code chunked
 * [cut]} (200, the whole file, no length), {@code star [cut]} (as honest, 206 with an unknown
 * total, {@code bytes N-M/*}), or anything at all: {@code raw
 * status|Content-Range|Content-Length|first byte|byte count|cut} (no validator). {@code cut} is
 * how many bytes arrive before the connection resets.
 *
 * <p>Property: an attempt ends with the bytes written, an {@link IOException} (the engine
 * retries it) or an {@link InvalidResponseException} (final); nothing else. When every answer was
 * honest (no {@code raw} line, and a validator for a file that changes) the target ends up holding
 * exactly the server's current file, one version whole, and no honest answer is refused. When the
 * download gives up, no temporary file is left behind.
 */
class FileDownloadFuzzTest {
    private static final int MAX_SIZE = 1 << 16;
    private static final int MAX_ATTEMPTS = 8;
    private static final Request REQUEST = new Request.Builder()
            .url("http://localhost/api/v1/llm/files/file-abc/content")
            .build();
    private static Path dir;

    @BeforeAll
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("download-fuzz");
    }

    @AfterAll
    static void deleteDirectory() throws IOException {
        Files.delete(dir);
    }

    @FuzzTest(maxDuration = "60s")
    void resume(byte[] input) throws Exception {
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\n");
        ServerFile file = lines.length == 0 ? null : ServerFile.parse(lines[0]);
        if (file == null) {
            return;
        }
        Path target = dir.resolve("out.bin");
        try {
            download(lines, file, target);
        } finally {
            // Whatever the outcome, the next input starts in an empty directory.
            try (Stream<Path> files = Files.list(dir)) {
                for (Path left : (Iterable<Path>) files::iterator) {
                    Files.delete(left);
                }
            }
        }
    }

    private static void download(String[] lines, ServerFile file, Path target) throws Exception {
        FileDownload download = new FileDownload("file-abc", target);
        ApiCall<Long> call = download.call();
        boolean honest = true;
        Long written = null;
        Mka1Exception refused = null;
        for (int i = 1; i < lines.length && i <= MAX_ATTEMPTS && written == null && refused == null; i++) {
            Request request = call.perAttempt.apply(REQUEST);
            String line = lines[i].trim();
            if (line.startsWith("new ") || line.startsWith("longer ")) {
                file.change(line.startsWith("longer ") ? 3 : 0);
                line = line.substring(line.indexOf(' ')).trim();
            }
            Attempt attempt = Attempt.parse(line, file, from(request), request.header("If-Range"));
            if (attempt == null) {
                continue; // not an attempt: a line the fuzzer broke
            }
            // Without a validator, a change answered with the rest of the new file can't be seen.
            honest &= attempt.honest && (file.kind != null || file.version == 1);
            Response response = attempt.response(request);
            if (!call.answers(response)) {
                continue; // an error status: the engine maps it to an ApiException, retried or not
            }
            Long[] value = new Long[1];
            Throwable failure = DocumentedFailures.check(
                    lines[i],
                    () -> value[0] = call.reader.read(response),
                    IOException.class,
                    InvalidResponseException.class);
            if (failure instanceof Mka1Exception) {
                refused = (Mka1Exception) failure;
            }
            written = value[0];
        }
        if (written == null) {
            download.abandon();
            assertThat(partFiles()).as("temporary files left after giving up").isEmpty();
            assertThat(refused == null || !honest)
                    .as("an honest server refused: %s", refused)
                    .isTrue();
            return;
        }
        download.moveIntoPlace();
        byte[] downloaded = Files.readAllBytes(target);
        assertThat((long) downloaded.length)
                .as("the bytes the download says it wrote")
                .isEqualTo(written);
        if (honest) {
            assertThat(downloaded)
                    .as("the file downloaded from an honest server: its current version")
                    .isEqualTo(file.bytes);
        }
        assertThat(partFiles()).isEmpty();
    }

    /** The file on the server: its version, its bytes and the validator it is answered with. */
    private static final class ServerFile {
        /** {@code "ETag"}, {@code "Last-Modified"}, or {@code null}: no validator. */
        final String kind;

        int version;
        byte[] bytes;

        private ServerFile(int size, String kind) {
            this.kind = kind;
            this.bytes = new byte[size];
            change(0);
        }

        /** From the line {@code file <size> [etag|modified]}; {@code null} for another line. */
        static ServerFile parse(String line) {
            String[] words = line.trim().split(" +");
            if (words.length < 2 || words.length > 3 || !words[0].equals("file") || !words[1].matches("\\d{1,6}")) {
                return null;
            }
            String kind = words.length == 2
                    ? null
                    : words[2].equals("etag") ? "ETag" : words[2].equals("modified") ? "Last-Modified" : "";
            return "".equals(kind) ? null : new ServerFile(Math.min(Integer.parseInt(words[1]), MAX_SIZE), kind);
        }

        /** The next version: another pattern, {@code longer} bytes longer. */
        void change(int longer) {
            version++;
            bytes = new byte[bytes.length + longer];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (i * 31 + 7 * version);
            }
        }

        /** @return this version's validator, or {@code null} */
        String validator() {
            if (kind == null) {
                return null;
            }
            return kind.equals("ETag") ? "\"v" + version + "\"" : "Mon, 0" + version + " Dec 2026 10:00:00 GMT";
        }
    }

    /** The first byte the attempt asks for: N of {@code Range: bytes=N-} (the download's own header). */
    private static int from(Request request) {
        String range = request.header("Range");
        return range == null ? 0 : Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
    }

    private static String[] partFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(Path::toString)
                    .filter(name -> name.endsWith(".part"))
                    .toArray(String[]::new);
        }
    }

    /** One response to one attempt. */
    private static final class Attempt {
        final boolean honest;
        final int status;
        final String contentRange;
        final long contentLength;
        final byte[] body;
        final long cut;
        /** The validator's header and value, or {@code null}. */
        String validatorHeader;

        String validator;

        private Attempt(boolean honest, int status, String contentRange, long contentLength, byte[] body, long cut) {
            this.honest = honest;
            this.status = status;
            this.contentRange = contentRange;
            this.contentLength = contentLength;
            this.body = body;
            this.cut = cut;
        }

        static Attempt parse(String line, ServerFile server, int from, String ifRange) {
            if (line.startsWith("raw ")) {
                return raw(line.substring(4).split("\\|", -1), server.bytes);
            }
            String[] words = line.split(" +");
            long cut = words.length > 1 && words[1].matches("\\d{1,9}") ? Long.parseLong(words[1]) : -1;
            // A server heeding If-Range sends the whole file when it names another version.
            boolean otherVersion = ifRange != null && !ifRange.equals(server.validator());
            String kind = otherVersion && !words[0].equals("careless") ? "ignore" : words[0];
            Attempt attempt = honest(kind, server.bytes, from, cut);
            if (attempt != null) {
                attempt.validatorHeader = server.kind;
                attempt.validator = server.validator();
            }
            return attempt;
        }

        private static Attempt honest(String kind, byte[] file, int from, long cut) {
            int size = file.length;
            switch (kind) {
                case "honest":
                case "careless":
                    if (from == 0) {
                        return new Attempt(true, 200, null, size, file, cut);
                    }
                    if (from >= size) {
                        return new Attempt(true, 416, "bytes */" + size, -1, new byte[0], -1);
                    }
                    return new Attempt(
                            true,
                            206,
                            "bytes " + from + "-" + (size - 1) + "/" + size,
                            size - from,
                            Arrays.copyOfRange(file, from, size),
                            cut);
                case "star":
                    if (from >= size) {
                        return new Attempt(true, 416, "bytes */" + size, -1, new byte[0], -1);
                    }
                    return new Attempt(
                            true,
                            206,
                            "bytes " + from + "-" + (size - 1) + "/*",
                            -1,
                            Arrays.copyOfRange(file, from, size),
                            cut);
                case "ignore":
                    return new Attempt(true, 200, null, size, file, cut);
                case "chunked":
                    return new Attempt(true, 200, null, -1, file, cut);
                default:
                    return null;
            }
        }

        /** {@code status|Content-Range|Content-Length|first byte|byte count|cut}, any of them nonsense. */
        private static Attempt raw(String[] fields, byte[] file) {
            if (fields.length != 6 || !fields[0].matches("[1-5]\\d\\d")) {
                return null;
            }
            long contentLength = number(fields[2]);
            int first = (int) Math.min(Math.max(number(fields[3]), 0), file.length);
            int count = (int) Math.min(Math.max(number(fields[4]), 0), file.length - first);
            byte[] body = Arrays.copyOfRange(file, first, first + count);
            long cut = number(fields[5]);
            // What OkHttp hands over for a Content-Length: that many bytes, or a failure when fewer come.
            if (contentLength >= 0 && body.length > contentLength) {
                body = Arrays.copyOf(body, (int) contentLength);
            } else if (contentLength >= 0 && body.length < contentLength) {
                cut = cut < 0 ? body.length : Math.min(cut, body.length);
            }
            return new Attempt(
                    false,
                    Integer.parseInt(fields[0]),
                    fields[1].isEmpty() ? null : fields[1],
                    contentLength,
                    body,
                    cut);
        }

        /** A number, or -1 for anything else (OkHttp's reading of a Content-Length). */
        private static long number(String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        Response response(Request request) {
            Headers.Builder headers = new Headers.Builder();
            if (contentRange != null) {
                headers.addUnsafeNonAscii("Content-Range", contentRange);
            }
            if (validator != null) {
                headers.add(validatorHeader, validator);
            }
            return FakeResponses.response(
                    request,
                    status,
                    headers.build(),
                    FakeResponses.body(body, "application/octet-stream", contentLength, cut));
        }
    }
}
