package com.mka1.batches.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileDeleted;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An OpenAI-compatible client written elsewhere (openai-java, the version bench/ measures) uploads
 * to, lists, reads and deletes from the sandbox's files endpoints, with base URL
 * {@code sandbox.baseUrl() + "/api/v1/llm"}.
 */
class OpenAiClientCompatibilityTest {
    private static Mka1Sandbox sandbox;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        sandbox = Mka1Sandbox.builder().clock(SandboxClock.fixed(Fixtures.T0)).start();
        client = OpenAIOkHttpClient.builder()
                .apiKey(sandbox.apiKey())
                .baseUrl(sandbox.baseUrl() + "/api/v1/llm")
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    @Test
    void uploadListContentDelete(@TempDir Path dir) throws IOException {
        byte[] jsonl = Fixtures.chatFile(3).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path input = dir.resolve("requests.jsonl");
        Files.write(input, jsonl);

        FileObject uploaded = client.files()
                .create(FileCreateParams.builder()
                        .file(input)
                        .purpose(FilePurpose.BATCH)
                        .build());
        assertThat(uploaded.filename()).isEqualTo("requests.jsonl");
        assertThat(uploaded.bytes()).isEqualTo(jsonl.length);
        assertThat(uploaded.purpose()).isEqualTo(FileObject.Purpose.BATCH);
        // What went over the wire: the multipart parts openai-java sends.
        String wire = sandbox.requests(SandboxOperation.UPLOAD_FILE).get(0).body();
        assertThat(wire).contains("name=\"purpose\"").contains("filename=\"requests.jsonl\"");

        List<String> listed =
                client.files().list().data().stream().map(FileObject::id).collect(Collectors.toList());
        assertThat(listed).containsExactly(uploaded.id());
        assertThat(client.files().retrieve(uploaded.id()).filename()).isEqualTo("requests.jsonl");

        try (HttpResponse content = client.files().content(uploaded.id());
                InputStream body = content.body()) {
            assertThat(content.statusCode()).isEqualTo(200);
            assertThat(body.readAllBytes()).isEqualTo(jsonl);
        }

        FileDeleted deleted = client.files().delete(uploaded.id());
        assertThat(deleted.id()).isEqualTo(uploaded.id());
        assertThat(deleted.deleted()).isTrue();
        Assertions.assertThatThrownBy(() -> client.files().retrieve(uploaded.id()))
                .isInstanceOf(NotFoundException.class);
        assertThat(client.files().list().data()).isEmpty();
    }
}
