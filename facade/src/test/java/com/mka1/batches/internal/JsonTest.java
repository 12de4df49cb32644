package com.mka1.batches.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mka1.batches.CreateBatchParams;
import com.mka1.batches.models.BatchEndpoint;
import com.mka1.batches.models.CreateBatchRequest;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/**
 * {@link Json}: strictness beyond Gson's default, the head an {@link Json.Input} keeps for a
 * message, and the library's Gson reading back what it writes.
 */
class JsonTest {
    @Test
    void escapesOutsideTheJsonSpecAreMalformed() {
        // Gson's default (legacy strict) takes \' in a string; the JSON spec has no such escape.
        assertThatThrownBy(() -> Json.parse("\"it\\'s\""))
                .isInstanceOf(Json.MalformedException.class)
                .hasMessageStartingWith("malformed JSON");
    }

    @Test
    void anInputReadOneCharacterAtATimeKeepsWhatItRead() throws IOException {
        Json.Input in = new Json.Input(new StringReader("ab"));

        assertThat(in.read()).isEqualTo('a');
        assertThat(in.read()).isEqualTo('b');
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.head()).isEqualTo("ab");
    }

    @Test
    void theHeadIsTheFirst256CharactersHoweverTheTextArrives() throws IOException {
        String text = "x".repeat(100) + "y".repeat(400);
        Json.Input in = new Json.Input(new Chunks(text, 100, 500));
        char[] buffer = new char[1024];

        while (in.read(buffer, 0, buffer.length) >= 0) {
            // read it all
        }

        assertThat(in.head()).isEqualTo(text.substring(0, Json.Input.HEAD));
    }

    @Test
    void theHeadReadOnStopsAt256Characters() {
        String text = "z".repeat(300);
        Json.Input in = new Json.Input(new StringReader(text));

        assertThat(in.headReadingOn()).isEqualTo(text.substring(0, Json.Input.HEAD));
        assertThat(in.headReadingOn())
                .as("once the head is full, nothing more is read")
                .hasSize(Json.Input.HEAD);
    }

    @Test
    void aCreateRequestReadsBackAsItWasWritten() throws Exception {
        CreateBatchRequest request = BatchOperations.createRequest(CreateBatchParams.builder()
                .inputFileId("file_1")
                .endpoint(BatchEndpoint.CHAT_COMPLETIONS)
                .build());
        String json = Json.GSON.toJson(request);

        CreateBatchRequest read = Json.read(json, CreateBatchRequest.class);

        assertThat(read).isEqualTo(request);
        assertThat(Json.GSON.toJson(read)).isEqualTo(json);
    }

    /** A reader that hands out its text in chunks of the given sizes, then the rest at once. */
    private static final class Chunks extends Reader {
        private final String text;
        private final int[] sizes;
        private int position;
        private int call;

        Chunks(String text, int... sizes) {
            this.text = text;
            this.sizes = sizes;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            if (position == text.length()) {
                return -1;
            }
            int size = call < sizes.length ? sizes[call++] : Integer.MAX_VALUE;
            int n = Math.min(Math.min(length, size), text.length() - position);
            text.getChars(position, position + n, buffer, offset);
            position += n;
            return n;
        }

        @Override
        public void close() {}
    }
}
