package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.mka1.batches.ResilienceSupport.BATCH_ID;
import static com.mka1.batches.ResilienceSupport.BATCH_JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The key stays on its host and in its header; header values cannot reshape a request. (Batch ids
 * are kept in their path segment: {@link PathSegmentTest}.)
 */
class SecurityTest {
    @RegisterExtension
    static final WireMockExtension wm = ResilienceSupport.loopbackWireMock();

    @RegisterExtension
    static final WireMockExtension otherHost = ResilienceSupport.loopbackWireMock();

    private static final String PATH = "/api/v1/llm/batches/" + BATCH_ID;

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com", "http://10.0.0.8:8080", "HTTP://api.mka1.com/"})
    void plainHttpToANonLoopbackHostIsRefusedUnlessOptedIn(String baseUrl) {
        assertThatThrownBy(() -> Mka1Client.builder()
                        .apiKey(ResilienceSupport.API_KEY)
                        .baseUrl(baseUrl)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("baseUrl")
                .hasMessageContaining("allowInsecureHttp");
        // building makes no request, so this sends nothing anywhere
        Mka1Client.builder()
                .apiKey(ResilienceSupport.API_KEY)
                .baseUrl(baseUrl)
                .allowInsecureHttp(true)
                .build()
                .close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"https://apigw.mka1.com", "http://localhost:8080", "http://127.0.0.1:1", "http://[::1]:8080"})
    void httpsAndLoopbackHttpAreAccepted(String baseUrl) {
        Mka1Client.builder()
                .apiKey(ResilienceSupport.API_KEY)
                .baseUrl(baseUrl)
                .build()
                .close();
    }

    /** {@code 127.0.0.1} redirects to {@code localhost}: another host, so no Authorization follows. */
    @Test
    void authorizationIsNotSentToAnotherHostOnARedirect() {
        otherHost.stubFor(get(urlEqualTo(PATH)).willReturn(okJson(BATCH_JSON)));
        wm.stubFor(get(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(307)
                        .withHeader("Location", "http://localhost:" + otherHost.getPort() + PATH)));

        try (Mka1Client client = ResilienceSupport.client(wm, new FakeTime()).build()) {
            assertThat(client.llm().batches().get(BATCH_ID).getId()).isEqualTo(BATCH_ID);
        }
        wm.verify(getRequestedFor(urlEqualTo(PATH))
                .withHeader(
                        "Authorization",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                                "Bearer " + ResilienceSupport.API_KEY)));
        otherHost.verify(1, getRequestedFor(urlEqualTo(PATH)).withoutHeader("Authorization"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "onBehalfOf with CRLF | onBehalfOf",
                "header with LF       | value of header X-Trace",
                "idempotency with CR  | idempotencyKey",
                "client onBehalfOf    | onBehalfOf"
            })
    void crOrLfInAHeaderValueIsRefused(String input, String culprit) {
        String forged = "ok\r\nX-Forged: yes";
        Runnable set;
        switch (input.trim()) {
            case "onBehalfOf with CRLF":
                set = () -> RequestOptions.builder().onBehalfOf(forged);
                break;
            case "header with LF":
                set = () -> RequestOptions.builder().header("X-Trace", "a\nX-Forged: yes");
                break;
            case "idempotency with CR":
                set = () -> RequestOptions.builder().idempotencyKey("k\rX-Forged: yes");
                break;
            default:
                set = () -> Mka1Client.builder()
                        .requestOptions(
                                RequestOptions.builder().onBehalfOf(forged).build());
        }
        assertThatThrownBy(set::run)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(culprit)
                .hasMessageContaining("CR, LF");
    }
}
