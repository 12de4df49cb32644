package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.mka1.batches.ResilienceSupport.API_KEY;
import static com.mka1.batches.ResilienceSupport.BATCH_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One debug line per attempt, and the key (or its Authorization header) nowhere: not in the
 * captured log lines, not in any exception's message, cause or suppressed exception, not in
 * any toString().
 */
class SecretHygieneTest {
    @RegisterExtension
    static final WireMockExtension wm = ResilienceSupport.loopbackWireMock();

    private static final String PATH = "/api/v1/llm/batches/" + BATCH_ID;

    @Test
    // The calls' outcomes are not what this test checks: they run for what they leave behind.
    @SuppressWarnings("CheckReturnValue")
    void eachAttemptLogsOneDebugLineWithMethodPathStatusAttemptAndTime() {
        wm.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(500)));
        try (ResilienceSupport.LogCapture logs = new ResilienceSupport.LogCapture();
                Mka1Client client = ResilienceSupport.client(wm, new FakeTime())
                        .requestOptions(RequestOptions.builder().maxRetries(2).build())
                        .build()) {
            catchThrowable(() -> client.llm().batches().get(BATCH_ID));

            assertThat(logs.messages())
                    .containsExactly(
                            "GET " + PATH + " -> 500 (attempt 1, 0 ms)",
                            "GET " + PATH + " -> 500 (attempt 2, 0 ms)",
                            "GET " + PATH + " -> 500 (attempt 3, 0 ms)");
        }
    }

    @Test
    void theKeyAppearsInNoLogLineExceptionOrToString() {
        List<Throwable> failures = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        try (ResilienceSupport.LogCapture logs = new ResilienceSupport.LogCapture();
                Mka1Client client = ResilienceSupport.client(wm, new FakeTime())
                        .requestOptions(
                                RequestOptions.builder().onBehalfOf("user_1").build())
                        .requestOptions(RequestOptions.builder().maxRetries(1).build())
                        .build()) {
            RequestOptions options = RequestOptions.builder()
                    .header("Authorization", "Bearer " + API_KEY)
                    .header("X-Api-Key", API_KEY)
                    .readTimeout(Duration.ofMillis(200))
                    .build();
            Object[] responses = {
                aResponse().withStatus(401).withBody("{\"error\":\"Invalid API key\"}"),
                aResponse().withStatus(429).withHeader("Retry-After", "0"),
                aResponse().withStatus(500).withBody("<html>oops</html>"),
                okJson("{\"not\":\"a batch\"}"),
                aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                okJson("{}").withFixedDelay(400)
            };
            for (Object response : responses) {
                wm.stubFor(get(urlEqualTo(PATH)).willReturn((ResponseDefinitionBuilder) response));
                failures.add(catchThrowable(() -> client.llm().batches().get(BATCH_ID)));
                failures.add(catchThrowable(
                        () -> client.llm().batches().withOptions(options).get(BATCH_ID)));
                failures.add(catchThrowable(
                        () -> client.async().llm().batches().get(BATCH_ID).join()));
            }
            failures.add(catchThrowable(() -> Mka1Client.builder().apiKey(API_KEY + " ")));
            texts.addAll(logs.messages());
            texts.add(client.toString());
            texts.add(options.toString());
            texts.add(RetryPolicy.defaults().toString());
        }
        assertThat(failures).doesNotContainNull().hasSize(19);
        assertThat(texts).hasSizeGreaterThan(18); // the log lines were captured
        for (Throwable failure : failures) {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace)); // messages, causes and suppressed, all of them
            texts.add(trace.toString());
            texts.add(failure.toString());
        }
        assertThat(texts).noneMatch(text -> text.contains(API_KEY)).noneMatch(text -> text.contains("Bearer"));
    }
}
