package com.mka1.batches.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** {@link Steps#unwrap}: the failure of a stage as the caller should see it. */
class StepsTest {
    @Test
    void aCompletionExceptionGivesWayToItsCause() {
        IOException cause = new IOException("broken");

        assertThat(Steps.unwrap(new CompletionException(cause))).isSameAs(cause);
    }

    @Test
    void anythingElseIsKeptAsItIs() {
        CompletionException withoutCause = new CompletionException("no cause", null);
        IOException plain = new IOException("plain");

        assertThat(Steps.unwrap(withoutCause)).isSameAs(withoutCause);
        assertThat(Steps.unwrap(plain)).isSameAs(plain);
    }
}
