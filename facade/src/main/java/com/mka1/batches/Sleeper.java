package com.mka1.batches;

import java.time.Duration;

/**
 * Waits between retries. The default really sleeps; tests inject one that records the waits and
 * returns at once, so no test ever sleeps.
 *
 * <pre>{@code
 * List<Duration> waits = new ArrayList<>();
 * Mka1Client client = Mka1Client.builder().apiKey(key).sleeper(waits::add).build();
 * }</pre>
 */
@FunctionalInterface
public interface Sleeper {
    /**
     * Blocks for {@code duration}.
     *
     * @param duration how long to wait, never negative
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;

    /** @return a sleeper that really sleeps, with {@link Thread#sleep(long)} */
    static Sleeper system() {
        return duration -> Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    }
}
