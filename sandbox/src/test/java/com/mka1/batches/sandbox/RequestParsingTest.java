package com.mka1.batches.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What SandboxParsersFuzzTest found in the sandbox's reading of requests, each pinned here: the
 * parsers are called as WireMock's transformer calls them.
 */
class RequestParsingTest {
    private static final String KEY = "sk-test";

    private final ApiRouter router =
            new ApiRouter(new SandboxState(SandboxClock.fixed(Instant.EPOCH), Mka1Sandbox.DEFAULT_STEP), Set.of(KEY));

    private HttpReply get(String url) {
        Map<String, String> headers = Map.of("Authorization", "Bearer " + KEY);
        return router.handle(new SandboxCall("GET", url, headers::get, new byte[0]));
    }

    /** A regular expression read the quoted value, recursing per character: a StackOverflowError. */
    @Test
    void aLongQuotedFilenameWithEscapesIsReadWhole() throws Exception {
        String filename = "a\\\"b".repeat(2000) + ".jsonl";
        TestMultipart form = TestMultipart.empty()
                .part("file", filename.replace("\\", "\\\\").replace("\"", "\\\""), "application/jsonl", new byte[] {'x'
                });

        Map<String, Multipart.Part> parts = Multipart.parse(form.bytes(), TestMultipart.BOUNDARY);

        assertThat(parts.get("file").filename).isEqualTo(filename);
        assertThat(new String(parts.get("file").content, StandardCharsets.UTF_8))
                .isEqualTo("x");
    }

    @Test
    void dispositionParametersAreReadAsTheyAreWritten() {
        assertThat(Multipart.dispositionParams("form-data; name=file; FileName=\"a;b \\\"c\\\".txt\" ;x=\"\""))
                .containsExactly(Map.entry("name", "file"), Map.entry("filename", "a;b \"c\".txt"), Map.entry("x", ""));
        assertThat(Multipart.dispositionParams("form-data; name=\"a\"; filename=\"never closed"))
                .containsExactly(Map.entry("name", "a"));
    }

    /** URLDecoder's IllegalArgumentException escaped the router: WireMock answered it with a 500. */
    @ParameterizedTest
    @ValueSource(strings = {"after=%zz", "after=%", "limit%=5"})
    void aQueryWithBrokenPercentEncodingIs400(String query) {
        HttpReply reply = get("/api/v1/llm/batches?" + query);

        assertThat(reply.status).isEqualTo(400);
        assertThat(new String(reply.body, StandardCharsets.UTF_8)).contains("\"code\":\"invalid_url\"");
    }

    @Test
    void anIdWithBrokenPercentEncodingIs400() {
        HttpReply reply = get("/api/v1/llm/batches/batch_%E0%A4%A");

        assertThat(reply.status).isEqualTo(400);
        assertThat(new String(reply.body, StandardCharsets.UTF_8)).contains("\"code\":\"invalid_url\"");
    }
}
