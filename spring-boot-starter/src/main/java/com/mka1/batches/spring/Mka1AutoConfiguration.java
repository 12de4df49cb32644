package com.mka1.batches.spring;

import com.mka1.batches.Mka1Client;
import com.mka1.batches.RetryPolicy;
import com.mka1.batches.micrometer.ObservationCallListener;
import com.mka1.batches.observability.CallListener;
import com.mka1.batches.sandbox.Mka1Sandbox;
import io.micrometer.observation.ObservationRegistry;
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
import org.springframework.boot.context.properties.PropertyMapper;
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
 *       {@code MeterRegistry}, and spans when tracing is set up.</li>
 *   <li>With {@code mka1.sandbox.enabled=true} and {@code com.mka1:mka1-batches-sandbox} on the
 *       classpath, an embedded {@link Mka1Sandbox} bean on 127.0.0.1, and the client pointed at
 *       it with its key. Without the artifact, the context fails and says so.</li>
 * </ul>
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass(Mka1Client.class)
@EnableConfigurationProperties(Mka1Properties.class)
public class Mka1AutoConfiguration {
    /** A {@code ${...}} Spring could not resolve; its name, at most 200 characters, shown in the message. */
    private static final Pattern UNRESOLVED_PLACEHOLDER =
            Pattern.compile("\\$\\{[A-Za-z0-9_.:\\-]{0,200}}");

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
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Mka1Client mka1Client(Mka1Properties properties, ObjectProvider<CallListener> listeners,
                                 ObjectProvider<Mka1ClientBuilderCustomizer> customizers) {
        Mka1Client.Builder builder = Mka1Client.builder();
        refuseUnresolvedPlaceholder(properties.getApiKey());
        try {
            apply(properties, builder);
            listeners.orderedStream().forEach(builder::addListener);
            customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The mka1.* properties can't make an Mka1Client: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            if (properties.getApiKey() == null || properties.getApiKey().trim().isEmpty()) {
                throw new IllegalStateException("mka1.api-key is not set: set it (or the MKA1_API_KEY environment"
                        + " variable), or run against an embedded sandbox with mka1.sandbox.enabled=true", e);
            }
            throw e;
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
            throw new IllegalStateException("mka1.api-key is the unresolved placeholder '" + placeholder.group()
                    + "': set the variable it names, or write it with an empty default (${MKA1_API_KEY:}) so that"
                    + " an unset variable fails as a missing key");
        }
    }

    private static void apply(Mka1Properties properties, Mka1Client.Builder builder) {
        PropertyMapper map = PropertyMapper.get().alwaysApplyingWhenNonNull();
        map.from(properties::getApiKey).whenHasText().to(builder::apiKey);
        map.from(properties::getBaseUrl).to(builder::baseUrl);
        map.from(properties::getOnBehalfOf).whenHasText().to(builder::onBehalfOf);
        map.from(properties::getConnectTimeout).to(builder::connectTimeout);
        map.from(properties::getReadTimeout).to(builder::readTimeout);
        map.from(properties::getWriteTimeout).to(builder::writeTimeout);
        map.from(properties::getAttemptTimeout).to(builder::attemptTimeout);
        map.from(properties::getTimeout).to(builder::timeout);
        builder.allowInsecureHttp(properties.isAllowInsecureHttp());
        Mka1Properties.Retry retry = properties.getRetry();
        RetryPolicy.Builder policy = RetryPolicy.builder()
                .maxRetries(retry.getMaxRetries())
                .multiplier(retry.getMultiplier())
                .jitter(retry.getJitter());
        map.from(retry::getInitialBackoff).to(policy::initialBackoff);
        map.from(retry::getMaxBackoff).to(policy::maxBackoff);
        map.from(retry::getMaxElapsedTime).to(policy::maxElapsedTime);
        builder.retryPolicy(policy.build());
    }

    /** Observations of the client's calls, when the application has an {@code ObservationRegistry}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry.class)
    @ConditionalOnBean(ObservationRegistry.class)
    static class Observations {
        @Bean
        @ConditionalOnMissingBean
        ObservationCallListener mka1ObservationCallListener(ObservationRegistry registry) {
            return new ObservationCallListener(registry);
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
            throw new IllegalStateException("mka1.sandbox.enabled=true needs the embedded sandbox on the classpath:"
                    + " add the dependency com.mka1:mka1-batches-sandbox");
        }
    }
}
