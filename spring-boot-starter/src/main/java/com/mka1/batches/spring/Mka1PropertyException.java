package com.mka1.batches.spring;

/**
 * An {@code mka1.*} property the client can't be built from: which one, what is wrong with it,
 * and what to do. {@link Mka1PropertyFailureAnalyzer} turns it into Spring Boot's start-up
 * report. Its message never holds the API key.
 */
final class Mka1PropertyException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String property;
    private final String action;

    /**
     * @param property the property at fault, such as {@code mka1.base-url}
     * @param description what is wrong with it
     * @param action what to do about it
     * @param cause the client's refusal, or {@code null}
     */
    Mka1PropertyException(String property, String description, String action, Throwable cause) {
        super(description, cause);
        this.property = property;
        this.action = action;
    }

    /** @return the property at fault */
    String property() {
        return property;
    }

    /** @return what to do about it */
    String action() {
        return action;
    }
}
