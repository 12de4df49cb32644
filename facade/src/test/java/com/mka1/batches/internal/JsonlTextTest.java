package com.mka1.batches.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonlText.Lines} splits a text as the API does, however its lines fall across the buffer
 * and however the reader hands the text over: compared with a plain split by the rule on many texts,
 * buffer sizes and read sizes.
 */
class JsonlTextTest {
    private static final int[] BUFFER_SIZES = {1, 2, 3, 5, 8, 16, 8192};

    @Test
    void linesEndAtNewlineOneCarriageReturnBeforeItIsDroppedAndALoneOneBelongsToItsLine() {
        assertThat(lines("a\nb\r\nc\rd\n\ne\r\r\nf", 8192, 8192)).containsExactly("a", "b", "c\rd", "", "e\r", "f");
        assertThat(lines("", 8192, 8192)).isEmpty();
        assertThat(lines("\n", 8192, 8192)).containsExactly("");
        assertThat(lines("a\n", 8192, 8192)).containsExactly("a");
        assertThat(lines("a\r", 8192, 8192)).as("a final \\r, as before a \\n").containsExactly("a");
        assertThat(lines("\r", 8192, 8192)).containsExactly("");
    }

    /** Text that has no UTF-8 form is an unpaired surrogate; a pair is one character, wherever it stands. */
    @Test
    void notUtf8FindsTheFirstUnpairedSurrogate() {
        String pair = "\uD83D\uDE00";
        assertThat(JsonlText.notUtf8("")).isEqualTo(-1);
        assertThat(JsonlText.notUtf8("plain text, é and ü")).isEqualTo(-1);
        assertThat(JsonlText.notUtf8(pair)).isEqualTo(-1);
        assertThat(JsonlText.notUtf8("a" + pair + "b" + pair)).isEqualTo(-1);
        assertThat(JsonlText.notUtf8("\uD83D"))
                .as("a high surrogate at the end")
                .isEqualTo(0);
        assertThat(JsonlText.notUtf8("ab\uD83D")).isEqualTo(2);
        assertThat(JsonlText.notUtf8("ab\uDE00c")).as("a lone low surrogate").isEqualTo(2);
        assertThat(JsonlText.notUtf8("\uD83Da")).isEqualTo(0);
        assertThat(JsonlText.notUtf8("\uDE00\uD83D"))
                .as("low then high is no pair")
                .isEqualTo(0);
        assertThat(JsonlText.notUtf8(pair + "\uD83D\uD83D" + pair)).isEqualTo(2);
        assertThat(JsonlText.notUtf8(pair + pair + "\uDE00")).isEqualTo(4);
        assertThat(JsonlText.notUtf8(String.valueOf(JsonlText.NOT_UTF8))).isEqualTo(0);
    }

    @Test
    void everyTextIsSplitAlikeWhateverTheBufferAndTheReadSizes() {
        List<String> texts = new ArrayList<>(List.of(
                "",
                "\n",
                "\n\n",
                "\r",
                "\r\n",
                "\r\r\n",
                "\n\r",
                "a",
                "a\n",
                "a\r\n",
                "a\r",
                "a\rb",
                "a\rb\n",
                "ab\r\ncd\r\n",
                "\r\n\r\n",
                "x".repeat(40) + "\r\n" + "y".repeat(17) + "\n" + "z".repeat(9),
                "caf\u00e9 \ud83d\ude00\n\u00e9\r\n",
                "x".repeat(8191) + "\r\n" + "y".repeat(8192) + "\n" + "z".repeat(8193) + "\r\n",
                "x".repeat(20000) + "\r",
                "x".repeat(8191) + "\r\n",
                "x".repeat(8192) + "\r\n",
                "x".repeat(8193)));
        Random random = new Random(42);
        char[] alphabet = {'a', 'b', '\r', '\n', '\u00e9', '\ud83d', '\ude00', ' '};
        for (int t = 0; t < 300; t++) {
            char[] text = new char[random.nextInt(60)];
            for (int i = 0; i < text.length; i++) {
                text[i] = alphabet[random.nextInt(alphabet.length)];
            }
            texts.add(new String(text));
        }
        for (String text : texts) {
            List<String> expected = split(text);
            for (int bufferSize : BUFFER_SIZES) {
                for (int readSize : new int[] {1, 2, 3, 7, 8192}) {
                    assertThat(lines(text, bufferSize, readSize))
                            .as(
                                    "%s, buffer %d, reads of %d",
                                    text.length() < 100 ? text : text.length() + " characters", bufferSize, readSize)
                            .isEqualTo(expected);
                }
            }
        }
    }

    /** The rule, plainly: split at \n, no line after a final \n, one \r at a line's end dropped. */
    private static List<String> split(String text) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (text.isEmpty() || text.endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        lines.replaceAll(line -> line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        return lines;
    }

    private static List<String> lines(String text, int bufferSize, int readSize) {
        JsonlText.Lines lines = new JsonlText.Lines(new ShortReads(new StringReader(text), readSize), bufferSize);
        List<String> all = new ArrayList<>();
        try {
            for (String line = lines.next(); line != null; line = lines.next()) {
                all.add(line);
            }
            assertThat(lines.next()).as("after the end").isNull();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return all;
    }

    /** A reader that hands over at most {@code most} characters a read, as a decoder or a network may. */
    private static final class ShortReads extends Reader {
        private final Reader in;
        private final int most;

        ShortReads(Reader in, int most) {
            this.in = in;
            this.most = most;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            return in.read(buffer, offset, Math.min(length, most));
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
