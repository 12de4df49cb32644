package com.example.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mka1.batches.ListFilesParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.RetryPolicy;
import com.mka1.batches.WaitOptions;
import com.mka1.batches.errors.ApiException;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.errors.Mka1Exception;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.FileObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a careful user checks before trusting the library with a day-long job: servers that change
 * a file between two requests, lie in their headers, hand back ids that are not ids, send bodies
 * that never end, echo the key, or go away for minutes. Only the public API of the installed
 * artifact is used, and other offsets, ids and bodies than the library's own tests use.
 */
class HostileServerTest {
    /** A key of no usual shape: redaction must not depend on a prefix such as {@code sk-}. */
    private static final String KEY = "prod.9f3Qx-Key_unlike~any/prefix";
    private static final String BATCH = "batch_7c1";

    private final FakeTime time = new FakeTime();

    private Mka1Client client(ScriptedServer server, int maxRetries) {
        return Mka1Client.builder().apiKey(KEY).baseUrl(server.baseUrl())
                .requestOptions(RequestOptions.builder()
                        .retryPolicy(RetryPolicy.builder().maxRetries(maxRetries).build())
                        .build())
                .sleeper(time).clock(time).build();
    }

    private static byte[] version(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('a' + (i * seed + seed) % 26);
        }
        return bytes;
    }

    private static Map<String, String> headers(String... pairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.put(pairs[i], pairs[i + 1]);
        }
        return headers;
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        byte[] slice = new byte[to - from];
        System.arraycopy(bytes, from, slice, 0, slice.length);
        return slice;
    }

    private static String batchJson(String status, String outputFileId) {
        return "{\"id\":\"" + BATCH + "\",\"object\":\"batch\",\"endpoint\":\"/v1/chat/completions\","
                + "\"input_file_id\":\"file_in\",\"completion_window\":\"24h\",\"status\":\"" + status + "\","
                + "\"output_file_id\":" + (outputFileId == null ? "null" : "\"" + outputFileId + "\"") + ","
                + "\"created_at\":1764547200,\"request_counts\":{\"total\":2,\"completed\":2,\"failed\":0}}";
    }

    @Test
    void aResumeThatMeetsAnotherVersionByETagEndsWithThatVersionWhole(@TempDir Path dir) throws IOException {
        byte[] first = version(200_000, 3);
        byte[] second = version(200_000, 5);
        int cut = 77_777;
        try (ScriptedServer server = new ScriptedServer((request, out) -> {
            if (request.index == 0) { // the first version, cut off
                ScriptedServer.write(out, "200 OK", headers("ETag", "\"rev-1\"", "Content-Length", "200000"),
                        slice(first, 0, cut));
            } else if (request.header("Range") != null) { // ignores If-Range: the rest of the new version
                ScriptedServer.write(out, "206 Partial Content", headers("ETag", "\"rev-2\"",
                        "Content-Range", "bytes " + cut + "-199999/200000", "Content-Length", "" + (200_000 - cut)),
                        slice(second, cut, 200_000));
            } else {
                ScriptedServer.write(out, "200 OK", headers("ETag", "\"rev-2\"", "Content-Length", "200000"), second);
            }
        }); Mka1Client client = client(server, 4)) {
            Path target = dir.resolve("output.jsonl");

            client.llm().files().download("file_out", target);

            assertArrayEquals(second, Files.readAllBytes(target), "the file is the second version, whole");
            assertEquals("bytes=" + cut + "-", server.requests().get(1).header("Range"));
            assertEquals("\"rev-1\"", server.requests().get(1).header("If-Range"));
            try (java.util.stream.Stream<Path> left = Files.list(dir)) {
                assertEquals(List.of(target), left.collect(Collectors.toList()), "no temporary file is left");
            }
        }
    }

    @Test
    void aServerThatIgnoresRangeAndSendsANewVersionByDateGivesThatVersionWhole(@TempDir Path dir) throws IOException {
        byte[] first = version(90_000, 7);
        byte[] second = version(90_000, 11);
        String firstDate = "Tue, 01 Dec 2026 10:00:00 GMT";
        try (ScriptedServer server = new ScriptedServer((request, out) -> {
            if (request.index == 0) {
                ScriptedServer.write(out, "200 OK", headers("Last-Modified", firstDate, "Content-Length", "90000"),
                        slice(first, 0, 31_337));
            } else {
                ScriptedServer.write(out, "200 OK", headers("Last-Modified", "Tue, 01 Dec 2026 11:30:00 GMT",
                        "Content-Length", "90000"), second);
            }
        }); Mka1Client client = client(server, 4)) {
            Path target = dir.resolve("errors.jsonl");

            client.llm().files().download("file_err", target);

            assertArrayEquals(second, Files.readAllBytes(target), "not the first version's head before the second's tail");
            assertEquals(firstDate, server.requests().get(1).header("If-Range"));
        }
    }

    @Test
    void lengthsThatAreNoLengthsEndInTheLibrarysOwnExceptionsInBothModes() throws IOException {
        for (String length : new String[] {"-42", "12abc", "99999999999999999999"}) {
            String json = batchJson("in_progress", null);
            try (ScriptedServer server = new ScriptedServer((request, out) -> ScriptedServer.write(out, "200 OK",
                    headers("Content-Type", "application/json", "Content-Length", length),
                    json.getBytes(StandardCharsets.UTF_8)));
                 Mka1Client client = client(server, 1)) {
                assertThrows(Mka1Exception.class, () -> client.llm().batches().get(BATCH), length);
                CompletionException async = assertThrows(CompletionException.class,
                        () -> client.async().llm().batches().get(BATCH).join(), length);
                assertInstanceOf(Mka1Exception.class, async.getCause(), length);
                try (InputStream content = client.llm().files().content("file_out").inputStream()) {
                    // a stream promises IOException for what goes wrong while reading
                    assertThrows(IOException.class, content::readAllBytes, length);
                } catch (Mka1Exception acceptedBeforeTheStream) {
                    // refusing the answer before handing out a stream is as good
                }
            }
        }
    }

    @Test
    void idsThatAreNoIdsAreInvalidResponsesNamingTheField() throws IOException {
        for (String outputFileId : new String[] {"../../etc/passwd", "\t", "."}) {
            try (ScriptedServer server = new ScriptedServer((request, out) ->
                    ScriptedServer.json(out, "200 OK", batchJson("completed", outputFileId.replace("\t", "\\t"))));
                 Mka1Client client = client(server, 0)) {
                InvalidResponseException e = assertThrows(InvalidResponseException.class,
                        () -> client.llm().batches().results(BATCH).close(), outputFileId);
                assertTrue(e.getMessage().contains("output_file_id"), e.getMessage());
            }
        }
    }

    @Test
    void aCursorThatDoesNotMoveEndsTheWalkInsteadOfLoopingForever() throws IOException {
        String page = "{\"object\":\"list\",\"data\":[{\"id\":\"file-7\",\"object\":\"file\",\"bytes\":3,"
                + "\"created_at\":1764547200,\"filename\":\"a.jsonl\",\"purpose\":\"batch\"}],"
                + "\"first_id\":\"file-7\",\"last_id\":\"file-7\",\"has_more\":true}";
        try (ScriptedServer server = new ScriptedServer((request, out) -> ScriptedServer.json(out, "200 OK", page));
             Mka1Client client = client(server, 0)) {
            int[] seen = {0};
            assertThrows(InvalidResponseException.class, () -> {
                for (FileObject file : client.llm().files().list(ListFilesParams.none()).autoPager()) {
                    if (++seen[0] > 50) {
                        throw new AssertionError("the pager went on past 50 files of one repeated page");
                    }
                }
            });
            assertTrue(server.requests().size() <= 3, "requests: " + server.requests().size());
        }
    }

    @Test
    void anErrorBodyThatNeverEndsIsReadOnlyInPart() throws IOException {
        String data = "<p>overloaded</p>".repeat(240);
        byte[] chunk = (Integer.toHexString(data.length()) + "\r\n" + data + "\r\n").getBytes(StandardCharsets.US_ASCII);
        AtomicLong written = new AtomicLong();
        try (ScriptedServer server = new ScriptedServer((request, out) -> {
            ScriptedServer.write(out, "503 Service Unavailable",
                    headers("Content-Type", "text/html", "Transfer-Encoding", "chunked"), new byte[0]);
            while (true) { // until the client hangs up
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
        }); Mka1Client client = client(server, 0)) {
            ApiException e = assertThrows(ApiException.class, () -> client.llm().batches().get(BATCH));

            assertEquals(503, e.statusCode());
            assertTrue(written.get() < 64L * 1024 * 1024, "the client read on: " + written.get() + " bytes were written");
        }
    }

    @Test
    void theKeyEchoedAnywhereNeverReachesAMessage() throws IOException {
        String[][] answers = {
            {"401 Unauthorized", "text/plain", "Incorrect API key provided: " + KEY},
            {"400 Bad Request", "application/json",
                "{\"error\":{\"message\":\"Malformed header: Authorization: Bearer " + KEY + "\",\"type\":\"x\"}}"},
            {"502 Bad Gateway", "text/html", "<html><body><h1>Upstream said</h1><pre>" + KEY + "</pre></body></html>"},
            {"200 OK", "application/json", "not json, but the key: " + KEY},
        };
        for (String[] answer : answers) {
            byte[] body = answer[2].getBytes(StandardCharsets.UTF_8);
            try (ScriptedServer server = new ScriptedServer((request, out) -> ScriptedServer.write(out, answer[0],
                    headers("Content-Type", answer[1], "Content-Length", "" + body.length), body));
                 Mka1Client client = client(server, 0)) {
                Mka1Exception e = assertThrows(Mka1Exception.class, () -> client.llm().batches().get(BATCH));
                for (Throwable t = e; t != null; t = t.getCause()) {
                    assertFalse(String.valueOf(t).contains(KEY), answer[0] + ": " + t);
                }
                if (e instanceof ApiException) {
                    ApiException api = (ApiException) e;
                    assertFalse(String.valueOf(api.body()).contains(KEY), answer[0] + " body()");
                    assertFalse(String.valueOf(api.errorMessage()).contains(KEY), answer[0] + " errorMessage()");
                }
                if (e instanceof InvalidResponseException) {
                    assertFalse(((InvalidResponseException) e).bodySnippet().contains(KEY), "bodySnippet()");
                }
            }
        }
    }

    @Test
    void aWaitRidesOutAServerThatIsGoneForTwoMinutes() throws IOException {
        long start = time.millis();
        try (ScriptedServer server = new ScriptedServer((request, out) -> {
            long since = time.millis() - start;
            if (since < 20_000) {
                ScriptedServer.json(out, "200 OK", batchJson("in_progress", null));
            } else if (since < 140_000) {
                ScriptedServer.json(out, "503 Service Unavailable", "{\"error\":{\"message\":\"down\"}}");
            } else {
                ScriptedServer.json(out, "200 OK", batchJson("completed", "file_out"));
            }
        }); Mka1Client client = client(server, 2)) {
            BatchObject done = client.llm().batches().waitForCompletion(BATCH, WaitOptions.defaults());

            assertEquals("file_out", done.getOutputFileId());
            assertTrue(time.elapsed().compareTo(Duration.ofMinutes(2)) > 0, "elapsed " + time.elapsed());
            long failures = server.requests().size();
            assertTrue(failures > 5, "the server was asked " + failures + " times");
        }
    }
}
