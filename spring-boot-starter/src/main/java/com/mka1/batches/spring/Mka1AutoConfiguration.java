package com.mka1.batches.spring;

import com.mka1.batches.Mka1Client;
import com.mka1.batches.RequestOptions;
import com.mka1.batches.RetryPolicy;
import com.mka1.batches.micrometer.Mka1CallObservationConvention;
import com.mka1.batches.micrometer.ObservationCallListener;
import com.mka1.batches.observability.CallListener;
import com.mka1.batches.sandbox.Mka1Sandbox;
import io.micrometer.observation.ObservationRegistry;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures an {@link Mka1Client} bean from the {@link Mka1Properties} ({@code mka1.*}),
 * unless the application defines its own. The bean is closed with the context. Every
 * {@link CallListener} bean is added to it (in {@code @Order}), then every
 * {@link Mka1ClientBuilderCustomizer} applied.
 *
 * <ul>
 *   <li>With an {@code ObservationRegistry} bean (Spring Boot Actuator makes one), an
 *       {@link ObservationCallListener} bean: metrics {@code mka1.client.calls},
 *       {@code mka1.client.attempts} and {@code mka1.client.retries} in the application's
 *       {@code MeterRegistry}, and spans when tracing is set up; named and tagged by the
 *       application's {@code Mka1CallObservationConvention} bean if it has one.</li>
 *   <li>With {@code mka1.sandbox.enabled=true} and {@code com.mka1:mka1-batches-sandbox} on the
 *       classpath, an embedded {@link Mka1Sandbox} bean on 127.0.0.1, and the client pointed at
 *       it with its key. Without the artifact, the context fails and says so.</li>
 * </ul>
 */
@AutoConfiguration(
        afterName = {
            // Spring Boot 3
            "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            // Spring Boot 4: the same, moved to spring-boot-micrometer-observation and -metrics
            "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
        })
@ConditionalOnClass(Mka1Client.class)
@EnableConfigurationProperties(Mka1Properties.class)
public class Mka1AutoConfiguration {
    /** A {@code ${...}} Spring could not resolve; its name, at most 200 characters, shown in the message. */
    private static final Pattern UNRESOLVED_PLACEHOLDER = Pattern.compile("\\$\\{[A-Za-z0-9_.:\\-]{0,200}}");

    /** The sandbox's properties' prefix. */
    private static final String SANDBOX = "mka1.sandbox";

    /**
     * The client, from the properties, the listeners and the customizers.
     *
     * @param properties the {@code mka1.*} properties
     * @param listeners every {@link CallListener} bean
     * @param customizers every {@link Mka1ClientBuilderCustomizer} bean
     * @return the client
     * @throws IllegalStateException naming the property at fault if the client can't be built
     *     (a {@code Mka1PropertyException}, which {@code Mka1PropertyFailureAnalyzer} reports at
     *     start-up with the action to take)
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Mka1Client mka1Client(
            Mka1Properties properties,
            ObjectProvider<CallListener> listeners,
            ObjectProvider<Mka1ClientBuilderCustomizer> customizers) {
        Mka1Client.Builder builder = Mka1Client.builder();
        refuseUnresolvedPlaceholder(properties.getApiKey());
        apply(properties, builder);
        listeners.orderedStream().forEach(builder::addListener);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        try {
            return builder.build();
        } catch (IllegalArgumentException e) { // every other setting was checked as it was set
            throw new Mka1PropertyException(
                    "mka1.base-url",
                    e.getMessage(),
                    "Set mka1.base-url to the API's https URL (http only to a loopback host, or with"
                            + " mka1.allow-insecure-http=true), without a query or fragment.",
                    e);
        } catch (IllegalStateException e) {
            throw new Mka1PropertyException(
                    "mka1.api-key",
                    "mka1.api-key is not set.",
                    "Set mka1.api-key (or the MKA1_API_KEY environment variable), or run against an embedded"
                            + " sandbox with mka1.sandbox.enabled=true.",
                    e);
        }
    }

    /**
     * Spring leaves a placeholder it can't resolve as it is, so {@code mka1.api-key=${MKA1_API_KEY}}
     * with the variable unset would send the literal text as the key, to the production URL. Only
     * the placeholder is named, never a value that might be a real key.
     */
    private static void refuseUnresolvedPlaceholder(String apiKey) {
        if (apiKey == null) {
            return;
        }
        Matcher placeholder = UNRESOLVED_PLACEHOLDER.matcher(apiKey);
        if (placeholder.find()) {
            throw new Mka1PropertyException(
                    "mka1.api-key",
                    "mka1.api-key is the unresolved placeholder '" + placeholder.group() + "'.",
                    "Set the variable it names, or write it with an empty default (${MKA1_API_KEY:}) so that"
                            + " an unset variable fails as a missing key.",
                    null);
        }
    }

