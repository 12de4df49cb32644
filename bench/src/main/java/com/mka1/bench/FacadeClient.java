package com.mka1.bench;

import com.mka1.batches.BatchResults;
import com.mka1.batches.FileContent;
import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.jsonl.BatchResult;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.FilePurpose;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
        ListBatchesParams params =
                ListBatchesParams.builder().limit(CannedBatches.PAGE_SIZE).build();
        for (BatchObject batch : client.llm().batches().list(params).autoPager()) {
            Blackholes.touch(batch.getId(), batch.getStatus());
            seen++;
        }
        return seen;
    }

    @Override
    public long download(String fileId, Path target) throws IOException {
        return Files.size(client.llm().files().download(fileId, target));
    }

    @Override
    public long downloadThroughContent(String fileId, Path target) throws IOException {
        try (FileContent content = client.llm().files().content(fileId)) {
            return ReadLoop.toFile(content.inputStream(), target);
        }
    }

    @Override
    public long upload(Path file) {
        return client.llm().files().upload(file, FilePurpose.BATCH).getBytes();
    }

    @Override
    public long results(String batchId) {
        long lines = 0;
        try (BatchResults results = client.llm().batches().results(batchId)) {
            for (BatchResult result : results) {
                Blackholes.touch(result.customId(), result.statusCode());
                lines++;
            }
        }
        return lines;
    }

    @Override
    public long resultsThroughJsonReader(String batchId) {
        BatchObject batch = client.llm().batches().get(batchId);
        long lines = 0;
        try (FileContent content = client.llm().files().content(batch.getOutputFileId())) {
            ResultsThroughJsonReader results =
                    new ResultsThroughJsonReader(new InputStreamReader(content.inputStream(), StandardCharsets.UTF_8));
            for (ResultsThroughJsonReader.Result result = results.next(); result != null; result = results.next()) {
                Blackholes.touch(result.customId, result.statusCode);
                lines++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    @Override
    public void close() {
        client.close();
    }
}
