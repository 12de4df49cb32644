package com.mka1.batches.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mka1.batches.FakeResponses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import okhttp3.Headers;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each attempt of a download as the engine drives it (the attempt's request, whether the response
 * is an answer, the reader), with responses built in memory: what an attempt reads is the count of
 * bytes on disk, the value {@link FileDownload#run} answers with.
 */
class FileDownloadAttemptTest {
    private static final Request REQUEST = new Request.Builder()
            .url("http://localhost/api/v1/llm/files/file-abc/content")
            .build();
    private static final byte[] FILE = new byte[1_000];

    static {
        for (int i = 0; i < FILE.length; i++) {
            FILE[i] = (byte) (i * 31 + 7);
        }
    }

    @TempDir
    Path dir;

    private static Response response(
            Request request, int status, String contentRange, byte[] body, long length, long cut) {
        Headers headers = contentRange == null ? Headers.of() : Headers.of("Content-Range", contentRange);
        return FakeResponses.response(
                request, status, headers, FakeResponses.body(body, "application/octet-stream", length, cut));
    }

    @Test
    void aWholeBodyReadsAsItsLength() throws IOException {
        Path target = dir.resolve("out.bin");
        FileDownload download = new FileDownload("file-abc", target);
        ApiCall<Long> call = download.call();
        Request request = call.perAttempt.apply(REQUEST);

        assertThat(request.header("Range")).isNull();
        assertThat(call.reader.read(response(request, 200, null, FILE, FILE.length, -1)))
                .isEqualTo(1_000L);
        download.moveIntoPlace();
        assertThat(target).hasBinaryContent(FILE);
    }

    @Test
    void aResumeReadsAsTheBytesOnDiskInAll() throws IOException {
        Path target = dir.resolve("out.bin");
        FileDownload download = new FileDownload("file-abc", target);
        ApiCall<Long> call = download.call();

        Request first = call.perAttempt.apply(REQUEST);
        assertThatThrownBy(() -> call.reader.read(response(first, 200, null, FILE, FILE.length, 400)))
                .isInstanceOf(IOException.class);
        Request second = call.perAttempt.apply(REQUEST);
        assertThat(second.header("Range")).isEqualTo("bytes=400-");
        byte[] rest = Arrays.copyOfRange(FILE, 400, FILE.length);

        assertThat(call.reader.read(response(second, 206, "bytes 400-999/1000", rest, rest.length, -1)))
                .isEqualTo(1_000L);
        download.moveIntoPlace();
        assertThat(target).hasBinaryContent(FILE);
    }

    /** Every byte arrived but the body's end did not; the 416 to the resume from the end completes it. */
    @Test
    void a416AtTheEndReadsAsTheBytesOnDisk() throws IOException {
        Path target = dir.resolve("out.bin");
        FileDownload download = new FileDownload("file-abc", target);
        ApiCall<Long> call = download.call();

        Request first = call.perAttempt.apply(REQUEST);
        assertThatThrownBy(() -> call.reader.read(response(first, 200, null, FILE, -1, FILE.length)))
                .isInstanceOf(IOException.class);
        Request second = call.perAttempt.apply(REQUEST);
        assertThat(second.header("Range")).isEqualTo("bytes=1000-");
        Response pastTheEnd = response(second, 416, "bytes */1000", new byte[0], 0, -1);

        assertThat(call.answers(pastTheEnd)).isTrue();
        assertThat(call.reader.read(pastTheEnd)).isEqualTo(1_000L);
        download.moveIntoPlace();
        assertThat(target).hasBinaryContent(FILE);
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }
}
