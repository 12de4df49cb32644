package com.mka1.batches.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Spring Boot's "APPLICATION FAILED TO START" report for an {@code mka1.*} property the client
 * can't be built from: the property, what is wrong with it, and the action to take. Registered
 * in {@code META-INF/spring.factories}, the key Spring Boot 3 and 4 both read.
 */
class Mka1PropertyFailureAnalyzer extends AbstractFailureAnalyzer<Mka1PropertyException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, Mka1PropertyException cause) {
        return new FailureAnalysis(
                "The property " + cause.property() + " can't configure the MKA1 client: " + cause.getMessage(),
                cause.action(),
                cause);
    }
}
