package com.mka1.batches.internal;

import com.mka1.batches.RawResponse;
import com.mka1.batches.Sleeper;
import java.io.IOException;
import java.io.InterruptedIOException;
import okhttp3.Call;
import okhttp3.Response;

/**
 * The blocking driver: runs a call's {@link Attempts} on the caller's thread ({@link Call#execute()},
 * {@link Sleeper#sleep}), watched by an {@link InterruptWatchdog} so that interrupting the thread
 * cancels the request. It decides nothing: each response or failure goes to the core.
 * Invariant: an interrupt, wherever it lands, ends the call with
 * {@link InterruptWatchdog#interrupted}'s exception and the thread's interrupt flag kept.
 */
final class BlockingDriver {
    private final Sleeper sleeper;
    private final InterruptWatchdog watchdog = new InterruptWatchdog();

    BlockingDriver(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    /** Stops the interrupt watchdog. */
    void close() {
        watchdog.close();
    }

    <T> RawResponse<T> execute(Attempts<T> attempts) {
        if (attempts.trace == null) {
            return run(attempts);
        }
        RawResponse<T> value;
        try {
            value = run(attempts);
        } catch (RuntimeException | Error e) {
            attempts.ended(e);
            throw e;
        }
        attempts.ended(null);
        return value;
    }

    private <T> RawResponse<T> run(Attempts<T> attempts) {
        while (true) {
            Call attempt = attempts.next();
            Attempts.Outcome<T> outcome;
            try {
                outcome = attempts.onResponse(send(attempt, attempts));
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    attempt.cancel(); // Okio may have noticed the interrupt before the watchdog did
                    throw InterruptWatchdog.interrupted(attempts.describe() + " was interrupted", e);
                }
                outcome = attempts.onFailure(e);
            }
            if (outcome.value != null) {
                return outcome.value;
            }
            try {
                sleeper.sleep(outcome.wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw attempts.interruptedWhileWaiting(outcome.failure, e);
            }
        }
    }

    /**
     * Sends one attempt on the caller's thread and reads its response, watched so that an interrupt
     * still ends it promptly.
     */
    private <T> Received<T> send(Call call, Attempts<T> attempts) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted before the request was sent");
        }
        watchdog.watch(call);
        try {
            Response response;
            try {
                response = call.execute();
            } catch (RuntimeException e) {
                // A bug in an interceptor, say. OkHttp's async driver reports it as an IOException
                // ("canceled due to ..."): a failed attempt there, so here too.
                throw new IOException(
                        "the request could not be sent: " + e.getClass().getName(), e);
            }
            return attempts.read(call, response);
        } finally {
            watchdog.unwatch(call);
        }
    }
}
