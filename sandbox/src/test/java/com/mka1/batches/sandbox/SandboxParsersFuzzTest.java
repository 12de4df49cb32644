package com.mka1.batches.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonElement;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Fuzzes what the sandbox reads from its clients: the multipart body of an upload and whole HTTP
 * requests through {@link ApiRouter} (paths, query strings, headers, {@code Range}, JSON and
 * multipart bodies). (A batch's JSONL input file, checked against the client's validator, is
 * fuzzed by the facade's {@code SandboxInputFileFuzzTest}.)
 *
 * <p>Property: the sandbox answers every request as the API would, with a status below 500 and a
 * JSON body, and never throws (WireMock would turn that into a 500 no client expects); multipart
 * parsing refuses a malformed body with {@link Multipart.MalformedException} only, and gives a
 * file's bytes back exactly.
 *
 * <p>Inputs: {@code SandboxParsersFuzzTestInputs/<method>/}. For {@code multipart}: a line with
 * the {@code Content-Type}, then the body. For {@code router}: requests in the {@code .http} file format (a {@code METHOD url} line, header lines, an
 * empty line, the body), separated by {@code ###} lines; {@code ### advance <seconds>} moves the
 * sandbox's clock, and {@code {file}} / {@code {batch}} stand for the id of the last file / batch
 * created.
 */
class SandboxParsersFuzzTest {
    private static final String API_KEY = "sk-fuzz";

    @FuzzTest(maxDuration = "60s")
    void multipart(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            String boundary = Multipart.boundary(text.substring(0, newline).trim());
            if (boundary != null) {
                try {
                    Map<String, Multipart.Part> parts = Multipart.parse(
                            text.substring(newline + 1).getBytes(StandardCharsets.ISO_8859_1), boundary);
                    parts.forEach((name, part) -> assertThat(part.name).isEqualTo(name));
                } catch (Multipart.MalformedException e) {
                    assertThat(e.getMessage()).isNotBlank();
                }
            }
        }

        // The whole input as a file's content, in a body a client builds: it comes back byte for byte.
        String boundary = "fuzz-boundary-" + Integer.toHexString(text.hashCode());
        if (text.contains(boundary)) {
            return; // a client picks a boundary its content does not hold
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
                        + "--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\"\r\n"
                        + "Content-Type: application/jsonl\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes(input);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        Map<String, Multipart.Part> parts =
                Multipart.parse(body.toByteArray(), Multipart.boundary("multipart/form-data; boundary=" + boundary));
        assertThat(parts.get("file").content).isEqualTo(input);
        assertThat(parts.get("file").filename).isEqualTo("in.jsonl");
        assertThat(parts.get("purpose").text()).isEqualTo("batch");
    }

    @FuzzTest(maxDuration = "60s")
    void router(byte[] input) {
        SandboxClock clock = SandboxClock.fixed(Instant.parse("2025-01-01T00:00:00Z"));
        ApiRouter router = new ApiRouter(new SandboxState(clock, Mka1Sandbox.DEFAULT_STEP), Set.of(API_KEY));
        String lastFile = "file_none";
        String lastBatch = "batch_none";
        String[] chunks = new String(input, StandardCharsets.ISO_8859_1).split("(?m)^###", 20);
        for (int i = 0; i < chunks.length; i++) {
            String request = chunks[i];
            if (i > 0) { // after the ### of its separator line, the rest of that line: a title, or a clock move
                int newline = request.indexOf('\n');
                String title = (newline < 0 ? request : request.substring(0, newline)).trim();
                if (title.startsWith("advance")) {
                    clock.advance(Duration.ofSeconds(seconds(title.substring("advance".length()))));
                }
                request = newline < 0 ? "" : request.substring(newline + 1);
            }
            SandboxCall call = call(request.replace("{file}", lastFile).replace("{batch}", lastBatch));
            if (call == null) {
                continue;
            }
            HttpReply reply = router.handle(call);
            assertThat(reply.status)
                    .as("the status of %s %s", call.method, call.path)
                    .isBetween(200, 499);
            if ("application/json".equals(reply.headers.get("Content-Type"))) {
                JsonElement json = Json.parseStrict(new String(reply.body, StandardCharsets.UTF_8));
                String id = json.isJsonObject() && json.getAsJsonObject().has("id")
                        ? json.getAsJsonObject().get("id").getAsString()
                        : "";
                lastFile = id.startsWith("file_") ? id : lastFile;
                lastBatch = id.startsWith("batch_") ? id : lastBatch;
            }
        }
    }

    private static long seconds(String text) {
        try {
            return Math.max(0, Math.min(Long.parseLong(text.trim()), 1_000_000));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** One request of the {@code .http} format, as WireMock hands it over; {@code null} without a request line. */
    private static SandboxCall call(String request) {
        String text = request;
        int end = text.indexOf("\n\n");
        int crlfEnd = text.indexOf("\r\n\r\n");
        int headEnd = end < 0 ? crlfEnd : crlfEnd < 0 ? end : Math.min(end, crlfEnd);
        String head = headEnd < 0 ? text : text.substring(0, headEnd);
        byte[] body = headEnd < 0
                ? new byte[0]
                : text.substring(headEnd + (headEnd == crlfEnd ? 4 : 2)).getBytes(StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r?\n");
        if (lines.length == 0) {
            return null;
        }
        String[] requestLine = lines[0].trim().split(" ", 2);
        if (requestLine.length != 2 || requestLine[0].isEmpty() || !requestLine[1].startsWith("/")) {
            return null;
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(
                        lines[i].substring(0, colon).trim(),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return new SandboxCall(requestLine[0], requestLine[1].trim(), headers::get, body);
    }
}
