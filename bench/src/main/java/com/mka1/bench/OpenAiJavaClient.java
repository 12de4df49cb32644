package com.mka1.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchListParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FilePurpose;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** openai-java with its defaults, its base URL on the canned server's {@code /api/v1/llm}. */
final class OpenAiJavaClient implements Contestant {
    private final OpenAIClient client;

    OpenAiJavaClient(String rootUrl) {
        this.client = OpenAIOkHttpClient.builder()
                .apiKey(API_KEY)
                .baseUrl(rootUrl + "/api/v1/llm")
                .build();
    }

    @Override
    public Object get(String batchId) {
        Batch batch = client.batches().retrieve(batchId);
        Blackholes.touch(batch.id(), batch.status());
        return batch;
    }

    @Override
    public long walk() {
        long seen = 0;
        BatchListParams params =
                BatchListParams.builder().limit(CannedBatches.PAGE_SIZE).build();
        for (Batch batch : client.batches().list(params).autoPager()) {
            Blackholes.touch(batch.id(), batch.status());
            seen++;
        }
        return seen;
    }

    @Override
    public long download(String fileId, Path target) throws IOException {
        try (HttpResponse response = client.files().content(fileId);
                InputStream body = response.body()) {
            return ReadLoop.toFile(body, target);
        }
    }

    @Override
    public long upload(Path file) {
        return client.files()
                .create(FileCreateParams.builder()
                        .file(file)
                        .purpose(FilePurpose.BATCH)
                        .build())
                .bytes();
    }

    @Override
    public void close() {
        client.close();
    }
}
