package com.mka1.bench;

import com.google.gson.Gson;
import com.google.gson.TypeAdapter;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.ListBatchesResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The floor: hand-rolled OkHttp calls, the body streamed straight into the generated models by a
 * Gson type adapter. No retries, no error mapping, no checks beyond the status code.
 */
final class RawOkHttpGson implements Contestant {
    private final OkHttpClient http = new OkHttpClient();
    private final HttpUrl batches;
    private final TypeAdapter<BatchObject> batchAdapter;
    private final TypeAdapter<ListBatchesResponse> pageAdapter;

    RawOkHttpGson(String rootUrl) {
        this.batches = HttpUrl.get(rootUrl + "/api/v1/llm/batches");
        Gson gson = new Gson();
        this.batchAdapter = gson.getAdapter(BatchObject.class);
        this.pageAdapter = gson.getAdapter(ListBatchesResponse.class);
    }

    @Override
    public Object get(String batchId) {
        BatchObject batch = call(batches.newBuilder().addPathSegment(batchId).build(), batchAdapter);
        Blackholes.touch(batch.getId(), batch.getStatus());
        return batch;
    }

    @Override
    public long walk() {
        long seen = 0;
        String after = null;
        while (true) {
            HttpUrl.Builder url = batches.newBuilder().addQueryParameter("limit", String.valueOf(CannedBatches.PAGE_SIZE));
            if (after != null) {
                url.addQueryParameter("after", after);
            }
            ListBatchesResponse page = call(url.build(), pageAdapter);
            for (BatchObject batch : page.getData()) {
                Blackholes.touch(batch.getId(), batch.getStatus());
                seen++;
            }
            if (!Boolean.TRUE.equals(page.getHasMore())) {
                return seen;
            }
            after = page.getLastId();
        }
    }

    private <T> T call(HttpUrl url, TypeAdapter<T> adapter) {
        Request request = new Request.Builder()
                .url(url)
                .header("Authorization", "Bearer " + API_KEY)
                .header("Accept", "application/json")
                .build();
        try (Response response = http.newCall(request).execute()) {
            ResponseBody body = response.body();
            if (!response.isSuccessful() || body == null) {
                throw new IllegalStateException("HTTP " + response.code() + " for " + url);
            }
            return adapter.fromJson(body.charStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
