package com.mka1.batches.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.Mka1Client;
import com.mka1.batches.RetryPolicy;
import com.mka1.batches.errors.InternalServerException;
import com.mka1.batches.errors.Mka1TimeoutException;
import com.mka1.batches.micrometer.DefaultMka1CallObservationConvention;
import com.mka1.batches.micrometer.Mka1CallObservationContext;
import com.mka1.batches.micrometer.Mka1CallObservationConvention;
import com.mka1.batches.micrometer.ObservationCallListener;
import com.mka1.batches.observability.CallContext;
import com.mka1.batches.observability.CallListener;
import com.mka1.batches.observability.CallResult;
import com.mka1.batches.sandbox.FaultSpec;
import com.mka1.batches.sandbox.Mka1Sandbox;
import com.mka1.batches.sandbox.SandboxRequest;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The auto-configuration in an {@link ApplicationContextRunner}: which beans appear for which
 * properties and classpath, and what the configured client does against a sandbox.
 */
class Mka1AutoConfigurationTest {
    private static Mka1Sandbox sandbox;

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(Mka1AutoConfiguration.class));

    @BeforeAll
    static void startSandbox() {
        sandbox = Mka1Sandbox.start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void resetSandbox() {
        sandbox.reset();
    }

    /**
     * The runner with the properties of the shared sandbox, and no real waits between retries.
     * (Faults carry no {@code Retry-After: 0}: OkHttp itself repeats a 503 that says so, before
     * the client's retry policy sees it.)
     */
    private ApplicationContextRunner againstSandbox(String... more) {
        return runner.withPropertyValues("mka1.api-key=" + sandbox.apiKey(), "mka1.base-url=" + sandbox.baseUrl())
                .withPropertyValues(more)
                .withBean(Mka1ClientBuilderCustomizer.class, () -> builder -> builder.sleeper(wait -> {}));
    }

    @Test
    void theApiKeyAndBaseUrlGiveAWorkingClientThatIsClosedWithTheContext() {
        AtomicReference<Mka1Client> bean = new AtomicReference<>();
        againstSandbox().run(context -> {
            assertThat(context).hasSingleBean(Mka1Client.class);
            Mka1Client client = context.getBean(Mka1Client.class);
            bean.set(client);
            assertThat(client.baseUrl()).isEqualTo(sandbox.baseUrl() + "/");
            assertThat(client.llm().batches().list(ListBatchesParams.none()).data())
                    .isEmpty();
        });

        assertThatThrownBy(() -> bean.get().llm().batches().list(ListBatchesParams.none()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void onBehalfOfIsSentWithEveryCall() {
        againstSandbox("mka1.on-behalf-of=user_42").run(context -> {
            context.getBean(Mka1Client.class).llm().batches().list(ListBatchesParams.none());

            assertThat(sandbox.requests())
                    .extracting(request -> request.header("X-On-Behalf-Of").orElse(null))
                    .containsExactly("user_42");
        });
    }

    @Test
    void theRetryPropertiesSetHowOftenAFailedCallIsRetried() {
        againstSandbox("mka1.retry.max-retries=0").run(context -> {
            sandbox.injectFault(FaultSpec.status(503));

            assertThatThrownBy(() ->
                            context.getBean(Mka1Client.class).llm().batches().list(ListBatchesParams.none()))
                    .isInstanceOf(InternalServerException.class);
            assertThat(sandbox.requestCount()).isEqualTo(1);
        });
        sandbox.reset();
        againstSandbox("mka1.retry.max-retries=3").run(context -> {
            sandbox.injectFault(FaultSpec.status(503).times(3));

            assertThat(context.getBean(Mka1Client.class)
                            .llm()
                            .batches()
                            .list(ListBatchesParams.none())
                            .data())
                    .isEmpty();
            assertThat(sandbox.requestCount()).isEqualTo(4);
        });
    }

    @Test
    void theAttemptTimeoutPropertyBoundsEachAttempt() {
        againstSandbox("mka1.attempt-timeout=100ms", "mka1.retry.max-retries=0").run(context -> {
            sandbox.injectFault(FaultSpec.delay(Duration.ofMillis(1_500)));

            assertThatThrownBy(() ->
                            context.getBean(Mka1Client.class).llm().batches().list(ListBatchesParams.none()))
                    .isInstanceOfSatisfying(
                            Mka1TimeoutException.class,
                            e -> assertThat(e.kind()).isEqualTo(Mka1TimeoutException.TimeoutKind.ATTEMPT));
        });
    }

    /** What Spring Boot reports at start-up for the context's failure: description and action. */
    private static FailureAnalysis analysis(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = new Mka1PropertyFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis).as("analysed").isNotNull();
        return analysis;
    }

    @Test
    void withoutAnApiKeyTheContextFailsNamingTheProperty() {
        runner.run(context -> {
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("apiKey is required");
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription())
                    .isEqualTo("The property mka1.api-key can't configure the MKA1 client: mka1.api-key is not set.");
            assertThat(analysis.getAction())
                    .isEqualTo("Set mka1.api-key (or the MKA1_API_KEY environment variable),"
                            + " or run against an embedded sandbox with mka1.sandbox.enabled=true.");
        });
    }

    @Test
    void anApiKeyLeftAsAnUnresolvedPlaceholderFailsTheContextNamingIt() {
        runner.withPropertyValues("mka1.api-key=${MKA1_VARIABLE_NOT_SET_IN_TESTS}")
                .run(context -> {
                    FailureAnalysis analysis = analysis(context);
                    assertThat(analysis.getDescription())
                            .isEqualTo(
                                    "The property mka1.api-key can't configure the MKA1"
                                            + " client: mka1.api-key is the unresolved placeholder '${MKA1_VARIABLE_NOT_SET_IN_TESTS}'.");
                    assertThat(analysis.getAction())
                            .startsWith("Set the variable it names, or write it with an empty default");
                });
    }

    @Test
    void anApiKeyPlaceholderWithAnEmptyDefaultFailsAsAMissingKey() {
        runner.withPropertyValues("mka1.api-key=${MKA1_VARIABLE_NOT_SET_IN_TESTS:}")
                .run(context -> assertThat(analysis(context).getDescription()).endsWith("mka1.api-key is not set."));
    }

    @Test
    void aBadBaseUrlFailsTheContextSayingWhy() {
        runner.withPropertyValues("mka1.api-key=sk-test", "mka1.base-url=ftp://example.com")
                .run(context -> {
                    FailureAnalysis analysis = analysis(context);
                    assertThat(analysis.getDescription())
                            .isEqualTo("The property mka1.base-url can't configure the MKA1"
                                    + " client: baseUrl must be an http or https URL, was 'ftp://example.com'");
                    assertThat(analysis.getAction()).startsWith("Set mka1.base-url to the API's https URL");
                });
        runner.withPropertyValues("mka1.api-key=sk-test", "mka1.base-url=http://example.com")
                .run(context -> assertThat(analysis(context).getAction()).contains("mka1.allow-insecure-http=true"));
    }

    @Test
    void aValueTheClientRefusesNamesItsProperty() {
        againstSandbox("mka1.retry.jitter=2").run(context -> {
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription())
                    .isEqualTo("The property mka1.retry.jitter can't configure the MKA1"
                            + " client: mka1.retry.jitter: jitter must be between 0 and 1, was 2.0");
            assertThat(analysis.getAction()).isEqualTo("Correct mka1.retry.jitter in the application's configuration.");
        });
        againstSandbox("mka1.retry.initial-backoff=10s", "mka1.retry.max-backoff=1s")
                .run(context -> assertThat(analysis(context).getAction())
                        .isEqualTo("Set mka1.retry.max-backoff to at least mka1.retry.initial-backoff."));
        againstSandbox("mka1.api-key=sk test")
                .run(context -> assertThat(analysis(context).getDescription())
                        .contains("mka1.api-key: apiKey contains a whitespace")
                        .doesNotContain("sk test"));
    }

    /** The analyzer is registered: a failing application prints Boot's report with its words. */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aFailingApplicationReportsThePropertyAndTheAction(CapturedOutput output) {
        SpringApplication application = new SpringApplication(Mka1AutoConfiguration.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(
                java.util.Map.of("mka1.api-key", "sk-test", "mka1.base-url", "ftp://example.com"));

        assertThatThrownBy(application::run).isInstanceOf(BeanCreationException.class);

        assertThat(output)
                .contains(
                        "APPLICATION FAILED TO START",
                        "The property mka1.base-url can't configure the MKA1 client: baseUrl must be an http or https URL",
                        "Action:",
                        "Set mka1.base-url to the API's https URL");
    }

    @Test
    void anApplicationsOwnClientWins() {
        Mka1Client own =
                Mka1Client.builder().apiKey("sk-own").baseUrl(sandbox.baseUrl()).build();
        runner.withBean("ownClient", Mka1Client.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(Mka1Client.class);
            assertThat(context.getBean(Mka1Client.class)).isSameAs(own);
        });
        own.close();
    }

    @Test
    void callListenerBeansHearTheClientsCalls() {
        List<String> heard = new CopyOnWriteArrayList<>();
        CallListener listener = new CallListener() {
            @Override
            public void callEnded(CallContext call, CallResult result) {
                heard.add(call.operation() + " " + result.outcome());
            }
        };
        againstSandbox().withBean(CallListener.class, () -> listener).run(context -> {
            context.getBean(Mka1Client.class).llm().batches().list(ListBatchesParams.none());

            assertThat(heard).containsExactly("batches.list SUCCESS");
        });
    }

    @Test
    void anObservationRegistryBeanBringsTheMicrometerBindingAndNoneLeavesItOut() {
        againstSandbox().run(context -> assertThat(context).doesNotHaveBean(ObservationCallListener.class));
        againstSandbox()
                .withBean(ObservationRegistry.class, ObservationRegistry::create)
                .run(context -> assertThat(context).hasSingleBean(ObservationCallListener.class));
    }

    @Test
    void withActuatorsAutoConfigurationACallLeavesItsTimerInTheMeterRegistry() {
        againstSandbox()
                .withConfiguration(AutoConfigurations.of(
                        ObservationAutoConfiguration.class,
                        MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class))
                .run(context -> {
                    context.getBean(Mka1Client.class).llm().batches().list(ListBatchesParams.none());

                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get(ObservationCallListener.CALLS)
                                    .tags(
                                            "operation",
                                            "batches.list",
                                            "http.response.status_code",
                                            "200",
                                            "outcome",
                                            "SUCCESS",
                                            "url.template",
                                            "/api/v1/llm/batches",
                                            "server.address",
                                            "127.0.0.1")
                                    .timer()
                                    .count())
                            .isEqualTo(1);
                });
    }

    @Test
    void anApplicationsObservationConventionNamesAndTagsTheTimers() {
        againstSandbox()
                .withConfiguration(AutoConfigurations.of(
                        ObservationAutoConfiguration.class,
                        MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class))
                .withBean(Mka1CallObservationConvention.class, () -> new DefaultMka1CallObservationConvention() {
                    @Override
                    public KeyValues getLowCardinalityKeyValues(Mka1CallObservationContext context) {
                        return super.getLowCardinalityKeyValues(context).and("team", "reporting");
                    }
                })
                .run(context -> {
                    context.getBean(Mka1Client.class).llm().batches().list(ListBatchesParams.none());

                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get(ObservationCallListener.CALLS)
                                    .tags("operation", "batches.list", "outcome", "SUCCESS", "team", "reporting")
                                    .timer()
                                    .count())
                            .isEqualTo(1);
                });
    }

    @Test
    void sandboxEnabledStartsOneAndPointsTheClientAtItWithoutAKey() {
        AtomicReference<Integer> port = new AtomicReference<>();
        runner.withPropertyValues("mka1.sandbox.enabled=true", "mka1.sandbox.step=1s")
                .run(context -> {
                    assertThat(context).hasSingleBean(Mka1Sandbox.class);
                    Mka1Sandbox embedded = context.getBean(Mka1Sandbox.class);
                    port.set(embedded.port());
                    Mka1Client client = context.getBean(Mka1Client.class);
                    assertThat(client.baseUrl()).isEqualTo(embedded.baseUrl() + "/");

                    assertThat(client.llm()
                                    .batches()
                                    .list(ListBatchesParams.none())
                                    .data())
                            .isEmpty();
                    assertThat(embedded.requests())
                            .extracting(SandboxRequest::method)
                            .containsExactly("GET");
                });

        assertThatThrownBy(() -> new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port.get()).close())
                .as("the sandbox stopped with the context")
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void sandboxEnabledWithoutTheSandboxArtifactFailsSayingWhatToAdd() {
        runner.withPropertyValues("mka1.sandbox.enabled=true")
                .withClassLoader(new FilteredClassLoader(Mka1Sandbox.class))
                .run(context -> {
                    FailureAnalysis analysis = analysis(context);
                    assertThat(analysis.getDescription())
                            .isEqualTo(
                                    "The property mka1.sandbox.enabled can't configure"
                                            + " the MKA1 client: mka1.sandbox.enabled=true needs the embedded sandbox on the classpath.");
                    assertThat(analysis.getAction()).startsWith("Add the dependency com.mka1:mka1-batches-sandbox");
                });
    }

    @Test
    void thePropertiesDefaultsAreTheLibrarysDefaults() {
        Mka1Properties properties = new Mka1Properties();
        RetryPolicy defaults = RetryPolicy.defaults();

        assertThat(properties.getBaseUrl()).isEqualTo(Mka1Client.DEFAULT_BASE_URL);
        assertThat(properties.getConnectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.getReadTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(properties.getWriteTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(properties.getRetry().getMaxRetries()).isEqualTo(defaults.maxRetries());
        assertThat(properties.getRetry().getInitialBackoff()).isEqualTo(defaults.initialBackoff());
        assertThat(properties.getRetry().getMaxBackoff()).isEqualTo(defaults.maxBackoff());
        assertThat(properties.getRetry().getMultiplier()).isEqualTo(defaults.multiplier());
        assertThat(properties.getRetry().getJitter()).isEqualTo(defaults.jitter());
        assertThat(properties.getRetry().getMaxElapsedTime()).isEqualTo(defaults.maxElapsedTime());
        assertThat(properties.getSandbox().getStep()).isEqualTo(Mka1Sandbox.DEFAULT_STEP);
    }

    @Test
    void theConfigurationMetadataDescribesEveryProperty() throws IOException {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in)
                    .as("generated by spring-boot-configuration-processor")
                    .isNotNull();
            metadata = new ObjectMapper().readTree(in);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode property : metadata.get("properties")) {
            names.add(property.get("name").asText());
            assertThat(property.path("description").asText())
                    .as(property.get("name").asText())
                    .isNotBlank();
        }
        assertThat(names)
                .contains(
                        "mka1.api-key",
                        "mka1.base-url",
                        "mka1.on-behalf-of",
                        "mka1.connect-timeout",
                        "mka1.read-timeout",
                        "mka1.write-timeout",
                        "mka1.attempt-timeout",
                        "mka1.timeout",
                        "mka1.retry.max-retries",
                        "mka1.retry.initial-backoff",
                        "mka1.sandbox.enabled",
                        "mka1.sandbox.port");
    }

    @Test
    void thePropertiesNeverShowTheKey() {
        Mka1Properties properties = new Mka1Properties();
        properties.setApiKey("sk-secret-0123456789");
        assertThat(properties.toString()).doesNotContain("sk-secret").contains("apiKey=set");
    }
}
