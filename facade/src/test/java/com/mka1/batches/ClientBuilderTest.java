package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static com.mka1.batches.TestSupport.API_KEY;
import static com.mka1.batches.TestSupport.BATCHES;
import static com.mka1.batches.TestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.mka1.batches.models.BatchEndpoint;
import java.util.HashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Building a client: required key, base URL checks, fromEnv, toString and close. */
@WireMockTest
class ClientBuilderTest {
    private static final String ID = "batch_aa87e2b1112a455b8deabed784372198";

    @Test
    void missingApiKeyFailsAtBuild() {
        assertThatThrownBy(() -> Mka1Client.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apiKey");
    }

    @Test
    void nullBlankOrMalformedApiKeyIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> Mka1Client.builder().apiKey(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("apiKey");
        assertThatThrownBy(() -> Mka1Client.builder().apiKey("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiKey");
        Throwable thrown = catchThrowable(() -> Mka1Client.builder().apiKey("sk-secret-part\nX-Injected: 1"));
        assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apiKey");
        assertThat(thrown.getMessage()).doesNotContain("sk-secret-part");
    }

    @Test
    void anApiKeyMayHoldEveryPrintableAsciiCharacterButNoDel() {
        assertThat(Mka1Client.builder().apiKey("!sk-key~")).isNotNull();
        assertThatThrownBy(() -> Mka1Client.builder().apiKey("sk-key\u007f"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiKey")
                .hasMessageContaining("index 6");
    }

    @Test
    void aHostNameOtherThanLocalhostIsNotTrustedForPlainHttpWhereverItResolves() throws Exception {
        // The machine's own name often resolves to a loopback address; it is still a name, not a loopback literal.
        String ownName = java.net.InetAddress.getLocalHost().getHostName();
        Mka1Client.Builder builder = Mka1Client.builder().apiKey(API_KEY).baseUrl("http://" + ownName + ":8080");

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowInsecureHttp");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://apigw.mka1.com",
                "not a url",
                "",
                "   ",
                "apigw.mka1.com",
                "https://",
                "https://host/path?q=1"
            })
    void baseUrlThatIsNotAnHttpUrlIsRefusedNamingBaseUrl(String baseUrl) {
        Mka1Client.Builder builder = Mka1Client.builder().apiKey(API_KEY).baseUrl(baseUrl);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("baseUrl");
    }

    @Test
    void nullBaseUrlIsRefused() {
        assertThatThrownBy(() -> Mka1Client.builder().baseUrl(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("baseUrl");
    }

    @Test
    void plainHttpToANonLoopbackHostNeedsAnExplicitOptIn() {
        Mka1Client.Builder builder = Mka1Client.builder().apiKey(API_KEY).baseUrl("http://gateway.example.com");

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("baseUrl")
                .hasMessageContaining("allowInsecureHttp");
        try (Mka1Client client = builder.allowInsecureHttp(true).build()) {
            assertThat(client.baseUrl()).isEqualTo("http://gateway.example.com/");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080"})
    void plainHttpToLoopbackIsAllowed(String baseUrl) {
        try (Mka1Client client =
                Mka1Client.builder().apiKey(API_KEY).baseUrl(baseUrl).build()) {
            assertThat(client.baseUrl()).startsWith("http://").endsWith(":8080/");
        }
    }

    @Test
    void theDefaultBaseUrlIsTheProductionGateway() {
        try (Mka1Client client = Mka1Client.builder().apiKey(API_KEY).build()) {
            assertThat(client.baseUrl()).isEqualTo("https://apigw.mka1.com/");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/proxy/mka1", "/proxy/mka1/"})
    void aBaseUrlPathPrefixIsKept(String prefix, WireMockRuntimeInfo wm) {
        stubFor(get(urlEqualTo("/proxy/mka1" + BATCHES + "/" + ID))
                .willReturn(okJson(fixture("batch-completed.json"))));

        try (Mka1Client client = TestSupport.clientBuilder(wm)
                .baseUrl(wm.getHttpBaseUrl() + prefix)
                .build()) {
            assertThat(client.baseUrl()).endsWith("/proxy/mka1/");
            assertThat(client.llm().batches().get(ID).getId()).isEqualTo(ID);
        }

        verify(1, getRequestedFor(urlEqualTo("/proxy/mka1" + BATCHES + "/" + ID)));
    }

    @Test
    void fromEnvWithoutAKeyNamesTheVariable() {
        assertThatThrownBy(() -> Mka1Client.builderFromEnv(name -> null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MKA1_API_KEY");
        assertThatThrownBy(() ->
                        Mka1Client.builderFromEnv(Map.of("MKA1_API_KEY", " ", "MKA1_BASE_URL", "https://x.test")::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MKA1_API_KEY");
    }

    @Test
    void fromEnvUsesTheKeyAndBaseUrl(WireMockRuntimeInfo wm) {
        stubFor(get(urlEqualTo(BATCHES + "/" + ID)).willReturn(okJson(fixture("batch-completed.json"))));
        Map<String, String> env = new HashMap<>();
        env.put("MKA1_API_KEY", "sk-from-env");
        env.put("MKA1_BASE_URL", wm.getHttpBaseUrl());

        try (Mka1Client client = Mka1Client.builderFromEnv(env::get)
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .build()) {
            client.llm().batches().get(ID);
        }

        verify(
                1,
                getRequestedFor(urlEqualTo(BATCHES + "/" + ID))
                        .withHeader("Authorization", equalTo("Bearer sk-from-env")));
    }

    @Test
    void theClientsRequestOptionsGoOnEveryCallEachLaterOneLaidOverTheEarlier(WireMockRuntimeInfo wm) {
        stubFor(get(urlEqualTo(BATCHES + "/" + ID)).willReturn(okJson(fixture("batch-completed.json"))));

        try (Mka1Client client = TestSupport.clientBuilder(wm)
                .requestOptions(RequestOptions.builder()
                        .onBehalfOf("user_first")
                        .header("X-Team", "a")
                        .build())
                .requestOptions(RequestOptions.builder()
                        .onBehalfOf("user_second")
                        .header("X-Trace", "t-1")
                        .build())
                .build()) {
            client.llm().batches().get(ID);
            client.llm()
                    .batches()
                    .withOptions(RequestOptions.builder().header("X-Team", "b").build())
                    .get(ID);
        }

        verify(
                1,
                getRequestedFor(urlEqualTo(BATCHES + "/" + ID))
                        .withHeader("X-On-Behalf-Of", equalTo("user_second"))
                        .withHeader("X-Team", equalTo("a"))
                        .withHeader("X-Trace", equalTo("t-1")));
        verify(
                1,
                getRequestedFor(urlEqualTo(BATCHES + "/" + ID))
                        .withHeader("X-On-Behalf-Of", equalTo("user_second"))
                        .withHeader("X-Team", equalTo("b"))
                        .withHeader("X-Trace", equalTo("t-1")));
    }

    @Test
    void theClientsRequestOptionsMayNotHoldAnIdempotencyKeyThatEveryCreateWouldShare() {
        Mka1Client.Builder builder = Mka1Client.builder().apiKey(API_KEY);

        assertThatThrownBy(() -> builder.requestOptions(
                        RequestOptions.builder().idempotencyKey("one-for-all").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idempotencyKey")
                .hasMessageNotContaining("one-for-all");
        assertThatThrownBy(() -> builder.requestOptions(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("defaults == null");
    }

    @Test
    void fromEnvWithoutABaseUrlUsesTheDefault() {
        try (Mka1Client client = Mka1Client.builderFromEnv(Map.of("MKA1_API_KEY", "sk-from-env")::get)
                .build()) {
            assertThat(client.baseUrl()).isEqualTo("https://apigw.mka1.com/");
        }
    }

    @Test
    void toStringNeverShowsTheKey(WireMockRuntimeInfo wm) {
        try (Mka1Client client = TestSupport.client(wm)) {
            assertThat(client.toString()).doesNotContain(API_KEY).contains(wm.getHttpBaseUrl());
        }
    }

    @Test
    void closeIsIdempotentAndLaterCallsFail(WireMockRuntimeInfo wm) {
        Mka1Client client = TestSupport.client(wm);
        BatchService batches = client.llm().batches();

        client.close();
        client.close();

        assertThatThrownBy(() -> batches.get(ID))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> batches.list(ListBatchesParams.none())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> batches.cancel(ID)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> batches.create(CreateBatchParams.builder()
                        .inputFileId("f")
                        .endpoint(BatchEndpoint.EMBEDDINGS)
                        .build()))
                .isInstanceOf(IllegalStateException.class);
        assertThat(wm.getWireMock().getServeEvents()).isEmpty();
    }

    @Test
    void closeLeavesACallerSuppliedHttpClientRunning(WireMockRuntimeInfo wm) {
        OkHttpClient shared = new OkHttpClient();
        try {
            TestSupport.clientBuilder(wm).httpClient(shared).build().close();

            assertThat(shared.dispatcher().executorService().isShutdown()).isFalse();
        } finally {
            shared.dispatcher().executorService().shutdown();
            shared.connectionPool().evictAll();
        }
    }
}
