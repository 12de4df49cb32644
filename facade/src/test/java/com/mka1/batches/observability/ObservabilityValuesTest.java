package com.mka1.batches.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The values a {@link CallListener} gets, as a listener (or a test of one) builds and reads them:
 * a context's per-listener state, the ranges the results accept, and their text for a log line.
 */
class ObservabilityValuesTest {
    private static final Duration MS = Duration.ofMillis(1);

    @Test
    void aContextKeepsEachListenersStateUnderItsKeyUntilRemoved() {
        CallContext call = new CallContext("batches.get", "GET", "/api/v1/llm/batches/batch_1");
        Object mine = new Object();
        Object theirs = new Object();

        assertThat(call.get(mine, String.class)).as("nothing kept yet").isNull();
        call.put(mine, null); // removing what was never kept is fine
        call.put(mine, "span-1");
        call.put(theirs, 42);

        assertThat(call.get(mine, String.class)).isEqualTo("span-1");
        assertThat(call.get(theirs, Integer.class)).isEqualTo(42);
        assertThatThrownBy(() -> call.get(mine, Integer.class)).isInstanceOf(ClassCastException.class);

        call.put(mine, null);
        assertThat(call.get(mine, String.class)).isNull();
        assertThat(call.get(theirs, Integer.class)).isEqualTo(42);
        assertThat(call.toString())
                .isEqualTo("CallContext{batches.get GET /api/v1/llm/batches/batch_1}")
                .doesNotContain("42");
    }

    @Test
    void aContextKnowsItsHostIfGivenOne() {
        assertThat(new CallContext("batches.list", "GET", "/api/v1/llm/batches", "apigw.mka1.com").serverAddress())
                .isEqualTo("apigw.mka1.com");
        assertThat(new CallContext("batches.list", "GET", "/api/v1/llm/batches").serverAddress())
                .isNull();
    }

    @Test
    void aStatusIsNoneOrThreeDigits() {
        assertThat(new CallResult(CallOutcome.SUCCESS, 100, MS, 1, null, null).statusClass())
                .isEqualTo("1xx");
        assertThat(new CallResult(CallOutcome.SERVER_ERROR, 999, MS, 1, null, null).statusClass())
                .isEqualTo("9xx");
        assertThat(new CallResult(CallOutcome.IO_ERROR, 0, MS, 1, null, null).statusClass())
                .isEqualTo("none");
        assertThatThrownBy(() -> new CallResult(CallOutcome.SUCCESS, 99, MS, 1, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("statusCode");
        assertThatThrownBy(() -> new CallResult(CallOutcome.SUCCESS, 1000, MS, 1, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("statusCode");
    }

    @Test
    void aCallMayEndBeforeItsFirstAttempt() {
        CallResult result =
                new CallResult(CallOutcome.ERROR, 0, Duration.ZERO, 0, null, new IllegalStateException("closed"));

        assertThat(result.attempts()).isZero();
        assertThatThrownBy(() -> new CallResult(CallOutcome.ERROR, 0, Duration.ZERO, -1, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attempts");
    }

    @Test
    void theTextOfEachResultNamesItsFieldsButNotTheFailure() {
        IllegalStateException failure = new IllegalStateException("the failure's own message");

        assertThat(new CallResult(CallOutcome.CLIENT_ERROR, 404, MS, 2, "req_1", failure).toString())
                .isEqualTo(
                        "CallResult{outcome=CLIENT_ERROR, statusCode=404, duration=PT0.001S, attempts=2, requestId=req_1}");
        assertThat(new AttemptResult(2, CallOutcome.CLIENT_ERROR, 404, MS, "req_1", failure).toString())
                .isEqualTo(
                        "AttemptResult{attempt=2, outcome=CLIENT_ERROR, statusCode=404, duration=PT0.001S, requestId=req_1}");
        assertThat(new RetryScheduled(1, CallOutcome.SERVER_ERROR, 503, MS, true, failure).toString())
                .isEqualTo(
                        "RetryScheduled{attempt=1, reason=SERVER_ERROR, statusCode=503, delay=PT0.001S, serverRequested=true}");
    }
}
