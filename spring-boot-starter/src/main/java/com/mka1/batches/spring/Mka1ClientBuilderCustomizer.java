package com.mka1.batches.spring;

import com.mka1.batches.Mka1Client;

/**
 * Changes the builder of the auto-configured {@code Mka1Client} after the {@code mka1.*}
 * properties have been applied: for what properties don't cover (your own {@code OkHttpClient},
 * a {@code Sleeper}, per-status retry rules). Every bean of this type is applied, in
 * {@link org.springframework.core.annotation.Order @Order}.
 *
 * <pre>{@code
 * @Bean
 * Mka1ClientBuilderCustomizer patientRetries() {
 *     return builder -> builder.requestOptions(RequestOptions.builder()
 *             .retryPolicy(RetryPolicy.builder().maxRetries(5).build())
 *             .build()); // laid over the options the properties set
 * }
 * }</pre>
 */
@FunctionalInterface
public interface Mka1ClientBuilderCustomizer {
    /**
     * @param builder the builder, with the properties applied
     */
    void customize(Mka1Client.Builder builder);
}
