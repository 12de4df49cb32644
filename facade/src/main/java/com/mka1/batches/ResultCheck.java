package com.mka1.batches;

import com.mka1.batches.internal.Checks;
import com.mka1.batches.jsonl.BatchResult;
import org.jspecify.annotations.Nullable;

/**
 * Your own judgement of a result the server says succeeded (a body that does not parse, a
 * refusal, a truncated answer): accept it, send the request again in the next round, or
 * fail it. Called on the run's thread, once per successful result line, while the run joins
 * a round's results; a check that throws stops the run with an {@link IllegalStateException}
 * naming the request, whose cause is what it threw (nothing is accepted silently), and
 * {@link BatchService#resumeRun} continues it. Not kept in the work directory: a resumed run
 * accepts every success it joins.
 *
 * <pre>{@code
 * .resultCheck(result -> result.bodyAs(MyAnswer.class).isComplete()
 *         ? Verdict.accept()
 *         : Verdict.retry("answer cut short"))
 * }</pre>
 */
@FunctionalInterface
public interface ResultCheck {
    /**
     * @param result a result line that {@link BatchResult#isSuccess() succeeded}
     * @return what to do with it; never null
     */
    Verdict check(BatchResult result);

    /** What a {@link ResultCheck} decided. Immutable. */
    final class Verdict {
        private static final Verdict ACCEPT = new Verdict(false, null);

        private final boolean retry;
        private final @Nullable String reason;

        private Verdict(boolean retry, @Nullable String reason) {
            this.retry = retry;
            this.reason = reason;
        }

        /** @return the result is good: its request succeeded */
        public static Verdict accept() {
            return ACCEPT;
        }

        /**
         * @param reason why, for the request's attempts ({@code "rejected by check: <reason>"})
         * @return send the request again in the next round; once its attempts are used up it fails with this reason
         */
        public static Verdict retry(String reason) {
            return new Verdict(true, Checks.notBlank(reason, "reason"));
        }

        /**
         * @param reason why, the request's outcome reason ({@code "failed by check: <reason>"})
         * @return the request failed, for good
         */
        public static Verdict fail(String reason) {
            return new Verdict(false, Checks.notBlank(reason, "reason"));
        }

        /** @return whether the request is to be sent again */
        public boolean isRetry() {
            return retry;
        }

        /** @return the reason given, or {@code null} for {@link #accept()} */
        public @Nullable String reason() {
            return reason;
        }
    }
}
