package com.mka1.batches.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observations of the client's calls, attempts and retries. The default is
 * {@link DefaultMka1CallObservationConvention} (its tags are listed in
 * {@link Mka1ClientObservationDocumentation}); give your own to
 * {@link ObservationCallListener#ObservationCallListener(io.micrometer.observation.ObservationRegistry,
 * Mka1CallObservationConvention)} (the Spring Boot starter takes a bean of this type), usually
 * extending the default:
 *
 * <pre>{@code
 * class TeamConvention extends DefaultMka1CallObservationConvention {
 *     @Override
 *     public KeyValues getLowCardinalityKeyValues(Mka1CallObservationContext context) {
 *         return super.getLowCardinalityKeyValues(context).and("team", "reporting");
 *     }
 * }
 * }</pre>
 *
 * <p>A convention left to return {@code null} from {@link #getName()} keeps each observation's own
 * name ({@link Mka1CallObservationContext.ObservationKind#observationName()}). Never tag with an id: the
 * context's {@code call().path()} holds them.
 */
public interface Mka1CallObservationConvention extends ObservationConvention<Mka1CallObservationContext> {
    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof Mka1CallObservationContext;
    }
}
