package com.mka1.batches;

import static com.mka1.batches.TestSupport.FILES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code files().download(id, path)} writes the caller's path and nothing else, whatever name the
 * server gives the file, and refuses a target it can't write as a file before sending anything.
 * Served by {@link RawHttpServer}, like {@link FileDownloadTest}, which proves the rest: a
 * directory or a missing directory refused before any request
 * ({@link FileDownloadTest#aTargetThatIsADirectoryOrInAMissingDirectoryIsRefusedBeforeAnyRequest}),
 * and no temporary file left by a download that fails, is interrupted or cancelled.
 *
 * <p>The download never asks for the file's metadata (where the API gives its {@code filename});
 * the server here offers hostile names anyway, in {@code Content-Disposition} on every response.
 */
class FileSecurityTest {
    private static final String ID = "file-out789";
    private static final int SIZE = 50_000;
    private static final byte[] CONTENT = new byte[SIZE];

    static {
        new Random(7).nextBytes(CONTENT);
    }

    /** The whole tree the test may touch; the download's directory is two levels down in it. */
    @TempDir
    Path root;

    private Path dir;
    private Path target;
    private RawHttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = new RawHttpServer();
        dir = Files.createDirectories(root.resolve("a").resolve("b"));
        target = dir.resolve("output.jsonl");
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private Mka1Client client() {
        return Mka1Client.builder()
                .apiKey(ResilienceSupport.API_KEY)
                .baseUrl(server.baseUrl())
                .sleeper(new FakeTime())
                .requestOptions(RequestOptions.builder().maxRetries(2).build())
                .build();
    }

    static Stream<Arguments> hostileNames() {
        List<String> names = List.of(
                "../../x.jsonl",
                "../../../../../../../../../../tmp/x.jsonl",
                "/etc/passwd",
                "C:\\x.jsonl",
                "..\\..\\x.jsonl",
                "..",
                ".",
                ".bash_profile",
                "output.jsonl/../../x.jsonl",
                "nul\u0000x.jsonl",
                "ctl\u0001\u001b[31m\r\nx.jsonl",
                "x".repeat(5_000) + ".jsonl");
        List<Arguments> cases = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            for (String name : names) {
                cases.add(Arguments.of(mode, name));
            }
        }
        return cases.stream();
    }

    /**
     * A download that is cut and resumed, both responses naming the file {@code name}: afterwards
     * the tree under the temp root holds exactly what it held before plus the target (so no
     * temporary {@code .part} file and nothing named after the server's name, in the target's
     * directory, its parent or anywhere else), the file where {@code ../../x.jsonl} would land
     * is as it was, the working directory gained nothing, and {@code /etc/passwd} is unchanged.
     */
    @ParameterizedTest(name = "{0} {index}")
    @MethodSource("hostileNames")
    void whateverNameTheServerGivesOnlyTheCallersPathIsWritten(Mode mode, String name) throws IOException {
        byte[] neighbour = "a neighbour".getBytes(StandardCharsets.UTF_8);
        Path whereTheNameLeads = Files.write(root.resolve("x.jsonl"), neighbour);
        server.script(serving(name, 20_000), serving(name, Integer.MAX_VALUE));
        Set<String> before = tree(root);
        Set<String> workingDirBefore = listing(Paths.get("").toAbsolutePath());
        byte[] passwd = readIfPresent(Paths.get("/etc/passwd"));

        Path written;
        try (Mka1Client client = client()) {
            written = mode.files(client).download(ID, target);
        }

        assertThat(written).isEqualTo(target);
        assertThat(target).hasBinaryContent(CONTENT);
        Set<String> added = new TreeSet<>(tree(root));
        added.removeAll(before);
        assertThat(added).as("what the download added under the temp root").containsExactly("a/b/output.jsonl");
        assertThat(tree(root)).as("nothing went away").containsAll(before);
        assertThat(listing(dir)).containsExactly("output.jsonl");
        assertThat(listing(dir.getParent())).containsExactly("b");
        assertThat(whereTheNameLeads).hasBinaryContent(neighbour);
        assertThat(listing(Paths.get("").toAbsolutePath())).isEqualTo(workingDirBefore);
        assertThat(readIfPresent(Paths.get("/etc/passwd"))).isEqualTo(passwd);
        // The content and its resume, nothing else: not the file's metadata, where its name is.
        assertThat(server.requests())
                .extracting(r -> r.method + " " + r.target)
                .containsExactly("GET " + FILES + "/" + ID + "/content", "GET " + FILES + "/" + ID + "/content");
        assertThat(server.requests().get(1).header("Range")).isEqualTo("bytes=20000-");
    }

    /**
     * A symbolic link to a directory is a directory to {@code download}: refused, naming the
     * path, before any request, and nothing appears in the directory it points to.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aTargetThatIsASymbolicLinkToADirectoryIsRefusedBeforeAnyRequest(Mode mode) throws IOException {
        Path elsewhere = Files.createDirectory(root.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(dir.resolve("link-to-dir"), elsewhere);
        server.script(RawHttpServer.whole(CONTENT));

        try (Mka1Client client = client()) {
            Mode.Files files = mode.files(client);
            assertThatThrownBy(() -> files.download(ID, link))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("target " + link + " is a directory; give the path of the file to write");
        }

        assertThat(server.requests()).isEmpty();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(listing(elsewhere)).isEmpty();
        assertThat(listing(dir)).containsExactly("link-to-dir");
    }

    /**
     * A target that is a symbolic link to a file (or to nothing yet) is replaced by the download:
     * the link's path now holds the content, and the file it pointed to, outside the path the
     * caller named, is untouched (or never created).
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aTargetThatIsASymbolicLinkIsReplacedAndWhatItPointsToIsNotWritten(Mode mode) throws IOException {
        Path elsewhere = Files.createDirectory(root.resolve("elsewhere"));
        byte[] precious = "not to be overwritten".getBytes(StandardCharsets.UTF_8);
        Path pointedTo = Files.write(elsewhere.resolve("precious"), precious);
        Path link = Files.createSymbolicLink(target, pointedTo);
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.jsonl"), elsewhere.resolve("planted"));
        server.script(RawHttpServer.whole(CONTENT));

        try (Mka1Client client = client()) {
            mode.files(client).download(ID, link);
            mode.files(client).download(ID, dangling);
        }

        for (Path replaced : List.of(link, dangling)) {
            assertThat(Files.isSymbolicLink(replaced))
                    .as("%s is still a link", replaced)
                    .isFalse();
            assertThat(replaced).hasBinaryContent(CONTENT);
        }
        assertThat(pointedTo).hasBinaryContent(precious);
        assertThat(listing(elsewhere)).containsExactly("precious");
        assertThat(listing(dir)).containsExactly("dangling.jsonl", "output.jsonl");
    }

    /** 200 with the whole file announced, ended after {@code n} bytes; 206 from a {@code Range}; both naming it {@code name}. */
    private static RawHttpServer.Handler serving(String name, int n) {
        String disposition = "attachment; filename*=UTF-8''" + percentEncoded(name);
        if (name.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"')) {
            disposition += "; filename=\"" + name + "\"";
        }
        String contentDisposition = disposition;
        return exchange -> {
            int from = (int) Math.max(0, RawHttpServer.rangeStart(exchange.request));
            if (from > 0) {
                exchange.head(
                        206,
                        "Content-Type",
                        "application/jsonl",
                        "Content-Disposition",
                        contentDisposition,
                        "Content-Range",
                        "bytes " + from + "-" + (SIZE - 1) + "/" + SIZE,
                        "Content-Length",
                        String.valueOf(SIZE - from));
            } else {
                exchange.head(
                        200,
                        "Content-Type",
                        "application/jsonl",
                        "Content-Disposition",
                        contentDisposition,
                        "Content-Length",
                        String.valueOf(SIZE));
            }
            exchange.body(CONTENT, from, (int) Math.min(SIZE, (long) from + n));
            exchange.end();
        };
    }

    /** RFC 8187's value-chars: letters, digits and a few marks as they are, every other byte as %XX. */
    private static String percentEncoded(String name) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((Character.isLetterOrDigit(c) && c < 0x80) || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return encoded.toString();
    }

    /** Every file and directory under {@code top}, as paths relative to it with {@code /} between names. */
    private static Set<String> tree(Path top) throws IOException {
        try (Stream<Path> paths = Files.walk(top)) {
            return paths.filter(p -> !p.equals(top))
                    .map(p -> top.relativize(p)
                            .toString()
                            .replace(p.getFileSystem().getSeparator(), "/"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> listing(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static byte[] readIfPresent(Path file) throws IOException {
        return Files.isReadable(file) ? Files.readAllBytes(file) : null;
    }
}
