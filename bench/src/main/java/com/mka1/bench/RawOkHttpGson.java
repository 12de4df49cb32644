package com.mka1.bench;

import com.google.gson.Gson;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.ListBatchesResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;
import okio.Okio;

/**
 * The floor: hand-rolled OkHttp calls, the body streamed straight into the generated models by a
 * Gson type adapter, or written to a file by Okio, or read token by token by a Gson
 * {@link JsonReader}. No retries, no error mapping, no checks beyond the status code.
 */
final class RawOkHttpGson implements Contestant {
    private static final MediaType JSONL = MediaType.get("application/jsonl");

    private final OkHttpClient http = new OkHttpClient();
    private final HttpUrl batches;
    private final HttpUrl files;
    private final TypeAdapter<BatchObject> batchAdapter;
    private final TypeAdapter<ListBatchesResponse> pageAdapter;
    private final TypeAdapter<FileObject> fileAdapter;

    RawOkHttpGson(String rootUrl) {
        this.batches = HttpUrl.get(rootUrl + "/api/v1/llm/batches");
        this.files = HttpUrl.get(rootUrl + "/api/v1/llm/files");
        Gson gson = new Gson();
        this.batchAdapter = gson.getAdapter(BatchObject.class);
        this.pageAdapter = gson.getAdapter(ListBatchesResponse.class);
        this.fileAdapter = gson.getAdapter(FileObject.class);
    }

    @Override
    public Object get(String batchId) {
        BatchObject batch = call(
                request(batches.newBuilder().addPathSegment(batchId).build()).build(), batchAdapter);
        Blackholes.touch(batch.getId(), batch.getStatus());
        return batch;
    }

    @Override
    public long walk() {
        long seen = 0;
        String after = null;
        while (true) {
            HttpUrl.Builder url =
                    batches.newBuilder().addQueryParameter("limit", String.valueOf(CannedBatches.PAGE_SIZE));
            if (after != null) {
                url.addQueryParameter("after", after);
            }
            ListBatchesResponse page = call(request(url.build()).build(), pageAdapter);
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

    @Override
    public long download(String fileId, Path target) throws IOException {
        try (Response response = http.newCall(request(content(fileId)).build()).execute()) {
            ResponseBody body = successful(response);
            try (BufferedSink sink = Okio.buffer(Okio.sink(target))) {
                return sink.writeAll(body.source());
            }
        }
    }

    @Override
    public long upload(Path file) {
        RequestBody multipart = new MultipartBody.Builder()
                .setType(MultipartBody.FORM)
                .addFormDataPart("file", file.getFileName().toString(), RequestBody.create(file.toFile(), JSONL))
                .addFormDataPart("purpose", "batch")
                .build();
        return call(request(files).post(multipart).build(), fileAdapter).getBytes();
    }

    /** The batch's output file read with a {@link JsonReader} in lenient mode: one top-level object per line. */
    @Override
    public long results(String batchId) {
        BatchObject batch = call(
                request(batches.newBuilder().addPathSegment(batchId).build()).build(), batchAdapter);
        try (Response response =
                http.newCall(request(content(batch.getOutputFileId())).build()).execute()) {
            JsonReader reader = new JsonReader(successful(response).charStream());
            reader.setStrictness(Strictness.LENIENT);
            long lines = 0;
            while (reader.peek() != JsonToken.END_DOCUMENT) {
                String customId = null;
                int status = -1;
                reader.beginObject();
                while (reader.hasNext()) {
                    String name = reader.nextName();
                    if (name.equals("custom_id")) {
                        customId = reader.nextString();
                    } else if (name.equals("response") && reader.peek() == JsonToken.BEGIN_OBJECT) {
                        reader.beginObject();
                        while (reader.hasNext()) {
                            if (reader.nextName().equals("status_code")) {
                                status = reader.nextInt();
                            } else {
                                reader.skipValue();
                            }
                        }
                        reader.endObject();
                    } else {
                        reader.skipValue();
                    }
                }
                reader.endObject();
                Blackholes.touch(customId, status);
                lines++;
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpUrl content(String fileId) {
        return files.newBuilder()
                .addPathSegment(fileId)
                .addPathSegment("content")
                .build();
    }

    private static Request.Builder request(HttpUrl url) {
        return new Request.Builder()
                .url(url)
                .header("Authorization", "Bearer " + API_KEY)
                .header("Accept", "application/json");
    }

    private <T> T call(Request request, TypeAdapter<T> adapter) {
        try (Response response = http.newCall(request).execute()) {
            return adapter.fromJson(successful(response).charStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ResponseBody successful(Response response) {
        ResponseBody body = response.body();
        if (!response.isSuccessful() || body == null) {
            throw new IllegalStateException(
                    "HTTP " + response.code() + " for " + response.request().url());
        }
        return body;
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
