package com.mka1.bench;

import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.models.BatchObject;

/** Our facade with its defaults (retry policy included), as a user would build it. */
final class FacadeClient implements Contestant {
    private final Mka1Client client;

    FacadeClient(String rootUrl) {
        this.client = Mka1Client.builder().apiKey(API_KEY).baseUrl(rootUrl).build();
    }

    @Override
    public Object get(String batchId) {
        BatchObject batch = client.llm().batches().get(batchId);
        Blackholes.touch(batch.getId(), batch.getStatus());
        return batch;
    }

    @Override
    public long walk() {
        long seen = 0;
        ListBatchesParams params = ListBatchesParams.builder().limit(CannedBatches.PAGE_SIZE).build();
        for (BatchObject batch : client.llm().batches().list(params).autoPager()) {
            Blackholes.touch(batch.getId(), batch.getStatus());
            seen++;
        }
        return seen;
    }

    @Override
    public void close() {
        client.close();
    }
}
