/**
 * Spring Boot auto-configuration of the MKA1 Batches client: an {@code Mka1Client} bean built
 * from the {@code mka1.*} properties ({@link com.mka1.batches.spring.Mka1Properties}), closed
 * with the context and left out when the application defines its own; every
 * {@code CallListener} bean added to it, and Micrometer observations of its calls when an
 * {@code ObservationRegistry} bean exists; {@code mka1.sandbox.enabled=true} for an embedded
 * sandbox in place of the API. {@link com.mka1.batches.spring.Mka1ClientBuilderCustomizer} beans
 * change anything else the builder offers.
 */
package com.mka1.batches.spring;
