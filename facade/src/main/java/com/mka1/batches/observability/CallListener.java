package com.mka1.batches.observability;

/**
 * Told about every call a client makes: when it starts, when each attempt starts and ends, when
 * a retry is scheduled, and when the call ends. Every method has an empty default, so a listener
 * implements only what it needs.
 *
 * <pre>{@code
 * Mka1Client client = Mka1Client.builder()
 *         .apiKey(key)
 *         .addListener(new CallListener() {
 *             @Override
 *             public void callEnded(CallContext call, CallResult result) {
 *                 log.info("{} {} in {} ms after {} attempt(s)", call.operation(), result.outcome(),
 *                         result.duration().toMillis(), result.attempts());
 *             }
 *         })
 *         .build();
 * }</pre>
 *
 * <p><b>Order.</b> For each call, in this order and never overlapping:
 * {@link #callStarted}, then for each attempt {@link #attemptStarted} and {@link #attemptEnded}
 * (and {@link #retryScheduled} when another attempt follows), then {@link #callEnded}, exactly
 * once. The same {@link CallContext} comes with each event of a call. Events of different calls
 * may arrive at the same time on different threads: a listener is shared and must be thread-safe.
 * A wait ({@code waitForCompletion}) or a batch run that waits out an outage reports each failure
 * it will try again after its call ended, with {@link #outageRetryScheduled}.
 *
 * <p><b>Threads.</b> A blocking call reports on the caller's thread; an asynchronous one on the
 * threads that run it (the caller's, the client's dispatcher threads, its timer), and reports
 * {@code callEnded} before its future completes. A listener runs inline: it should be quick and
 * must not block.
 *
 * <p><b>Failures.</b> A listener that throws never breaks a call: the exception is logged once at
 * WARN (logger {@code com.mka1.batches}, later ones at DEBUG) and the call goes on.
 *
 * <p><b>Cost.</b> A client without listeners does no work for them: no event is built.
 */
public interface CallListener {
    /**
     * A call is about to send its first attempt.
     *
     * @param call the call
     */
    default void callStarted(CallContext call) {}

    /**
     * An attempt is about to be sent.
     *
     * @param call the call
     * @param attempt the attempt's number, 1 for the first
     */
    default void attemptStarted(CallContext call, int attempt) {}

    /**
     * An attempt has ended: a response was read (whatever its status), or none arrived.
     *
     * @param call the call
     * @param attempt how it ended
     */
    default void attemptEnded(CallContext call, AttemptResult attempt) {}

    /**
     * The attempt that just ended will be followed by another one after a wait.
     *
     * @param call the call
     * @param retry why, and how long the wait is
     */
    default void retryScheduled(CallContext call, RetryScheduled retry) {}

    /**
     * The call has ended: its value is about to be returned, or its exception thrown.
     *
     * @param call the call
     * @param result how it ended
     */
    default void callEnded(CallContext call, CallResult result) {}

    /**
     * A wait or a batch run is waiting out an outage: a call ended with a failure that passes
     * (already reported by its {@link #callEnded}), and will be tried again after
     * {@link Outage#retryIn()}, within the outage budget of its
     * {@link com.mka1.batches.WaitOptions#outageBudget() WaitOptions}. Called on the waiting
     * thread, before the wait.
     *
     * @param outage the failure, how many there have been in this outage, and the wait before the next try
     */
    default void outageRetryScheduled(Outage outage) {}
}
