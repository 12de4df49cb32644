package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.findAll;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static com.mka1.batches.TestSupport.BATCHES;
import static com.mka1.batches.TestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A batch id is always exactly one path segment, whatever it contains. */
@WireMockTest
class PathSegmentTest {
    private Mka1Client client;
    private BatchService batches;

    @BeforeEach
    void setUp(WireMockRuntimeInfo wm) {
        client = TestSupport.client(wm);
        batches = client.llm().batches();
        stubFor(any(anyUrl()).willReturn(okJson(fixture("batch-completed.json"))));
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            value = {
                "a/b        | a%2Fb",
                "../x       | ..%2Fx",
                "..%2F..    | ..%252F..",
                "?          | %3F",
                "#          | %23",
                "'a b'      | a%20b",
                "%2F        | %252F",
                "a?after=x  | a%3Fafter=x",
                "é批        | %C3%A9%E6%89%B9",
                "...        | ...",
                "'.. '      | ..%20",
                "../../admin | ..%2F..%2Fadmin",
                "x#frag     | x%23frag",
                "%2e%2e     | %252e%252e",
                "x\\y       | x%5Cy",
            })
    void getAndCancelSendTheIdAsOneEncodedSegment(String id, String encoded) {
        batches.get(id);
        batches.cancel(id);

        verify(1, getRequestedFor(urlEqualTo(BATCHES + "/" + encoded)));
        verify(1, postRequestedFor(urlEqualTo(BATCHES + "/" + encoded + "/cancel")));
        assertThat(findAll(anyRequestedFor(anyUrl()))).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "", " ", "\t"})
    void dotSegmentsAndBlankIdsAreRefusedBeforeAnyRequest(String id) {
        assertRefusedWithoutRequest(id, IllegalArgumentException.class);
    }

    @Test
    void nullIdIsRefusedBeforeAnyRequest() {
        assertRefusedWithoutRequest(null, NullPointerException.class);
    }

    private void assertRefusedWithoutRequest(String id, Class<? extends Throwable> expected) {
        for (Consumer<String> call : java.util.List.<Consumer<String>>of(
                batches::get,
                batches::cancel,
                batches.withRawResponse()::get,
                batches.withRawResponse()::cancel,
                i -> batches.withOptions(RequestOptions.none()).get(i),
                i -> batches.withOptions(RequestOptions.none()).cancel(i))) {
            assertThatThrownBy(() -> call.accept(id)).isInstanceOf(expected).hasMessageContaining("batchId");
        }
        assertThat(findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void theIdStaysOneSegmentUnderABaseUrlPrefix(WireMockRuntimeInfo wm) {
        stubFor(get(urlEqualTo("/gw/api/v1/llm/batches/a%2F..%2Fb"))
                .willReturn(okJson(fixture("batch-completed.json"))));
        stubFor(post(urlEqualTo("/gw/api/v1/llm/batches/a%2F..%2Fb/cancel"))
                .willReturn(okJson(fixture("batch-cancelling.json"))));

        try (Mka1Client prefixed = TestSupport.clientBuilder(wm)
                .baseUrl(wm.getHttpBaseUrl() + "/gw")
                .build()) {
            prefixed.llm().batches().get("a/../b");
            prefixed.llm().batches().cancel("a/../b");
        }

        verify(1, getRequestedFor(urlEqualTo("/gw/api/v1/llm/batches/a%2F..%2Fb")));
        verify(1, postRequestedFor(urlEqualTo("/gw/api/v1/llm/batches/a%2F..%2Fb/cancel")));
    }
}