    /**
     * Plain null checks rather than Boot's {@code PropertyMapper}, whose API changed in Boot 4:
     * one artifact runs on Boot 3.5 and 4. A value the client refuses names its property.
     */
    private static void apply(Mka1Properties properties, Mka1Client.Builder builder) {
        String apiKey = properties.getApiKey();
        if (apiKey != null && !apiKey.trim().isEmpty()) {
            // the client's message gives the position of a bad character, never the key
            set("mka1.api-key", apiKey, builder::apiKey);
        }
        set("mka1.base-url", properties.getBaseUrl(), builder::baseUrl);
        RequestOptions.Builder defaults = RequestOptions.builder();
        String onBehalfOf = properties.getOnBehalfOf();
        if (onBehalfOf != null && !onBehalfOf.trim().isEmpty()) {
            set("mka1.on-behalf-of", onBehalfOf, defaults::onBehalfOf);
        }
        set("mka1.connect-timeout", properties.getConnectTimeout(), defaults::connectTimeout);
        set("mka1.read-timeout", properties.getReadTimeout(), defaults::readTimeout);
        set("mka1.write-timeout", properties.getWriteTimeout(), defaults::writeTimeout);
        set("mka1.attempt-timeout", properties.getAttemptTimeout(), defaults::attemptTimeout);
        set("mka1.timeout", properties.getTimeout(), defaults::timeout);
        builder.allowInsecureHttp(properties.isAllowInsecureHttp());
        Mka1Properties.Retry retry = properties.getRetry();
        RetryPolicy.Builder policy = RetryPolicy.builder();
        set("mka1.retry.max-retries", retry.getMaxRetries(), policy::maxRetries);
        set("mka1.retry.multiplier", retry.getMultiplier(), policy::multiplier);
        set("mka1.retry.jitter", retry.getJitter(), policy::jitter);
        set("mka1.retry.initial-backoff", retry.getInitialBackoff(), policy::initialBackoff);
        set("mka1.retry.max-backoff", retry.getMaxBackoff(), policy::maxBackoff);
        set("mka1.retry.max-elapsed-time", retry.getMaxElapsedTime(), policy::maxElapsedTime);
        try {
            defaults.retryPolicy(policy.build());
        } catch (IllegalStateException e) { // the one rule across two settings
            throw new Mka1PropertyException(
                    "mka1.retry.max-backoff",
                    e.getMessage(),
                    "Set mka1.retry.max-backoff to at least mka1.retry.initial-backoff.",
                    e);
        }
        builder.requestOptions(defaults.build());
    }

    /** Gives a non-null {@code value} to {@code setter}; a refusal names {@code property}. */
    private static <T> void set(String property, T value, Consumer<T> setter) {
        if (value == null) {
            return;
        }
        try {
            setter.accept(value);
        } catch (IllegalArgumentException e) {
            throw new Mka1PropertyException(
                    property,
                    property + ": " + e.getMessage(),
                    "Correct " + property + " in the application's configuration.",
                    e);
        }
    }

    /** Observations of the client's calls, when the application has an {@code ObservationRegistry}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry.class)
    @ConditionalOnBean(ObservationRegistry.class)
    static class Observations {
        @Bean
        @ConditionalOnMissingBean
        ObservationCallListener mka1ObservationCallListener(
                ObservationRegistry registry, ObjectProvider<Mka1CallObservationConvention> convention) {
            return new ObservationCallListener(registry, convention.getIfUnique());
        }
    }

    /** The embedded sandbox, with {@code mka1.sandbox.enabled=true}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "com.mka1.batches.sandbox.Mka1Sandbox")
    @ConditionalOnProperty(prefix = SANDBOX, name = "enabled", havingValue = "true")
    static class Sandbox {
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        Mka1Sandbox mka1Sandbox(Mka1Properties properties) {
            return Mka1Sandbox.builder()
                    .port(properties.getSandbox().getPort())
                    .stepDuration(properties.getSandbox().getStep())
                    .start();
        }

        @Bean
        Mka1ClientBuilderCustomizer mka1SandboxClient(Mka1Sandbox sandbox) {
            return builder -> builder.baseUrl(sandbox.baseUrl()).apiKey(sandbox.apiKey());
        }
    }

    /** {@code mka1.sandbox.enabled=true} without the sandbox artifact: fail, saying what is missing. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("com.mka1.batches.sandbox.Mka1Sandbox")
    @ConditionalOnProperty(prefix = SANDBOX, name = "enabled", havingValue = "true")
    static class NoSandbox {
        @Bean
        Mka1ClientBuilderCustomizer mka1SandboxMissing() {
            throw new Mka1PropertyException(
                    "mka1.sandbox.enabled",
                    "mka1.sandbox.enabled=true needs the embedded sandbox on the classpath.",
                    "Add the dependency com.mka1:mka1-batches-sandbox (test scope is enough for tests), or remove"
                            + " mka1.sandbox.enabled.",
                    null);
        }
    }
}
