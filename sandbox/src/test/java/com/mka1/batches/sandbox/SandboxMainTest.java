package com.mka1.batches.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mka1.batches.models.BatchObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable entry point, started in-process. */
class SandboxMainTest {
    @Test
    void startsPrintsHowToReachItAndServes(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, Fixtures.chatFile(2));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        try (Mka1Sandbox sandbox =
                SandboxMain.launch(
                        new String[] {"--port", "0", "--api-key", "sk-cli", "--input-file", input.toString()},
                        new PrintStream(out, true, StandardCharsets.UTF_8))) {
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(printed).contains("listening on " + sandbox.baseUrl()).contains("API key: sk-cli");
            assertThat(sandbox.apiKeys()).containsExactly("sk-cli");

            Matcher sample = Pattern.compile("Sample input file.*: (file_\\w+)").matcher(printed);
            assertThat(sample.find()).isTrue();
            Matcher registered = Pattern.compile("Input file .*in.jsonl: (file_\\w+)").matcher(printed);
            assertThat(registered.find()).isTrue();
            assertThat(sandbox.fileContent(registered.group(1))).hasValue(Fixtures.chatFile(2));

            TestApi api = new TestApi(sandbox);
            BatchObject batch = api.createBatch(sample.group(1), TestApi.CHAT);
            assertThat(batch.getRequestCounts().getTotal()).isEqualTo(3);
        }
    }

    @Test
    void helpPrintsUsageAndStartsNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(SandboxMain.launch(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8)))
                .isNull();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--port");
    }

    @Test
    void badOptionsAreRejected() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SandboxMain.launch(new String[] {"--bogus"}, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bogus");
        assertThatThrownBy(() -> SandboxMain.launch(new String[] {"--port"}, out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SandboxMain.launch(new String[] {"--port", "x"}, out))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void filesGoThroughTheApiOverHttpAndTheBackDoorIsGone() throws Exception {
        try (Mka1Sandbox sandbox = SandboxMain.launch(new String[] {"--port", "0"}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            TestApi api = new TestApi(sandbox);
            byte[] jsonl = Fixtures.chatFile(1).getBytes(StandardCharsets.UTF_8);
            String fileId = api.uploadFile("in.jsonl", "batch", jsonl).getId();
            assertThat(api.content(fileId).bytes).isEqualTo(jsonl);
            // The old sandbox-only endpoints: now just unknown URLs behind auth.
            assertThat(api.send("POST", "/sandbox/files", Fixtures.chatFile(1)).status).isEqualTo(404);
            assertThat(api.send("GET", "/sandbox/files/" + fileId + "/content", null).status)
                    .isEqualTo(404);
            assertThat(api.withKey(null).send("POST", "/sandbox/files", Fixtures.chatFile(1)).status)
                    .isEqualTo(401);
        }
    }
}
