package com.mka1.batches.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.errors.NotFoundException;
import com.mka1.batches.sandbox.FaultSpec;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxOperation;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * A whole Spring Boot application with Actuator and the starter, its client on the embedded
 * sandbox: the metrics real calls leave, in the {@link MeterRegistry} and at
 * {@code /actuator/metrics}, under the documented names and tags.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "mka1.sandbox.enabled=true",
            "management.endpoints.web.exposure.include=metrics",
            // Tomcat's own directory in the build's output: its default, a new temporary directory, outlives the JVM.
            "server.tomcat.basedir=target/tomcat"
        })
class Mka1MetricsSpringBootTest {
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
        /** Retries wait on nothing in a test. */
        @Bean
        Mka1ClientBuilderCustomizer noRealWaits() {
            return builder -> builder.sleeper(wait -> {});
        }
    }

    @Autowired
    private Mka1Client client;

    @Autowired
    private Mka1Sandbox sandbox;

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private TestRestTemplate http;

    @Test
    void callsLeaveTimersTaggedWithOperationStatusClassAndOutcome() {
        sandbox.injectFault(FaultSpec.status(503).on(SandboxOperation.LIST));
        client.llm().batches().list(ListBatchesParams.none());
        assertThatThrownBy(() -> client.llm().batches().get("batch_missing")).isInstanceOf(NotFoundException.class);

        assertThat(meters.get("mka1.client.calls")
                        .tags(
                                "operation",
                                "batches.list",
                                "http.request.method",
                                "GET",
                                "url.template",
                                "/api/v1/llm/batches",
                                "http.response.status_code",
                                "200",
                                "outcome",
                                "SUCCESS",
                                "error.type",
                                "none",
                                "error",
                                "none")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("mka1.client.calls")
                        .tags(
                                "operation",
                                "batches.get",
                                "url.template",
                                "/api/v1/llm/batches/{batch_id}",
                                "http.response.status_code",
                                "404",
                                "outcome",
                                "CLIENT_ERROR",
                                "error.type",
                                "com.mka1.batches.errors.NotFoundException",
                                "error",
                                "NotFoundException")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("mka1.client.attempts")
                        .tags("operation", "batches.list")
                        .timers())
                .extracting(timer -> timer.getId().getTag("http.response.status_code") + " " + timer.count())
                .containsExactlyInAnyOrder("503 1", "200 1");
        assertThat(meters.get("mka1.client.retries")
                        .tags(
                                "operation",
                                "batches.list",
                                "http.response.status_code",
                                "503",
                                "outcome",
                                "SERVER_ERROR")
                        .timer()
                        .count())
                .isEqualTo(1);

        ResponseEntity<JsonNode> calls =
                http.getForEntity("/actuator/metrics/mka1.client.calls?tag=operation:batches.list", JsonNode.class);
        assertThat(calls.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(calls.getBody().get("name").asText()).isEqualTo("mka1.client.calls");
        assertThat(measurement(calls.getBody(), "COUNT")).isEqualTo(1.0);
        assertThat(tagNames(calls.getBody()))
                .contains(
                        "http.request.method",
                        "url.template",
                        "server.address",
                        "http.response.status_code",
                        "outcome",
                        "error.type",
                        "error");

        ResponseEntity<JsonNode> all = http.getForEntity("/actuator/metrics", JsonNode.class);
        List<String> names = new ArrayList<>();
        all.getBody().get("names").forEach(name -> names.add(name.asText()));
        assertThat(names).contains("mka1.client.calls", "mka1.client.attempts", "mka1.client.retries");
    }

    private static double measurement(JsonNode metric, String statistic) {
        for (JsonNode measurement : metric.get("measurements")) {
            if (measurement.get("statistic").asText().equals(statistic)) {
                return measurement.get("value").asDouble();
            }
        }
        throw new AssertionError("no " + statistic + " in " + metric);
    }

    private static List<String> tagNames(JsonNode metric) {
        List<String> tags = new ArrayList<>();
        metric.get("availableTags").forEach(tag -> tags.add(tag.get("tag").asText()));
        return tags;
    }
}
