package com.mka1.batches.cli;

import static com.mka1.batches.cli.BatchCommandsTest.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import com.mka1.batches.sandbox.FaultSpec;
import com.mka1.batches.sandbox.SandboxOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code files download}: where it writes, what it refuses to replace, its progress on stderr,
 * and the resume after a broken connection.
 */
class FileDownloadCommandTest {
    @RegisterExtension
    static final CliHarness cli = new CliHarness();

    @Test
    void writesTheFileUnderItsOwnNameInTheWorkingDirectory() throws IOException {
        byte[] content = "{\"a\":1}\n{\"a\":2}\n".getBytes(StandardCharsets.UTF_8);
        FileObject file = cli.upload(content, "data.jsonl", FilePurpose.BATCH);
        Path expected = cli.dir().resolve("data.jsonl");

        CliHarness.Result result = cli.run("files", "download", file.getId());

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(result.out).isEqualTo(expected + System.lineSeparator());
        assertThat(Files.readAllBytes(expected)).isEqualTo(content);
        assertThat(lines(result.err))
                .containsExactly(
                        "Downloading " + file.getId() + " (" + content.length + " bytes) to " + expected,
                        file.getId() + ": " + content.length + "/" + content.length + " bytes (100%)");
        assertThat(filesIn(cli.dir())).containsExactly("data.jsonl");
    }

    @Test
    void anExistingFileIsReplacedOnlyWithForce() throws IOException {
        FileObject file = cli.upload(bytes("new"), "data.jsonl", FilePurpose.BATCH);
        Path existing = Files.write(cli.dir().resolve("data.jsonl"), bytes("old"));

        CliHarness.Result refused = cli.run("files", "download", file.getId());

        assertThat(refused.exitCode).as(refused.toString()).isEqualTo(2);
        assertThat(lines(refused.err))
                .containsExactly("mka1-batches: " + existing
                        + " already exists: add --force to replace it, or choose another path with --out");
        assertThat(refused.out).isEmpty();
        assertThat(Files.readAllBytes(existing)).isEqualTo(bytes("old"));
        assertThat(cli.sandbox.requestCount(SandboxOperation.GET_FILE_CONTENT)).isZero();

        CliHarness.Result forced = cli.run("files", "download", file.getId(), "--force");

        assertThat(forced.exitCode).as(forced.toString()).isZero();
        assertThat(Files.readAllBytes(existing)).isEqualTo(bytes("new"));
    }

    @Test
    void anExistingOutIsRefusedBeforeAnyRequest() throws IOException {
        Files.write(cli.dir().resolve("taken.jsonl"), bytes("old"));

        CliHarness.Result result =
                cli.run("files", "download", "file_000000000000000000000000", "--out", "taken.jsonl");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(lines(result.err))
                .containsExactly("mka1-batches: taken.jsonl already exists:"
                        + " add --force to replace it, or choose another path with --out");
        assertThat(cli.sandbox.requestCount()).isZero();
    }

    @Test
    void outNamesTheFileOrTheDirectoryToWriteIn() throws IOException {
        FileObject file = cli.upload(bytes("content"), "data.jsonl", FilePurpose.BATCH);
        Files.createDirectory(cli.dir().resolve("into"));

        CliHarness.Result named = cli.run("files", "download", file.getId(), "--out", "renamed.jsonl");
        CliHarness.Result intoDirectory = cli.run("files", "download", file.getId(), "--out", "into");

        assertThat(named.exitCode).as(named.toString()).isZero();
        assertThat(named.out.trim())
                .isEqualTo(cli.dir().resolve("renamed.jsonl").toString());
        assertThat(Files.readAllBytes(cli.dir().resolve("renamed.jsonl"))).isEqualTo(bytes("content"));
        assertThat(intoDirectory.exitCode).as(intoDirectory.toString()).isZero();
        assertThat(Files.readAllBytes(cli.dir().resolve("into").resolve("data.jsonl")))
                .isEqualTo(bytes("content"));
    }

    @Test
    void aMissingDirectoryInOutIsAUsageError() {
        CliHarness.Result result =
                cli.run("files", "download", "file_000000000000000000000000", "--out", "no/such.jsonl");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(lines(result.err))
                .containsExactly("mka1-batches: the directory of --out no/such.jsonl does not exist");
        assertThat(cli.sandbox.requestCount()).isZero();
    }

