package com.mka1.batches;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Consumer;

/** What the facade tests share: fixtures and a client pointed at WireMock. */
final class TestSupport {
    static final String API_KEY = "sk-test-0123456789abcdef";
    static final String BATCHES = "/api/v1/llm/batches";
    static final String FILES = "/api/v1/llm/files";

    private TestSupport() {}

    /** @return the text of {@code src/test/resources/fixtures/<name>} */
    static String fixture(String name) {
        try (InputStream in = TestSupport.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the fixture as a JSON object after {@code edit}, for bodies that differ in one field */
    static String fixtureWith(String name, Consumer<JsonObject> edit) {
        JsonObject json = JsonParser.parseString(fixture(name)).getAsJsonObject();
        edit.accept(json);
        return json.toString();
    }

    /** @return the directory holding the fixtures (on the test classpath) */
    static Path fixturesDir() {
        URL url = TestSupport.class.getResource("/fixtures");
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A builder for a client talking to WireMock that never retries and fails the test if it
     * ever tries to sleep.
     */
    static Mka1Client.Builder clientBuilder(WireMockRuntimeInfo wm) {
        return Mka1Client.builder()
                .apiKey(API_KEY)
                .baseUrl(wm.getHttpBaseUrl())
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .sleeper(d -> {
                    throw new AssertionError("unexpected sleep of " + d);
                });
    }

    static Mka1Client client(WireMockRuntimeInfo wm) {
        return clientBuilder(wm).build();
    }
}
