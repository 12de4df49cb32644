package com.mka1.batches.internal;

import com.mka1.batches.RawResponse;
import com.mka1.batches.Sleeper;
import com.mka1.batches.errors.Mka1Exception;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Response;

/**
 * The asynchronous driver: runs a call's {@link Attempts} as a {@link StepLoop} of
 * {@link Call#enqueue} requests and {@link Sleeper#sleepAsync} waits, blocking no thread. It
 * decides nothing: each response or failure goes to the core. Invariants: cancelling the result
 * cancels the request or wait in progress; the listeners hear the call's end before anyone sees
 * its value.
 */
final class AsyncDriver<T> extends StepLoop<Received<T>, RawResponse<T>> {
    private final Attempts<T> attempts;
    private final Sleeper sleeper;
    /** The failure the wait in progress retries. */
    private Mka1Exception retried;

    private AsyncDriver(Attempts<T> attempts, Sleeper sleeper) {
        this.attempts = attempts;
        this.sleeper = sleeper;
    }

    /** @return the call's value or typed failure, as the blocking driver would give it */
    // whenComplete registers a listener; the stage it returns is dropped on purpose: nothing
    // waits on the listener, which has no result to give.
    @SuppressWarnings("FutureReturnValueIgnored")
    static <T> CompletableFuture<RawResponse<T>> execute(Attempts<T> attempts, Sleeper sleeper) {
        AsyncDriver<T> driver = new AsyncDriver<>(attempts, sleeper);
        if (attempts.trace != null) {
            // The driver reports the end before completing the future (see succeed, fail); this
            // catches the one end it can't see coming: the caller cancelling the future.
            driver.result().whenComplete((value, error) -> attempts.ended(error == null ? null : Steps.unwrap(error)));
        }
        return driver.start();
    }

    @Override
    protected CompletableFuture<Received<T>> step() {
        return send(attempts.next(), attempts);
    }

    @Override
    protected CompletableFuture<?> after(Received<T> received, Throwable error) {
        Throwable cause = error == null ? null : Steps.unwrap(error);
        if (cause instanceof Mka1Exception) {
            fail(cause); // the body is not what the operation answers: final
            return null;
        }
        Attempts.Outcome<T> outcome =
                cause == null ? attempts.onResponse(received) : attempts.onFailure(ioException(cause));
        if (outcome.value != null) {
            succeed(outcome.value);
            return null;
        }
        retried = outcome.failure;
        return sleeper.sleepAsync(outcome.wait);
    }

    @Override
    protected Throwable pauseFailed(Throwable error) {
        return attempts.interruptedWhileWaiting(retried, error);
    }

    @Override
    protected void abandoned(Received<T> received) {
        received.discard();
    }

    /** Completes the call: first its end reported, so a listener has heard it before anyone sees the value. */
    @Override
    protected void succeed(RawResponse<T> value) {
        attempts.ended(null);
        super.succeed(value);
    }

    @Override
    protected void fail(Throwable failure) {
        attempts.ended(failure);
        super.fail(failure);
    }

    /**
     * Sends one attempt and reads its response on OkHttp's thread, so the caller's wait covers
     * headers and body alike. Cancelling the future cancels the call.
     */
    // whenComplete registers a listener; the stage it returns is dropped on purpose: nothing
    // waits on the listener, which has no result to give.
    @SuppressWarnings("FutureReturnValueIgnored")
    private static <T> CompletableFuture<Received<T>> send(Call call, Attempts<T> attempts) {
        CompletableFuture<Received<T>> received = new CompletableFuture<>();
        received.whenComplete((value, error) -> {
            if (received.isCancelled()) {
                call.cancel();
            }
        });
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call c, Response response) {
                try {
                    received.complete(attempts.read(c, response));
                } catch (IOException | RuntimeException e) {
                    received.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(Call c, IOException e) {
                received.completeExceptionally(e);
            }
        });
        return received;
    }

    /** An attempt's failure: {@link #send} fails with an IOException only (a Mka1Exception is handled before). */
    private static IOException ioException(Throwable cause) {
        return cause instanceof IOException ? (IOException) cause : new IOException(cause.toString(), cause);
    }
}
