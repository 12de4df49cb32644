package com.mka1.batches.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mka1.batches.errors.LocalFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileLines} hands out the lines of a file and where each starts, in order and by offset,
 * however the lines fall across its read buffer (64 KiB, growing for a longer line) and its windows
 * (32 KiB): compared with a plain split of the bytes by the rule.
 */
class FileLinesTest {
    @TempDir
    Path dir;

    /** A line and the byte offset where it starts. */
    private static final class Line {
        final long start;
        final String text;

        Line(long start, String text) {
            this.start = start;
            this.text = text;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Line && ((Line) o).start == start && ((Line) o).text.equals(text);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(start) * 31 + text.hashCode();
        }

        @Override
        public String toString() {
            return start + ":" + (text.length() > 40 ? text.substring(0, 20) + "...(" + text.length() + ")" : text);
        }
    }

    /** The rule: a line ends at \n, one \r before it is dropped, the end of the file ends the last line. */
    private static List<Line> split(byte[] bytes) {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines.add(new Line(start, decode(bytes, start, i)));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            lines.add(new Line(start, decode(bytes, start, bytes.length)));
        }
        return lines;
    }

    private static String decode(byte[] bytes, int from, int to) {
        int end = to > from && bytes[to - 1] == '\r' ? to - 1 : to;
        return new String(bytes, from, end - from, StandardCharsets.UTF_8);
    }

    private Path write(String text) throws IOException {
        Path file = Files.createTempFile(dir, "lines", ".jsonl");
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private static List<Line> inOrder(Path file) {
        List<Line> lines = new ArrayList<>();
        try (FileLines in = FileLines.open(file)) {
            while (in.next()) {
                lines.add(new Line(in.lineStart(), in.line()));
            }
            assertThat(in.next()).as("still at the end").isFalse();
            assertThat(in.line()).isNull();
        }
        return lines;
    }

    private static List<Line> byOffset(Path file, List<Line> expected) {
        List<Line> lines = new ArrayList<>();
        try (FileLines in = FileLines.open(file)) {
            for (Line line : expected) {
                lines.add(new Line(line.start, in.lineAt(line.start)));
            }
        }
        return lines;
    }

    private void readsAsSplit(String text) throws IOException {
        Path file = write(text);
        List<Line> expected = split(Files.readAllBytes(file));
        assertThat(inOrder(file)).as("in order").isEqualTo(expected);
        assertThat(byOffset(file, expected)).as("by offset, in order").isEqualTo(expected);
        List<Line> reversed = new ArrayList<>(expected);
        Collections.reverse(reversed);
        assertThat(byOffset(file, reversed)).as("by offset, backwards").isEqualTo(reversed);
        List<Line> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(7));
        assertThat(byOffset(file, shuffled)).as("by offset, shuffled").isEqualTo(shuffled);
    }

    @Test
    void linesEndAtNewlineOneCarriageReturnBeforeItIsDroppedAndTheEndOfTheFileEndsTheLast() throws IOException {
        Path file = write("a\nb\r\nc\rd\n\ne\r\r\nf");
        assertThat(inOrder(file))
                .containsExactly(
                        new Line(0, "a"),
                        new Line(2, "b"),
                        new Line(5, "c\rd"),
                        new Line(9, ""),
                        new Line(10, "e\r"),
                        new Line(14, "f"));
        try (FileLines in = FileLines.open(file)) {
            assertThat(in.lineAt(14)).isEqualTo("f");
            assertThat(in.lineAt(9)).isEqualTo("");
            assertThat(in.lineAt(10)).isEqualTo("e\r");
            assertThat(in.lineAt(2)).isEqualTo("b");
            assertThat(in.lineAt(0)).isEqualTo("a");
            assertThat(in.lineAt(5)).isEqualTo("c\rd");
        }
    }

    @Test
    void emptyLinesAtTheStartAndAnEmptyFile() throws IOException {
        readsAsSplit("\n\r\n\nx\n");
        readsAsSplit("\r\n");
        readsAsSplit("no newline at all");
        assertThat(inOrder(write(""))).isEmpty();
        Path file = write("\n\nb\n");
        try (FileLines in = FileLines.open(file)) {
            assertThat(in.lineAt(1))
                    .as("an empty line read first, at the start of its window")
                    .isEqualTo("");
            assertThat(in.lineAt(0)).isEqualTo("");
            assertThat(in.lineAt(2)).isEqualTo("b");
        }
    }

    @Test
    void linesAcrossTheBufferAndTheWindows() throws IOException {
        Random random = new Random(42);
        StringBuilder text = new StringBuilder();
        while (text.length() < 300_000) {
            int length = random.nextInt(random.nextInt(10) == 0 ? 5000 : 120);
            for (int i = 0; i < length; i++) {
                text.append(random.nextInt(20) == 0 ? '\u00e9' : (char) ('a' + random.nextInt(26)));
            }
            text.append(random.nextBoolean() ? "\r\n" : "\n");
        }
        text.append("last line without a newline");
        readsAsSplit(text.toString());
    }

    @Test
    void aCarriageReturnAndNewlineSplitByTheEndOfTheBuffer() throws IOException {
        readsAsSplit("x".repeat(65535) + "\r\n" + "y\r\n");
        readsAsSplit("x".repeat(65534) + "\r\n" + "y\r\n");
        readsAsSplit("x".repeat(32767) + "\r\n" + "y\r\n" + "x".repeat(32760) + "\r\nz");
    }

    @Test
    void linesLongerThanTheBufferAndTheWindows() throws IOException {
        readsAsSplit(
                "short\n" + "a".repeat(40_000) + "\n" + "b".repeat(70_000) + "\r\n" + "c".repeat(300_000) + "\nend\n");
        readsAsSplit("short\n" + "x".repeat(200_000));
        readsAsSplit("x".repeat(32_768) + "\n" + "y".repeat(65_536) + "\n" + "z".repeat(131_072));
    }

    @Test
    void linesStartingInOneWindowAndEndingInTheNext() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 200_000; i++) {
            text.append("line ")
                    .append(i)
                    .append(' ')
                    .append("p".repeat(i % 1000))
                    .append('\n');
        }
        Path file = write(text.toString());
        List<Line> expected = split(Files.readAllBytes(file));
        try (FileLines in = FileLines.open(file)) {
            // Each line by offset, then the one just before it, then the first: windows are reused and
            // a line that crosses a window's end is read whole.
            for (int i = 1; i < expected.size(); i++) {
                assertThat(in.lineAt(expected.get(i).start)).isEqualTo(expected.get(i).text);
                assertThat(in.lineAt(expected.get(i - 1).start)).isEqualTo(expected.get(i - 1).text);
                assertThat(in.lineAt(0)).isEqualTo(expected.get(0).text);
            }
        }
    }

    @Test
    void readingInOrderAndByOffsetAtOnceDoNotDisturbEachOther() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append("{\"n\":").append(i).append("}\r\n");
        }
        Path file = write(text.toString());
        List<Line> expected = split(Files.readAllBytes(file));
        try (FileLines in = FileLines.open(file)) {
            for (int i = 0; i < expected.size(); i++) {
                assertThat(in.next()).isTrue();
                assertThat(new Line(in.lineStart(), in.line())).isEqualTo(expected.get(i));
                Line other = expected.get(expected.size() - 1 - i);
                assertThat(in.lineAt(other.start)).isEqualTo(other.text);
            }
            assertThat(in.next()).isFalse();
        }
    }

    @Test
    void aMissingFileIsALocalFileExceptionNamingIt() {
        Path missing = dir.resolve("missing.jsonl");
        try (FileLines in = FileLines.open(missing)) {
            for (ThrowingCallable read : List.<ThrowingCallable>of(in::next, () -> in.lineAt(12))) {
                assertThatThrownBy(read)
                        .isInstanceOfSatisfying(LocalFileException.class, e -> {
                            assertThat(e.operation()).isEqualTo(LocalFileException.Operation.READ);
                            assertThat(e.path()).isEqualTo(missing);
                        })
                        .hasMessageStartingWith("could not read the run's file " + missing + ": ");
            }
        }
    }

    @Test
    void closeReleasesTheFile() throws IOException {
        Path fds = Paths.get("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
        Path file = write("a\nb\n");
        FileLines in = FileLines.open(file);
        assertThat(openHandles(file)).isZero();
        assertThat(in.next()).isTrue();
        assertThat(in.lineAt(2)).isEqualTo("b");
        assertThat(openHandles(file))
                .as("the stream for next() and the channel for lineAt()")
                .isEqualTo(2);
        in.close();
        assertThat(openHandles(file)).isZero();

        FileLines onlyByOffset = FileLines.open(file);
        assertThat(onlyByOffset.lineAt(0)).isEqualTo("a");
        assertThat(openHandles(file)).isEqualTo(1);
        onlyByOffset.close();
        assertThat(openHandles(file)).isZero();
    }

    /** How many of this process's file descriptors are open on {@code file}. */
    private static long openHandles(Path file) throws IOException {
        Path real = file.toRealPath();
        try (Stream<Path> fds = Files.list(Paths.get("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).equals(real);
                        } catch (IOException | UnsupportedOperationException e) {
                            return false; // closed meanwhile, or not a link
                        }
                    })
                    .count();
        }
    }

    /**
     * A file's channel that counts the reads and the bytes they hand out, and hands out at most
     * {@code most} bytes a read, as a channel may.
     */
    private static final class CountingChannel extends FileChannel {
        private final FileChannel file;
        private final int most;
        int reads;
        long bytes;

        CountingChannel(Path path, int most) throws IOException {
            this.file = FileChannel.open(path, StandardOpenOption.READ);
            this.most = most;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            reads++;
            ByteBuffer slice = dst.duplicate();
            slice.limit((int) Math.min(dst.limit(), (long) dst.position() + most));
            int n = file.read(slice, position);
            if (n > 0) {
                dst.position(dst.position() + n);
                bytes += n;
            }
            return n;
        }

        @Override
        public int read(ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public FileChannel position(long newPosition) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public FileChannel truncate(long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void force(boolean metaData) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(ByteBuffer src, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }
    }

    /** Lines of about 100 bytes, {@code size} bytes in all. */
    private Path shortLines(int size) throws IOException {
        StringBuilder text = new StringBuilder();
        Random random = new Random(3);
        for (int i = 0; text.length() < size; i++) {
            text.append("{\"custom_id\":\"")
                    .append(i)
                    .append("\",\"body\":\"")
                    .append("x".repeat(60 + random.nextInt(40)))
                    .append("\"}\n");
        }
        return write(text.toString());
    }

    @Test
    void linesReadByOffsetInOrderReadTheFileAboutOnce() throws IOException {
        Path file = shortLines(400_000);
        List<Line> expected = split(Files.readAllBytes(file));
        // As results come back in order: each line twice (for the output and the error file).
        List<Line> order = new ArrayList<>();
        for (Line line : expected) {
            order.add(line);
            order.add(line);
        }
        CountingChannel[] channel = new CountingChannel[1];
        try (FileLines in = FileLines.open(file, f -> channel[0] = new CountingChannel(f, Integer.MAX_VALUE))) {
            for (Line line : order) {
                assertThat(in.lineAt(line.start)).isEqualTo(line.text);
            }
        }
        assertThat(channel[0].bytes)
                .as("bytes read for a file of %d", Files.size(file))
                .isLessThan(Files.size(file) * 5 / 4);
        assertThat(channel[0].isOpen()).as("closed with the lines").isFalse();
    }

    @Test
    void fourCursorsFarApartInTheFileEachKeepTheirWindow() throws IOException {
        Path file = shortLines(400_000);
        List<Line> expected = split(Files.readAllBytes(file));
        int quarter = expected.size() / 4;
        CountingChannel[] channel = new CountingChannel[1];
        try (FileLines in = FileLines.open(file, f -> channel[0] = new CountingChannel(f, Integer.MAX_VALUE))) {
            for (int i = 0; i < quarter; i++) {
                for (int cursor = 0; cursor < 4; cursor++) {
                    Line line = expected.get(cursor * quarter + i);
                    assertThat(in.lineAt(line.start)).isEqualTo(line.text);
                }
            }
        }
        assertThat(channel[0].bytes)
                .as("bytes read for a file of %d", Files.size(file))
                .isLessThan(Files.size(file) * 5 / 4);
    }

    @Test
    void aChannelHandingOutFewBytesAReadStillFillsEachWindow() throws IOException {
        Path file = shortLines(200_000);
        List<Line> expected = split(Files.readAllBytes(file));
        CountingChannel[] channel = new CountingChannel[1];
        try (FileLines in = FileLines.open(file, f -> channel[0] = new CountingChannel(f, 1000))) {
            for (Line line : expected) {
                assertThat(in.lineAt(line.start)).isEqualTo(line.text);
            }
            assertThat(in.lineAt(expected.get(0).start)).isEqualTo(expected.get(0).text);
        }
        assertThat(channel[0].bytes).isLessThan(Files.size(file) * 5 / 4);
        assertThat(channel[0].reads).as("reads of at most 1000 bytes").isLessThan((int)
                (Files.size(file) / 1000 * 5 / 4));
    }
}
