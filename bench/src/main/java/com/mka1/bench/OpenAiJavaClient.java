package com.mka1.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchListParams;

/** openai-java with its defaults, its base URL on the canned server's {@code /api/v1/llm}. */
final class OpenAiJavaClient implements Contestant {
    private final OpenAIClient client;

    OpenAiJavaClient(String rootUrl) {
        this.client = OpenAIOkHttpClient.builder().apiKey(API_KEY).baseUrl(rootUrl + "/api/v1/llm").build();
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
        BatchListParams params = BatchListParams.builder().limit(CannedBatches.PAGE_SIZE).build();
        for (Batch batch : client.batches().list(params).autoPager()) {
            Blackholes.touch(batch.id(), batch.status());
            seen++;
        }
        return seen;
    }

    @Override
    public void close() {
        client.close();
    }
}