    @Test
    void aServerGivenNameNeverLeavesTheDirectory() throws IOException {
        FileObject sneaky = cli.upload(bytes("x"), "../../escaped.jsonl", FilePurpose.BATCH);
        FileObject dots = cli.upload(bytes("y"), "..", FilePurpose.BATCH);

        CliHarness.Result stripped = cli.run("files", "download", sneaky.getId());
        CliHarness.Result unusable = cli.run("files", "download", dots.getId());

        assertThat(stripped.exitCode).as(stripped.toString()).isZero();
        assertThat(stripped.out.trim())
                .isEqualTo(cli.dir().resolve("escaped.jsonl").toString());
        assertThat(cli.dir().getParent().resolve("escaped.jsonl")).doesNotExist();
        assertThat(unusable.exitCode).isEqualTo(2);
        assertThat(lines(unusable.err))
                .containsExactly("mka1-batches: file " + dots.getId()
                        + " is named '..', which cannot be a local file name: choose one with --out");
    }

    /**
     * The one place a server's name becomes a local one: a name that would be a hidden file (a
     * server could plant {@code ~/.bash_profile} in a user downloading in their home directory),
     * that holds a control character (a terminal escape; shown escaped in the message) or a
     * {@code ':'} (a Windows drive or stream) is refused before the content is asked for, and
     * nothing is written; {@code --out} still downloads it.
     */
    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("refusedNames")
    void aServerGivenNameThatIsHiddenOrHoldsAControlCharacterOrAColonIsRefused(String name, String shown)
            throws IOException {
        FileObject file = cli.upload(bytes("x"), name, FilePurpose.BATCH);
        assertThat(file.getFilename()).as("the sandbox keeps the name as given").isEqualTo(name);

        CliHarness.Result refused = cli.run("files", "download", file.getId());

        assertThat(refused.exitCode).as(refused.toString()).isEqualTo(2);
        assertThat(lines(refused.err))
                .containsExactly("mka1-batches: file " + file.getId() + " is named '" + shown
                        + "', which cannot be a local file name: choose one with --out");
        assertThat(refused.out).isEmpty();
        assertThat(cli.sandbox.requestCount(SandboxOperation.GET_FILE_CONTENT)).isZero();
        assertThat(filesIn(cli.dir())).isEmpty();

        CliHarness.Result named = cli.run("files", "download", file.getId(), "--out", "chosen.jsonl");

        assertThat(named.exitCode).as(named.toString()).isZero();
        assertThat(filesIn(cli.dir())).containsExactly("chosen.jsonl");
    }

    /** A name the sandbox keeps as uploaded, and the name as the message shows it (see also {@link #localNameRefuses}). */
    static Stream<Arguments> refusedNames() {
        return Stream.of(
                Arguments.of(".bash_profile", ".bash_profile"),
                Arguments.of("../../.bashrc", "../../.bashrc"),
                Arguments.of("reports/.hidden.jsonl", "reports/.hidden.jsonl"),
                Arguments.of("  .profile", "  .profile"),
                Arguments.of("C:evil.jsonl", "C:evil.jsonl"),
                Arguments.of("data.jsonl:stream", "data.jsonl:stream"),
                Arguments.of("\u001b]0;owned\u0007.jsonl", "\\u001b]0;owned\\u0007.jsonl"),
                Arguments.of("nul\u0000.jsonl", "nul\\u0000.jsonl"),
                Arguments.of("del\u007f.jsonl", "del\\u007f.jsonl"),
                Arguments.of("tab\there.jsonl", "tab\\u0009here.jsonl"),
                Arguments.of("trailing.jsonl\u0001", "trailing.jsonl\\u0001"),
                Arguments.of("\u202egnp.jsonl", "\\u202egnp.jsonl"),
                Arguments.of("CON.jsonl", "CON.jsonl"));
    }

