package com.mka1.batches;

import static com.mka1.batches.TestSupport.FILES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.errors.LocalFileException;
import com.mka1.batches.errors.Mka1IoException;
import com.mka1.batches.errors.NotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code download}: the file on disk is byte-identical to the server's, a broken body is resumed
 * from the last byte received (with {@code Range}, and {@code If-Range} naming the version on disk),
 * resumes are retries, the file is always one whole version (an answer from another version starts
 * it again from byte 0), a local disk failure is a {@link LocalFileException}, and whatever ends the
 * download early (failure, interrupt, cancel) leaves the target as it was and no temporary file
 * behind. Served by {@link RawHttpServer}, which can end a body after exactly N bytes and counts
 * what it serves.
 */
class FileDownloadTest {
    private static final String ID = "file-out789";
    private static final int SIZE = 300_000;
    private static final byte[] CONTENT = bytes(SIZE, 1);

    @TempDir
    Path dir;

    private Path target;
    private RawHttpServer server;
    private final FakeTime sleeper = new FakeTime();

    @BeforeEach
    void start() throws IOException {
        server = new RawHttpServer();
        target = dir.resolve("output.jsonl");
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private Mka1Client.Builder clientBuilder(int maxRetries) {
        return Mka1Client.builder()
                .apiKey(ResilienceSupport.API_KEY)
                .baseUrl(server.baseUrl())
                .sleeper(sleeper)
                .clock(sleeper)
                .requestOptions(RequestOptions.builder().maxRetries(maxRetries).build());
    }

    private Path download(Mode mode, int maxRetries) {
        try (Mka1Client client = clientBuilder(maxRetries).build()) {
            return mode.files(client).download(ID, target);
        }
    }

    /** @return the names in the download's directory: only the target once it is done, nothing temporary */
    private List<String> filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private List<String> ranges() {
        return sent("Range");
    }

    /** @return the header {@code name} of each request received, {@code "null"} where it had none */
    private List<String> sent(String name) {
        return server.requests().stream()
                .map(r -> String.valueOf(r.header(name)))
                .collect(Collectors.toList());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theWholeFileIsWrittenByteForByteFromOneRequest(Mode mode) throws IOException {
        server.script(RawHttpServer.whole(CONTENT));

        Path written = download(mode, 2);

        assertThat(written).isEqualTo(target);
        assertThat(target).hasBinaryContent(CONTENT);
        assertThat(filesInDir()).containsExactly("output.jsonl");
        assertThat(server.requests()).hasSize(1);
        RawHttpServer.Recorded sent = server.requests().get(0);
        assertThat(sent.method + " " + sent.target).isEqualTo("GET " + FILES + "/" + ID + "/content");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + ResilienceSupport.API_KEY);
        assertThat(sent.header("Accept")).isEqualTo("*/*");
        assertThat(sent.header("Range")).isNull();
        assertThat(server.bodyBytesServed()).isEqualTo(SIZE);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aTargetWhoseNameIsNearTheFileSystemsLimitIsDownloadedToo(Mode mode) throws IOException {
        // 250 bytes: a temporary name of ".<name>.<random>.part" would pass the limit of 255
        String name = "r".repeat(244) + ".jsonl";
        target = dir.resolve(name);
        server.script(RawHttpServer.whole(CONTENT));

        download(mode, 0);

        assertThat(target).hasBinaryContent(CONTENT);
        assertThat(filesInDir()).containsExactly(name);
    }

    /**
     * The temporary file's name is cut from the target's: a cut between the two halves of a
     * character outside the BMP would leave half a character, which no file name can hold.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aTargetWhoseLongNameHasACharacterOutsideTheBmpWhereItIsCutIsDownloadedToo(Mode mode) throws IOException {
        String name = "r".repeat(59) + "\uD83D\uDE00" + "r".repeat(20) + ".jsonl"; // the emoji at chars 59 and 60
        assumeTrue(
                "UTF-8".equals(System.getProperty("sun.jnu.encoding")),
                "file names in UTF-8 (a C locale has no emoji)");
        target = dir.resolve(name);
        server.script(RawHttpServer.whole(CONTENT));

        download(mode, 0);

        assertThat(target).hasBinaryContent(CONTENT);
        assertThat(filesInDir()).containsExactly(name);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anExistingTargetIsReplacedAndOnBehalfOfIsSent(Mode mode) throws IOException {
        Files.write(target, "an older download".getBytes(StandardCharsets.UTF_8));
        server.script(RawHttpServer.whole(CONTENT));

        try (Mka1Client client = clientBuilder(0).build()) {
            assertThat(mode.files(client)
                            .withOptions(RequestOptions.builder()
                                    .onBehalfOf("user_d")
                                    .build())
                            .download(ID, target))
                    .isEqualTo(target);
        }

        assertThat(target).hasBinaryContent(CONTENT);
        assertThat(filesInDir()).containsExactly("output.jsonl");
        assertThat(server.requests().get(0).header("X-On-Behalf-Of")).isEqualTo("user_d");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aBodyEndingBeforeItsContentLengthIsResumedWithRangeAndNoByteIsSentTwice(Mode mode) throws IOException {
        server.script(RawHttpServer.cutAfter(CONTENT, 100_000), RawHttpServer.ranged(CONTENT));

        RawResponse<Path> last;
        try (Mka1Client client = clientBuilder(2).build()) {
            last = mode.files(client).withRawResponse().download(ID, target);
        }

        assertThat(target).hasBinaryContent(CONTENT);
        assertThat(ranges()).containsExactly("null", "bytes=100000-");
        assertThat(server.bodyBytesServed()).as("no second full transfer").isEqualTo(SIZE);
        assertThat(last.value()).isEqualTo(target);
        assertThat(last.statusCode()).as("the last response: the resume").isEqualTo(206);
        assertThat(last.header("Content-Range")).contains("bytes 100000-299999/300000");
        assertThat(sleeper.sleeps).as("a resume is a retry").hasSize(1);
        assertThat(filesInDir()).containsExactly("output.jsonl");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void fromAServerIgnoringRangeTheWholeFileComesAgainAndIsWrittenFromByte0(Mode mode) throws IOException {
        server.script(RawHttpServer.cutAfter(CONTENT, 100_000), RawHttpServer.whole(CONTENT));

        download(mode, 2);

        assertThat(target).hasBinaryContent(CONTENT);
        assertThat(ranges()).containsExactly("null", "bytes=100000-");
        assertThat(server.bodyBytesServed()).isEqualTo(100_000 + SIZE);
        assertThat(filesInDir()).containsExactly("output.jsonl");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void eachCutIsResumedFromWhereTheLastOneEnded(Mode mode) throws IOException {
        RawHttpServer.Handler cut = RawHttpServer.rangedCutAfter(CONTENT, 70_000);
        server.script(cut, cut, cut, RawHttpServer.ranged(CONTENT));

        download(mode, 3);

        assertThat(target).hasBinaryContent(CONTENT);
        assertThat(ranges()).containsExactly("null", "bytes=70000-", "bytes=140000-", "bytes=210000-");
        assertThat(server.bodyBytesServed()).isEqualTo(SIZE);
        assertThat(sleeper.sleeps).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void resumesCountAgainstTheRetryBudgetAndRunningOutLeavesNothingBehind(Mode mode) throws IOException {
        RawHttpServer.Handler cut = RawHttpServer.rangedCutAfter(CONTENT, 70_000);
        server.script(cut, cut, cut, RawHttpServer.ranged(CONTENT));

        Throwable thrown = catchThrowable(() -> download(mode, 2));

        assertThat(thrown)
                .isExactlyInstanceOf(Mka1IoException.class)
                .hasMessageContaining("GET " + FILES + "/" + ID + "/content (attempt 3)");
        assertThat(server.requests()).hasSize(3);
        assertThat(target).doesNotExist();
        assertThat(filesInDir()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void withoutRetriesACutBodyFailsAndLeavesNoPartOfTheFile(Mode mode) throws IOException {
        server.script(RawHttpServer.cutAfter(CONTENT, 100_000), RawHttpServer.ranged(CONTENT));

        Throwable thrown = catchThrowable(() -> download(mode, 0));

        assertThat(thrown).isExactlyInstanceOf(Mka1IoException.class);
        assertThat(server.requests()).hasSize(1);
        assertThat(target).doesNotExist();
        assertThat(filesInDir()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aFailedDownloadLeavesAnExistingTargetAsItWas(Mode mode) throws IOException {
        byte[] previous = "the previous output".getBytes(StandardCharsets.UTF_8);
        Files.write(target, previous);
        server.script(RawHttpServer.cutAfter(CONTENT, 100_000));

        assertThatThrownBy(() -> download(mode, 0)).isExactlyInstanceOf(Mka1IoException.class);

        assertThat(target).hasBinaryContent(previous);
        assertThat(filesInDir()).containsExactly("output.jsonl");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anErrorStatusIsItsTypedExceptionAndLeavesNothingBehind(Mode mode) throws IOException {
        server.script(RawHttpServer.status(404, "{\"error\":{\"message\":\"No file found with id file-out789\"}}"));

        assertThatThrownBy(() -> download(mode, 2))
                .isExactlyInstanceOf(NotFoundException.class)
                .hasMessage("HTTP 404: No file found with id file-out789");

        assertThat(server.requests()).hasSize(1);
        assertThat(filesInDir()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a206ThatDoesNotStartWhereAskedIsAnInvalidResponseNotRetried(Mode mode) throws IOException {
        RawHttpServer.Handler fromTheStart = exchange -> {
            exchange.head(206, "Content-Range", "bytes 0-299999/300000", "Content-Length", String.valueOf(SIZE));
            exchange.body(CONTENT, 0, SIZE);
            exchange.end();
        };
        server.script(RawHttpServer.cutAfter(CONTENT, 1_000), fromTheStart);

        Throwable thrown = catchThrowable(() -> download(mode, 3));

        assertThat(thrown)
                .isExactlyInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("HTTP 206")
                .hasMessageContaining("asked for bytes from 1000 on, got Content-Range 'bytes 0-299999/300000'");
        assertThat(server.requests()).hasSize(2);
        assertThat(target).doesNotExist();
        assertThat(filesInDir()).isEmpty();
    }

    /** Found by FileDownloadFuzzTest: a number too large for a long was a NumberFormatException. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aContentRangeEchoingTheKeyIsQuotedWithoutIt(Mode mode) throws IOException {
        RawHttpServer.Handler echoing = exchange -> {
            exchange.head(206, "Content-Range", "bytes " + ResilienceSupport.API_KEY, "Content-Length", "0");
            exchange.end();
        };
        server.script(RawHttpServer.cutAfter(CONTENT, 1_000), echoing);

        Throwable thrown = catchThrowable(() -> download(mode, 3));

        assertThat(thrown)
                .isExactlyInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("got Content-Range 'bytes [redacted]'")
                .hasMessageNotContaining(ResilienceSupport.API_KEY);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a206WithASizeTooLargeForAnyFileIsAnInvalidResponse(Mode mode) throws IOException {
        RawHttpServer.Handler absurd = exchange -> {
            exchange.head(206, "Content-Range", "bytes 1000-299999/99999999999999999999", "Content-Length", "299000");
            exchange.body(CONTENT, 1_000, SIZE);
            exchange.end();
        };
        server.script(RawHttpServer.cutAfter(CONTENT, 1_000), absurd);

        Throwable thrown = catchThrowable(() -> download(mode, 3));

        assertThat(thrown)
                .isExactlyInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("got Content-Range 'bytes 1000-299999/99999999999999999999'");
        assertThat(filesInDir()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a206WhoseBodyEndsBeforeTheFilesSizeIsResumedAgain(Mode mode) throws IOException {
        RawHttpServer.Handler short206 = exchange -> {
            // a complete HTTP message (its Content-Length is honest) that holds less than Content-Range promised
            exchange.head(206, "Content-Range", "bytes 1000-299999/300000", "Content-Length", "49000");
            exchange.body(CONTENT, 1_000, 50_000);
            exchange.end();
        };
        server.script(RawHttpServer.cutAfter(CONTENT, 1_000), short206, RawHttpServer.ranged(CONTENT));

        download(mode, 2);

        assertThat(target).hasBinaryContent(CONTENT);
        assertThat(ranges()).containsExactly("null", "bytes=1000-", "bytes=50000-");
        assertThat(server.bodyBytesServed()).isEqualTo(SIZE);
    }

    /**
     * A body of unknown length (chunked, or compressed in transit) whose connection ends after the
     * last byte but before the body's end: every byte is on disk, and the server answers the resume
     * from the end with 416 and the file's size. That completes the download.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aResumeFromTheEndAnswered416WithTheSizeOnDiskCompletesTheDownload(Mode mode) throws IOException {
        server.script(RawHttpServer.chunkedWithoutItsEnd(CONTENT), RawHttpServer.rangeNotSatisfiable(SIZE));

        RawResponse<Path> last;
        try (Mka1Client client = clientBuilder(2).build()) {
            last = mode.files(client).withRawResponse().download(ID, target);
        }

        assertThat(target).hasBinaryContent(CONTENT);
        assertThat(ranges()).containsExactly("null", "bytes=300000-");
        assertThat(last.statusCode()).isEqualTo(416);
        assertThat(last.value()).isEqualTo(target);
        assertThat(filesInDir()).containsExactly("output.jsonl");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a416GivingAnotherSizeThanTheBytesOnDiskIsAnInvalidResponse(Mode mode) throws IOException {
        server.script(RawHttpServer.chunkedWithoutItsEnd(CONTENT), RawHttpServer.rangeNotSatisfiable(SIZE - 1));

        assertThatThrownBy(() -> download(mode, 2))
                .isExactlyInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("HTTP 416")
                .hasMessageContaining("bytes */299999");

        assertThat(server.requests()).hasSize(2);
        assertThat(filesInDir()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a416ToTheFirstRequestIsTheTypedError(Mode mode) throws IOException {
        server.script(RawHttpServer.rangeNotSatisfiable(0));

        assertThatThrownBy(() -> download(mode, 2))
                .isExactlyInstanceOf(com.mka1.batches.errors.UnexpectedStatusException.class)
                .hasMessage("HTTP 416: Range not satisfiable");

        assertThat(server.requests()).hasSize(1);
        assertThat(filesInDir()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anErrorStatusBetweenResumesIsRetriedAndTheNextResumeAsksForTheSameRange(Mode mode) throws IOException {
        server.script(
                RawHttpServer.cutAfter(CONTENT, 100_000),
                RawHttpServer.status(503, "{\"error\":\"busy\"}"),
                RawHttpServer.ranged(CONTENT));

        download(mode, 2);

        assertThat(target).hasBinaryContent(CONTENT);
        assertThat(ranges()).containsExactly("null", "bytes=100000-", "bytes=100000-");
        assertThat(sleeper.sleeps).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anEmptyFileIsDownloadedAsAnEmptyFile(Mode mode) throws IOException {
        server.script(RawHttpServer.whole(new byte[0]));

        download(mode, 0);

        assertThat(target).exists().isEmptyFile();
        assertThat(filesInDir()).containsExactly("output.jsonl");
    }

    /**
     * Without a validator nothing tells whether a whole file sent again (200) is the version on
     * disk: it is taken as what it is, the whole current file, whatever its size (an empty file
     * included), and never skipped into.
     */
    @ParameterizedTest
    @CsvSource({
        "SYNC, 1000, 300010, false",
        "ASYNC, 100000, 0, false",
        "SYNC, 100000, 50000, true",
        "ASYNC, 299999, 300010, true"
    })
    void withoutAValidatorAWholeFileAnsweringAResumeIsTheNewVersionWhateverItsSize(
            Mode mode, int cut, int newSize, boolean chunked) throws IOException {
        byte[] newVersion = bytes(newSize, 2);
        server.script(
                RawHttpServer.cutAfter(CONTENT, cut), chunked ? chunked(newVersion) : RawHttpServer.whole(newVersion));

        download(mode, 2);

        assertThat(target).hasBinaryContent(newVersion);
        assertThat(ranges()).containsExactly("null", "bytes=" + cut + "-");
        assertThat(sent("If-Range")).containsExactly("null", "null");
        assertThat(filesInDir()).containsExactly("output.jsonl");
    }

    /** 200 with the whole file in chunks and the chunked body's end: a complete file of no announced length. */
    private static RawHttpServer.Handler chunked(byte[] content) {
        return exchange -> {
            exchange.head(200, "Content-Type", "application/jsonl", "Transfer-Encoding", "chunked");
            if (content.length > 0) {
                exchange.raw(Integer.toHexString(content.length) + "\r\n");
                exchange.body(content, 0, content.length);
                exchange.raw("\r\n");
            }
            exchange.raw("0\r\n\r\n");
            exchange.end();
        };
    }

    /**
     * 200 without a length ({@code Transfer-Encoding: chunked}), or 206 with {@code Content-Range}
     * when the request asks for a range, its bytes from where the request asks to {@code to}, the
     * connection ending there without the chunked body's end.
     */
    private static RawHttpServer.Handler chunkedUpTo(byte[] content, int to) {
        return exchange -> {
            int from = (int) Math.max(0, RawHttpServer.rangeStart(exchange.request));
            if (from > 0) {
                exchange.head(
                        206,
                        "Content-Type",
                        "application/jsonl",
                        "Transfer-Encoding",
                        "chunked",
                        "Content-Range",
                        "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
            } else {
                exchange.head(200, "Content-Type", "application/jsonl", "Transfer-Encoding", "chunked");
            }
            exchange.raw(Integer.toHexString(to - from) + "\r\n");
            exchange.body(content, from, to);
            exchange.raw("\r\n");
            exchange.end(); // no "0\r\n\r\n"
        };
    }

    /** 206 with these headers and {@code content[from, to)} as its body, announced whole. */
    private static RawHttpServer.Handler partial(String contentRange, byte[] content, int from, int to) {
        return exchange -> {
            exchange.head(
                    206,
                    "Content-Type",
                    "application/jsonl",
                    "Content-Range",
                    contentRange,
                    "Content-Length",
                    String.valueOf(to - from));
            exchange.body(content, from, to);
            exchange.end();
        };
    }

    /**
     * The size a 206 gives completes what the first response left unknown: a chunked body cut
     * after 1,000 bytes, then a 206 whose body ends before that size, is resumed once more.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void theSizeInA206sContentRangeIsHeldToWhenTheFirstResponseHadNoLength(Mode mode) throws IOException {
        server.script(
                chunkedUpTo(CONTENT, 1_000),
                partial("bytes 1000-299999/300000", CONTENT, 1_000, 50_000),
                RawHttpServer.ranged(CONTENT));

        download(mode, 2);

        assertThat(target).hasBinaryContent(CONTENT);
        assertThat(ranges()).containsExactly("null", "bytes=1000-", "bytes=50000-");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a206WithAnUnknownTotalIsAppendedAndTheSizeFromBeforeStillHolds(Mode mode) throws IOException {
        server.script(
                RawHttpServer.cutAfter(CONTENT, 100_000), partial("bytes 100000-299999/*", CONTENT, 100_000, SIZE));

        download(mode, 2);

        assertThat(target).hasBinaryContent(CONTENT);
        assertThat(ranges()).containsExactly("null", "bytes=100000-");
    }

    /**
     * A chunked 206 whose connection fails after the last byte of the file, before the chunked
     * body's end: every byte is on disk, so the failure does not matter and nothing is asked again.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aConnectionFailingOnlyAfterTheFilesLastByteCompletesTheDownload(Mode mode) throws IOException {
        server.script(RawHttpServer.cutAfter(CONTENT, 100_000), chunkedUpTo(CONTENT, SIZE));

        download(mode, 2);

        assertThat(target).hasBinaryContent(CONTENT);
        assertThat(ranges()).containsExactly("null", "bytes=100000-");
        assertThat(sleeper.sleeps).hasSize(1);
    }

    /** The same failure before the last byte is a broken body like any other: resumed. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aConnectionFailingBeforeTheFilesLastByteIsResumed(Mode mode) throws IOException {
        server.script(
                RawHttpServer.cutAfter(CONTENT, 100_000), chunkedUpTo(CONTENT, 200_000), RawHttpServer.ranged(CONTENT));

        download(mode, 2);

        assertThat(target).hasBinaryContent(CONTENT);
        assertThat(ranges()).containsExactly("null", "bytes=100000-", "bytes=200000-");
    }

    /** A 416 is the end only if its size is the one the file had all along, not just the bytes on disk. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void a416GivingTheBytesOnDiskAsTheSizeOfALongerFileIsAnInvalidResponse(Mode mode) throws IOException {
        server.script(RawHttpServer.cutAfter(CONTENT, 100_000), RawHttpServer.rangeNotSatisfiable(100_000));

        assertThatThrownBy(() -> download(mode, 2))
                .isExactlyInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("HTTP 416")
                .hasMessageEndingWith("the file's size changed during the download, from 300000 to 100000 bytes");

        assertThat(server.requests()).hasSize(2);
        assertThat(filesInDir()).isEmpty();
    }

    /**
     * A server that says the file has 0 bytes and sends some is not taken at its word: the bytes
     * are not the whole file, and the size it gives next is a change.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void bytesSentForAFileOfSize0AreNotTheWholeFile(Mode mode) throws IOException {
        server.script(partial("bytes 0-9/0", CONTENT, 0, 10), partial("bytes 10-19/20", CONTENT, 10, 20));

        assertThatThrownBy(() -> download(mode, 2))
                .isExactlyInstanceOf(InvalidResponseException.class)
                .hasMessageEndingWith("the file's size changed during the download, from 0 to 20 bytes");

        assertThat(ranges()).containsExactly("null", "bytes=10-");
        assertThat(filesInDir()).isEmpty();
    }

    // one version on disk: validators, If-Range, restarts

    private static final byte[] V2 = bytes(SIZE, 2);

    /**
     * The server: the file changes between two attempts and the resume's 206 (which does
     * not heed {@code If-Range}) brings the new version's tail with the new validator. The tail is
     * not appended to the old head: the download starts again from byte 0, a retry of the call,
     * and the file on disk is the new version whole.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "SYNC  | ETag          | \"v1\"                        | \"v2\"                        | 120000",
                "ASYNC | ETag          | \"v1\"                        | \"v2\"                        | 120000",
                "SYNC  | Last-Modified | Mon, 07 Dec 2026 10:00:00 GMT | Mon, 07 Dec 2026 10:00:05 GMT | 1",
                "ASYNC | Last-Modified | Mon, 07 Dec 2026 10:00:00 GMT | Mon, 07 Dec 2026 10:00:05 GMT | 299999",
                "SYNC  | ETag          | \"v1\"                        | W/\"v1\"                      | 65536",
            })
    void aResumeAnswered206ByAnotherVersionStartsTheFileAgainFromByte0(
            Mode mode, String validator, String v1, String v2, int cut) throws IOException {
        server.script(RawHttpServer.cutAfter(CONTENT, cut, validator, v1), RawHttpServer.ranged(V2, validator, v2));

        RawResponse<Path> last;
        try (Mka1Client client = clientBuilder(2).build()) {
            last = mode.files(client).withRawResponse().download(ID, target);
        }

        assertThat(target).hasBinaryContent(V2);
        assertThat(ranges()).containsExactly("null", "bytes=" + cut + "-", "null");
        assertThat(sent("If-Range")).as("the resume names the version on disk").containsExactly("null", v1, "null");
        assertThat(last.statusCode()).isEqualTo(200);
        assertThat(sleeper.sleeps).as("the restart is a retry").hasSize(2);
        assertThat(filesInDir()).containsExactly("output.jsonl");
    }

    /** A 206 without the validator the first answer had can't be shown to be the same version: started again too. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aResumeAnswered206WithoutTheFirstAnswersValidatorStartsTheFileAgain(Mode mode) throws IOException {
        server.script(RawHttpServer.cutAfter(CONTENT, 50_000, "ETag", "\"v1\""), RawHttpServer.ranged(V2));

        download(mode, 2);

        assertThat(target).hasBinaryContent(V2);
        assertThat(ranges()).containsExactly("null", "bytes=50000-", "null");
        assertThat(sent("If-Range")).containsExactly("null", "\"v1\"", "null");
    }

    /**
     * A server that heeds {@code If-Range}, or ignores {@code Range}, sends the new version whole
     * with 200: it is written from byte 0 in the same attempt, nothing of the old version kept.
     */
    @ParameterizedTest
    @CsvSource({"SYNC, 120000", "ASYNC, 120000", "SYNC, 1", "ASYNC, 299999"})
    void aResumeAnswered200WithTheNewVersionWholeGivesThatVersion(Mode mode, int cut) throws IOException {
        server.script(
                RawHttpServer.cutAfter(CONTENT, cut, "ETag", "\"v1\""), RawHttpServer.whole(V2, "ETag", "\"v2\""));

        download(mode, 2);

        assertThat(target).hasBinaryContent(V2);
        assertThat(ranges()).containsExactly("null", "bytes=" + cut + "-");
        assertThat(sent("If-Range")).containsExactly("null", "\"v1\"");
        assertThat(server.bodyBytesServed()).isEqualTo(cut + SIZE);
        assertThat(sleeper.sleeps).hasSize(1);
        assertThat(filesInDir()).containsExactly("output.jsonl");
    }

    /**
     * {@code If-Range} carries a strong {@code ETag}; a weak one ({@code W/...}) can't name the
     * bytes, so {@code Last-Modified} is sent instead, or no {@code If-Range} without one.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "SYNC  | \"v1\"   | Mon, 07 Dec 2026 10:00:00 GMT | \"v1\"",
                "ASYNC | W/\"v1\" | Mon, 07 Dec 2026 10:00:00 GMT | Mon, 07 Dec 2026 10:00:00 GMT",
                "SYNC  | W/\"v1\" | none                          | none",
                "ASYNC | none     | Mon, 07 Dec 2026 10:00:00 GMT | Mon, 07 Dec 2026 10:00:00 GMT",
            })
    void ifRangeIsAStrongETagElseLastModified(Mode mode, String etag, String lastModified, String ifRange)
            throws IOException {
        List<String> headers = new java.util.ArrayList<>();
        if (etag != null) {
            headers.addAll(List.of("ETag", etag));
        }
        if (lastModified != null) {
            headers.addAll(List.of("Last-Modified", lastModified));
        }
        String[] validators = headers.toArray(new String[0]);
        server.script(RawHttpServer.cutAfter(CONTENT, 100_000, validators), RawHttpServer.ranged(CONTENT, validators));

        download(mode, 2);

        assertThat(target).hasBinaryContent(CONTENT);
        assertThat(ranges()).containsExactly("null", "bytes=100000-");
        assertThat(sent("If-Range")).containsExactly("null", String.valueOf(ifRange));
        assertThat(server.bodyBytesServed())
                .as("the resume appended: no byte sent twice")
                .isEqualTo(SIZE);
    }

    /** The same version answering each resume: appended as ever, every resume naming it. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "SYNC  | ETag          | \"v1\"",
                "ASYNC | ETag          | \"v1\"",
                "SYNC  | Last-Modified | Mon, 07 Dec 2026 10:00:00 GMT",
                "ASYNC | Last-Modified | Mon, 07 Dec 2026 10:00:00 GMT",
            })
    void resumesAnswered206ByTheSameVersionAreAppended(Mode mode, String validator, String value) throws IOException {
        RawHttpServer.Handler cut = RawHttpServer.rangedCutAfter(CONTENT, 70_000, validator, value);
        server.script(cut, cut, RawHttpServer.ranged(CONTENT, validator, value));

        download(mode, 2);

        assertThat(target).hasBinaryContent(CONTENT);
        assertThat(ranges()).containsExactly("null", "bytes=70000-", "bytes=140000-");
        assertThat(sent("If-Range")).containsExactly("null", value, value);
        assertThat(server.bodyBytesServed()).isEqualTo(SIZE);
    }

    /**
     * The new version sent whole (a server heeding {@code If-Range}) and cut in turn: the next
     * resume names the new version and is appended to it.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void afterARestartResumesNameTheNewVersion(Mode mode) throws IOException {
        server.script(
                RawHttpServer.cutAfter(CONTENT, 10_000, "ETag", "\"v1\""),
                RawHttpServer.cutAfter(V2, 200_000, "ETag", "\"v2\""),
                RawHttpServer.ranged(V2, "ETag", "\"v2\""));

        download(mode, 3);

        assertThat(target).hasBinaryContent(V2);
        assertThat(ranges()).containsExactly("null", "bytes=10000-", "bytes=200000-");
        assertThat(sent("If-Range")).containsExactly("null", "\"v1\"", "\"v2\"");
        assertThat(server.bodyBytesServed()).isEqualTo(10_000 + SIZE);
    }

    /** A restart is a retry: with none left, the call fails with the reason, and no part of either version is left. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRestartCountsAgainstTheRetryBudgetAndRunningOutLeavesNoFile(Mode mode) throws IOException {
        byte[] previous = "the previous output".getBytes(StandardCharsets.UTF_8);
        Files.write(target, previous);
        server.script(
                RawHttpServer.cutAfter(CONTENT, 120_000, "ETag", "\"v1\""), RawHttpServer.ranged(V2, "ETag", "\"v2\""));

        Throwable thrown = catchThrowable(() -> download(mode, 1));

        assertThat(thrown)
                .isExactlyInstanceOf(Mka1IoException.class)
                .hasMessageContaining("GET " + FILES + "/" + ID + "/content (attempt 2) failed")
                .hasMessageEndingWith("the file changed on the server during the download (ETag \"v1\", then \"v2\"):"
                        + " it starts again from byte 0");
        assertThat(server.requests()).hasSize(2);
        assertThat(target).hasBinaryContent(previous);
        assertThat(filesInDir()).containsExactly("output.jsonl");
    }

    /**
     * A 416 to a resume from the end whose validator is another version's: the bytes on disk are
     * not that file's, whatever its size. Started again.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aResumeAnswered416ByAnotherVersionStartsTheFileAgain(Mode mode) throws IOException {
        RawHttpServer.Handler v1WithoutItsEnd = exchange -> {
            exchange.head(200, "Content-Type", "application/jsonl", "Transfer-Encoding", "chunked", "ETag", "\"v1\"");
            exchange.raw(Integer.toHexString(SIZE) + "\r\n");
            exchange.body(CONTENT, 0, SIZE);
            exchange.end();
        };
        RawHttpServer.Handler v2PastTheEnd = exchange -> {
            exchange.head(416, "Content-Range", "bytes */" + SIZE, "ETag", "\"v2\"", "Content-Length", "0");
            exchange.end();
        };
        server.script(v1WithoutItsEnd, v2PastTheEnd, RawHttpServer.whole(V2, "ETag", "\"v2\""));

        download(mode, 2);

        assertThat(target).hasBinaryContent(V2);
        assertThat(ranges()).containsExactly("null", "bytes=300000-", "null");
        assertThat(sent("If-Range")).containsExactly("null", "\"v1\"", "null");
    }

    // local file-system failures

    /**
     * The disk fills up while the body is written (the temporary file swapped for a link to
     * {@code /dev/full} as the server answers; at the first attempt, or at a resume): a
     * {@link LocalFileException} naming the operation and the file, not retried, and nothing left.
     */
    @ParameterizedTest
    @CsvSource({"SYNC, 0", "ASYNC, 0", "SYNC, 100000", "ASYNC, 100000"})
    void aFullDiskIsALocalFileExceptionNotRetriedAndLeavesNoFile(Mode mode, int cut) throws IOException {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "a Linux /dev/full");
        Path[] part = new Path[1];
        RawHttpServer.Handler diskFills = exchange -> {
            try (Stream<Path> files = Files.list(dir)) {
                part[0] = files.filter(p -> p.getFileName().toString().endsWith(".part"))
                        .findFirst()
                        .orElseThrow();
            }
            Files.delete(part[0]);
            Files.createSymbolicLink(part[0], full);
            RawHttpServer.ranged(CONTENT).handle(exchange);
        };
        if (cut == 0) {
            server.script(diskFills);
        } else {
            server.script(RawHttpServer.cutAfter(CONTENT, cut), diskFills);
        }

        Throwable thrown = catchThrowable(() -> download(mode, 2));

        assertThat(thrown)
                .isExactlyInstanceOf(LocalFileException.class)
                .hasMessageStartingWith("could not write the download of " + ID + " to " + part[0] + ": ")
                .hasMessageContaining("No space left on device");
        assertThat(((LocalFileException) thrown).operation()).isEqualTo(LocalFileException.Operation.WRITE);
        assertThat(((LocalFileException) thrown).path()).isEqualTo(part[0]);
        assertThat(server.requests()).as("a disk failure is not retried").hasSize(cut == 0 ? 1 : 2);
        assertThat(target).doesNotExist();
        assertThat(filesInDir()).isEmpty();
    }

    /** The temporary file replaced by a directory: it can't be opened for writing. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aTemporaryFileThatCantBeOpenedIsALocalFileException(Mode mode) throws IOException {
        server.script(exchange -> {
            try (Stream<Path> files = Files.list(dir)) {
                Path part = files.filter(p -> p.getFileName().toString().endsWith(".part"))
                        .findFirst()
                        .orElseThrow();
                Files.delete(part);
                Files.createDirectory(part);
            }
            RawHttpServer.whole(CONTENT).handle(exchange);
        });

        Throwable thrown = catchThrowable(() -> download(mode, 2));

        assertThat(thrown)
                .isExactlyInstanceOf(LocalFileException.class)
                .hasMessageStartingWith("could not write the download of " + ID + " to " + dir);
        assertThat(server.requests()).hasSize(1);
        assertThat(filesInDir()).isEmpty();
    }

    /** The target turned into a directory while the file was downloading: it can't be replaced. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aTargetThatCantBeReplacedAtTheEndFailsAndLeavesNoTemporaryFile(Mode mode) throws IOException {
        server.script(exchange -> {
            Files.createDirectories(target.resolve("inside"));
            RawHttpServer.whole(CONTENT).handle(exchange);
        });

        Throwable thrown = catchThrowable(() -> download(mode, 2));

        assertThat(thrown)
                .isExactlyInstanceOf(LocalFileException.class)
                .hasMessageStartingWith("could not move the download of " + ID + " to " + target + ": ");
        assertThat(((LocalFileException) thrown).operation()).isEqualTo(LocalFileException.Operation.MOVE);
        assertThat(((LocalFileException) thrown).path()).isEqualTo(target);
        assertThat(server.requests()).hasSize(1);
        assertThat(filesInDir()).containsExactly("output.jsonl");
        assertThat(target.resolve("inside")).isDirectory();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aTargetThatIsADirectoryOrInAMissingDirectoryIsRefusedBeforeAnyRequest(Mode mode) throws IOException {
        server.script(RawHttpServer.whole(CONTENT));
        try (Mka1Client client = clientBuilder(0).build()) {
            Mode.Files files = mode.files(client);

            assertThatThrownBy(() -> files.download(ID, dir))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("target " + dir + " is a directory; give the path of the file to write");
            Path inAMissingDirectory = dir.resolve("missing").resolve("out.jsonl");
            assertThatThrownBy(() -> files.download(ID, inAMissingDirectory))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the directory of target " + inAMissingDirectory + " does not exist");
            assertThatThrownBy(() -> files.download(ID, null))
                    .isExactlyInstanceOf(NullPointerException.class)
                    .hasMessageContaining("target");
            assertThatThrownBy(() -> files.download(" ", target))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("fileId");
            assertThatThrownBy(() -> files.withOptions(null).download(ID, target))
                    .isExactlyInstanceOf(NullPointerException.class)
                    .hasMessageContaining("options");
        }
        assertThat(server.requests()).isEmpty();
        assertThat(filesInDir()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aDownloadOnAClosedClientThrowsAndLeavesNothingBehind(Mode mode) throws IOException {
        Mka1Client client = clientBuilder(0).build();
        Mode.Files files = mode.files(client);
        client.close();

        assertThatThrownBy(() -> files.download(ID, target)).isExactlyInstanceOf(IllegalStateException.class);

        assertThat(server.requests()).isEmpty();
        assertThat(filesInDir()).isEmpty();
    }

    // interrupt and cancel

    /** What the downloading thread saw: the exception, and its interrupt flag right after. */
    private static final class Outcome {
        volatile Throwable thrown;
        volatile boolean interruptFlag;
    }

    private static Thread downloadIn(Mka1Client client, Path target, Outcome outcome) {
        Thread thread = new Thread(
                () -> {
                    try {
                        client.llm().files().download(ID, target);
                    } catch (Throwable t) {
                        outcome.thrown = t;
                        outcome.interruptFlag = Thread.currentThread().isInterrupted();
                    }
                },
                "downloading-caller");
        thread.start();
        return thread;
    }

    private void assertInterrupted(Outcome outcome) {
        assertThat(outcome.thrown)
                .isExactlyInstanceOf(Mka1IoException.class)
                .hasMessageContaining("was interrupted")
                .hasCauseInstanceOf(InterruptedIOException.class);
        assertThat(outcome.interruptFlag).isTrue();
    }

    /** The body stalls after 100,000 bytes until the client goes away: only the interrupt can end the wait. */
    @Test
    void interruptingAThreadBlockedInADownloadEndsItAndLeavesTheTargetAsItWas() throws Exception {
        byte[] previous = "the previous output".getBytes(StandardCharsets.UTF_8);
        Files.write(target, previous);
        CountDownLatch sent = new CountDownLatch(1);
        CountDownLatch clientGone = new CountDownLatch(1);
        server.script(RawHttpServer.stallAfter(CONTENT, 100_000, sent, clientGone));
        Outcome outcome = new Outcome();

        try (Mka1Client client = clientBuilder(2).build()) {
            Thread caller = downloadIn(client, target, outcome);
            assertThat(sent.await(10, TimeUnit.SECONDS)).isTrue();
            caller.interrupt();
            caller.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(caller.isAlive()).as("still blocked after the interrupt").isFalse();
        }

        assertInterrupted(outcome);
        assertThat(clientGone.await(10, TimeUnit.SECONDS))
                .as("the connection was closed")
                .isTrue();
        assertThat(server.requests()).as("an interrupt is not retried").hasSize(1);
        assertThat(target).hasBinaryContent(previous);
        assertThat(filesInDir()).containsExactly("output.jsonl");
    }

    /**
     * An interrupt that lands once bytes have been received, while they are written to disk, is
     * still the one interrupt exception, not a disk failure (as it would be if the file were
     * written through an interruptible channel). The server answers before the request arrives and
     * the client sends its request only once the answer is out, so the first bytes of the body
     * arrive with the headers; the listener, on the caller's thread, interrupts it once the headers
     * are read, so the body's first read returns buffered bytes and their write to disk is the
     * first step to run interrupted.
     */
    @Test
    void anInterruptWhileReceivedBytesAreWrittenToDiskIsTheInterruptException() throws Exception {
        CountDownLatch sent = new CountDownLatch(1);
        CountDownLatch clientGone = new CountDownLatch(1);
        server.answerBeforeRequest().script(RawHttpServer.stallAfter(CONTENT, 4_000, sent, clientGone));
        OkHttpClient interruptsOnHeaders = new OkHttpClient.Builder()
                .eventListener(new EventListener() {
                    @Override
                    public void connectionAcquired(Call call, okhttp3.Connection connection) {
                        try {
                            assertThat(sent.await(10, TimeUnit.SECONDS)).isTrue();
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    }

                    @Override
                    public void responseHeadersEnd(Call call, Response response) {
                        Thread.currentThread().interrupt();
                    }
                })
                .build();
        Outcome outcome = new Outcome();

        try (Mka1Client client =
                clientBuilder(2).httpClient(interruptsOnHeaders).build()) {
            Thread caller = downloadIn(client, target, outcome);
            caller.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(caller.isAlive()).isFalse();
        }

        assertInterrupted(outcome);
        assertThat(clientGone.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(target).doesNotExist();
        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void cancellingAnAsyncDownloadStopsTheTransferAndLeavesTheTargetAsItWas() throws Exception {
        byte[] previous = "the previous output".getBytes(StandardCharsets.UTF_8);
        Files.write(target, previous);
        CountDownLatch sent = new CountDownLatch(1);
        CountDownLatch clientGone = new CountDownLatch(1);
        server.script(RawHttpServer.stallAfter(CONTENT, 100_000, sent, clientGone));

        try (Mka1Client client = clientBuilder(2).build()) {
            CompletableFuture<Path> download = client.async().llm().files().download(ID, target);
            assertThat(sent.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(download.cancel(true)).isTrue();

            assertThat(clientGone.await(10, TimeUnit.SECONDS))
                    .as("the transfer was stopped")
                    .isTrue();
            assertThat(download).isCancelled();
            assertThat(target).hasBinaryContent(previous);
            assertThat(filesInDir()).containsExactly("output.jsonl");
        }
        assertThat(server.requests()).hasSize(1);
    }
}
