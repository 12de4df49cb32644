package com.mka1.batches.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.observability.CallOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@link Listeners} names the outcome of a failure, at the edges the engine's tests don't reach. */
class ListenersTest {
    @Test
    void a500IsTheFirstServerError() {
        assertThat(Listeners.outcomeOf(Responses.error(500, Map.of(), "", KeyRedaction.NONE)))
                .isEqualTo(CallOutcome.SERVER_ERROR);
        assertThat(Listeners.outcomeOf(Responses.error(499, Map.of(), "", KeyRedaction.NONE)))
                .isEqualTo(CallOutcome.CLIENT_ERROR);
    }

    @Test
    void aFailureOutsideTheLibrarysOwnIsAnError() {
        // A call on a client closed between attempts, say.
        assertThat(Listeners.outcomeOf(new IllegalStateException("closed"))).isEqualTo(CallOutcome.ERROR);
    }

    @Test
    void theAttemptLogSaysWhatItIs() {
        assertThat(Listeners.ATTEMPT_LOG.toString()).isEqualTo("the client's DEBUG log");
        assertThat(Listeners.of(List.of()))
                .as("no listener of the user's: none")
                .isNull();
    }
}