    /**
     * The same rule for names an upload to the sandbox can't carry: CR and LF (the client escapes
     * them in the multipart header) and backslashes (the sandbox reads them as escapes).
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                ".",
                "..",
                "",
                " ",
                ".x",
                "a/.x",
                "a\\.x",
                "C:\\Users\\x.jsonl",
                "a\nb",
                "a\rb",
                "line\n",
                "\u0085next",
                "\u009bcsi",
                "c:",
                "a:b",
                "x/",
                "evil\u2066.jsonl",
                "a\u200fb",
                "CON",
                "nul",
                "aux.jsonl",
                "Com1.txt",
                "LPT9",
                "prn.",
                "dir/NUL.tar.gz"
            })
    void localNameRefuses(String name) {
        assertThat(LocalFiles.localName(name)).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "data.jsonl                | data.jsonl",
                "../../escaped.jsonl       | escaped.jsonl",
                "/etc/passwd               | passwd",
                "..\\..\\win.jsonl         | win.jsonl",
                "out.v2.jsonl              | out.v2.jsonl",
                "'  padded.jsonl  '        | padded.jsonl",
                "résultats 2024 (été).jsonl | résultats 2024 (été).jsonl",
                "dir/.hidden/out.jsonl     | out.jsonl",
                "console.jsonl             | console.jsonl",
                "com10.jsonl               | com10.jsonl",
                "nullable.jsonl            | nullable.jsonl",
            })
    void localNameKeepsTheLastSegmentOfAnOrdinaryName(String name, String expected) {
        assertThat(LocalFiles.localName(name)).isEqualTo(expected);
    }

    @Test
    void anOrdinaryNameWithSpacesAndAccentsIsStillWrittenUnderItsName() throws IOException {
        FileObject file = cli.upload(bytes("content"), "résultats 2024 (été).jsonl", FilePurpose.BATCH);

        CliHarness.Result result = cli.run("files", "download", file.getId());

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(Files.readAllBytes(cli.dir().resolve("résultats 2024 (été).jsonl")))
                .isEqualTo(bytes("content"));
        assertThat(filesIn(cli.dir())).containsExactly("résultats 2024 (été).jsonl");
    }

    @Test
    void aBrokenConnectionIsResumedWhereItStoppedAndSaidSo() throws IOException {
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) ('a' + i % 26);
        }
        FileObject file = cli.upload(content, "big.jsonl", FilePurpose.BATCH);
        cli.sandbox.injectFault(FaultSpec.cutBodyAfter(100_000).on(SandboxOperation.GET_FILE_CONTENT));

        CliHarness.Result result = cli.run("files", "download", file.getId());

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(Files.readAllBytes(cli.dir().resolve("big.jsonl"))).isEqualTo(content);
        assertThat(cli.sandbox.requests(SandboxOperation.GET_FILE_CONTENT)).hasSize(2);
        assertThat(cli.sandbox
                        .requests(SandboxOperation.GET_FILE_CONTENT)
                        .get(1)
                        .header("Range"))
                .hasValue("bytes=100000-");
        List<String> progress = lines(result.err);
        assertThat(progress).contains(file.getId() + ": the connection broke; resuming from byte 100000");
        assertThat(progress).last().isEqualTo(file.getId() + ": 300000/300000 bytes (100%)");
        List<String> counts =
                progress.stream().filter(line -> line.endsWith("%)")).collect(Collectors.toList());
        assertThat(counts).hasSizeBetween(2, 10);
        assertThat(counts).isSortedAccordingTo((a, b) -> Long.compare(position(a), position(b)));
        assertThat(result.err).doesNotContain("\r");
        assertThat(filesIn(cli.dir())).containsExactly("big.jsonl");
    }

    @Test
    void onATerminalTheProgressIsABarRedrawnInPlace() {
        byte[] content = new byte[200_000];
        FileObject file = cli.upload(content, "zeros.bin", FilePurpose.USER_DATA);
        cli.terminal = true;

        CliHarness.Result result = cli.run("files", "download", file.getId());

        assertThat(result.exitCode).as(result.toString()).isZero();
        assertThat(lines(result.err).get(0))
                .isEqualTo("Downloading " + file.getId() + " (200000 bytes) to "
                        + cli.dir().resolve("zeros.bin"));
        String[] frames = result.err.split("\r");
        assertThat(frames.length).as("at most one frame per percent").isBetween(2, 103);
        assertThat(frames[frames.length - 1]).contains("100%").contains("KiB");
    }

    @Test
    void jsonSaysWhatWasWrittenWhere() {
        FileObject file = cli.upload(bytes("abc"), "data.jsonl", FilePurpose.BATCH);

        CliHarness.Result result = cli.run("files", "download", file.getId(), "-o", "json");

        assertThat(result.exitCode).as(result.toString()).isZero();
        JsonObject json = JsonParser.parseString(result.out).getAsJsonObject();
        assertThat(json.get("id").getAsString()).isEqualTo(file.getId());
        assertThat(json.get("filename").getAsString()).isEqualTo("data.jsonl");
        assertThat(json.get("bytes").getAsLong()).isEqualTo(3);
        assertThat(json.get("path").getAsString())
                .isEqualTo(cli.dir().resolve("data.jsonl").toString());
    }

    @Test
    void anUnknownFileIsNotFoundAndWritesNothing() throws IOException {
        CliHarness.Result result = cli.run("files", "download", "file_000000000000000000000000");

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(lines(result.err)).hasSize(1);
        assertThat(result.err).startsWith("mka1-batches: HTTP 404");
        assertThat(filesIn(cli.dir())).isEmpty();
    }

    private static long position(String progressLine) {
        return Long.parseLong(progressLine.substring(progressLine.indexOf(": ") + 2, progressLine.indexOf('/')));
    }

    private static List<String> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
