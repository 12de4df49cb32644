package com.mka1.batches.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.report.ValidationReport;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.ListBatchesResponse;
import com.mka1.batches.models.ListFilesResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny HTTP client for the sandbox over java.net.http (not the facade, which is written
 * separately). Every answer to an API path is validated against the OpenAPI spec, so each
 * scenario in every test class doubles as a schema check.
 */
final class TestApi {
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    static final Gson GSON = new Gson();
    static final String CHAT = "/v1/chat/completions";

    private final String baseUrl;
    private final String apiKey;
    private final String onBehalfOf;

    TestApi(Mka1Sandbox sandbox) {
        this(sandbox.baseUrl(), sandbox.apiKey(), null);
    }

    private TestApi(String baseUrl, String apiKey, String onBehalfOf) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.onBehalfOf = onBehalfOf;
    }

    /** The same client with another API key (null: no Authorization header). */
    TestApi withKey(String key) {
        return new TestApi(baseUrl, key, onBehalfOf);
    }

    /** The same client sending X-On-Behalf-Of (null: none). */
    TestApi onBehalfOf(String user) {
        return new TestApi(baseUrl, apiKey, user);
    }

    static String createBody(String fileId, String endpoint) {
        JsonObject body = new JsonObject();
        body.addProperty("input_file_id", fileId);
        body.addProperty("endpoint", endpoint);
        body.addProperty("completion_window", "24h");
        return body.toString();
    }

    Reply create(String json, String... headers) {
        return send("POST", "/api/v1/llm/batches", json, headers);
    }

    Reply list(String query) {
        return send("GET", "/api/v1/llm/batches" + (query.isEmpty() ? "" : "?" + query), null);
    }

    Reply get(String batchId) {
        return send("GET", "/api/v1/llm/batches/" + batchId, null);
    }

    Reply cancel(String batchId) {
        return send("POST", "/api/v1/llm/batches/" + batchId + "/cancel", "");
    }

    /** Creates a batch from the file and returns it, asserting success. */
    BatchObject createBatch(String fileId, String endpoint) {
        Reply reply = create(createBody(fileId, endpoint));
        assertThat(reply.status).as(reply.body).isEqualTo(200);
        return reply.batch();
    }

    BatchObject getBatch(String batchId) {
        Reply reply = get(batchId);
        assertThat(reply.status).as(reply.body).isEqualTo(200);
        return reply.batch();
    }

    /** Every batch of this scope, walking pages of {@code limit}. */
    List<BatchObject> listAll(int limit) {
        List<BatchObject> all = new ArrayList<>();
        String after = null;
        while (true) {
            Reply reply = list("limit=" + limit + (after == null ? "" : "&after=" + after));
            assertThat(reply.status).as(reply.body).isEqualTo(200);
            ListBatchesResponse page = reply.page();
            all.addAll(page.getData());
            if (!page.getHasMore()) {
                return all;
            }
            after = page.getLastId();
        }
    }

    /** Uploads a multipart body built by {@link TestMultipart}. */
    Reply upload(TestMultipart form, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = form.contentType();
        System.arraycopy(headers, 0, all, 2, headers.length);
        return sendBytes("POST", "/api/v1/llm/files", form.bytes(), all);
    }

    /** Uploads {@code content} as {@code filename} with {@code purpose}, asserting success. */
    FileObject uploadFile(String filename, String purpose, byte[] content) {
        Reply reply = upload(
                TestMultipart.file(filename, "application/jsonl", content).text("purpose", purpose));
        assertThat(reply.status).as(reply.body).isEqualTo(200);
        return reply.file();
    }

    Reply listFiles(String query) {
        return send("GET", "/api/v1/llm/files" + (query.isEmpty() ? "" : "?" + query), null);
    }

    Reply getFile(String fileId) {
        return send("GET", "/api/v1/llm/files/" + fileId, null);
    }

    Reply content(String fileId, String... headers) {
        return send("GET", "/api/v1/llm/files/" + fileId + "/content", null, headers);
    }

    Reply deleteFile(String fileId) {
        return send("DELETE", "/api/v1/llm/files/" + fileId, null);
    }

    /** Every file of this scope, walking pages of {@code limit} with the given extra query. */
    List<FileObject> listAllFiles(int limit, String query) {
        List<FileObject> all = new ArrayList<>();
        String after = null;
        while (true) {
            Reply reply = listFiles(
                    "limit=" + limit + (query.isEmpty() ? "" : "&" + query) + (after == null ? "" : "&after=" + after));
            assertThat(reply.status).as(reply.body).isEqualTo(200);
            ListFilesResponse page = reply.filePage();
            all.addAll(page.getData());
            if (!page.getHasMore()) {
                return all;
            }
            after = page.getLastId();
        }
    }

    Reply send(String method, String pathAndQuery, String body, String... headers) {
        if (body != null && !body.isEmpty()) {
            String[] all = new String[headers.length + 2];
            all[0] = "Content-Type";
            all[1] = "application/json";
            System.arraycopy(headers, 0, all, 2, headers.length);
            headers = all;
        }
        return sendBytes(method, pathAndQuery, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    }

    Reply sendBytes(String method, String pathAndQuery, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        if (onBehalfOf != null) {
            request.header("X-On-Behalf-Of", onBehalfOf);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Reply reply = new Reply(response);
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        // Only operations the spec declares can be validated (not, say, DELETE on the collection).
        if (new SandboxCall(method, path, name -> null, "").operation() != null) {
            ValidationReport report = SpecValidator.validate(
                    method,
                    path,
                    reply.status,
                    response.headers().firstValue("Content-Type").orElse(null),
                    reply.body,
                    response.headers().map());
            assertThat(report.getMessages())
                    .as("spec validation of %s %s -> %d %s", method, pathAndQuery, reply.status, reply.body)
                    .isEmpty();
        }
        return reply;
    }

    /** One HTTP answer. */
    static final class Reply {
        final int status;
        final byte[] bytes;
        final String body;
        final HttpResponse<byte[]> raw;

        Reply(HttpResponse<byte[]> raw) {
            this.raw = raw;
            this.status = raw.statusCode();
            this.bytes = raw.body();
            this.body = new String(bytes, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }

        BatchObject batch() {
            return GSON.fromJson(body, BatchObject.class);
        }

        ListBatchesResponse page() {
            return GSON.fromJson(body, ListBatchesResponse.class);
        }

        FileObject file() {
            return GSON.fromJson(body, FileObject.class);
        }

        ListFilesResponse filePage() {
            return GSON.fromJson(body, ListFilesResponse.class);
        }

        /** The OpenAI-style error object. */
        JsonObject error() {
            return json().getAsJsonObject("error");
        }

        String errorCode() {
            return error().get("code").getAsString();
        }

        String errorParam() {
            return error().get("param").isJsonNull()
                    ? null
                    : error().get("param").getAsString();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
