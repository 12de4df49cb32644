package com.mka1.batches.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sandbox's notion of "now": a base clock plus an offset that tests move forward with
 * {@link #advance(Duration)}. Batches advance through their lifecycle as this clock moves, so a
 * test never has to really sleep.
 *
 * <pre>{@code
 * SandboxClock clock = SandboxClock.fixed(Instant.parse("2024-01-01T00:00:00Z"));
 * try (Mka1Sandbox sandbox = Mka1Sandbox.builder().clock(clock).start()) {
 *   // create a batch ...
 *   clock.advance(Duration.ofSeconds(2));   // the batch is now in_progress
 * }
 * }</pre>
 *
 * <p>{@link #system()} follows the wall clock (and can still be advanced); {@link #fixed(Instant)}
 * stands still until advanced. Instances are thread-safe. The zone is UTC unless changed with
 * {@link #withZone(ZoneId)}, whose result shares this clock's offset.
 */
public final class SandboxClock extends Clock {
    private final Clock base;
    private final AtomicReference<Duration> offset;
    private final ZoneId zone;

    private SandboxClock(Clock base, AtomicReference<Duration> offset, ZoneId zone) {
        this.base = base;
        this.offset = offset;
        this.zone = zone;
    }

    /**
     * A clock that follows the system clock, plus whatever has been {@linkplain #advance advanced}.
     *
     * @return a new clock
     */
    public static SandboxClock system() {
        return new SandboxClock(Clock.systemUTC(), new AtomicReference<>(Duration.ZERO), ZoneOffset.UTC);
    }

    /**
     * A clock that stands still at {@code start} until {@linkplain #advance advanced}.
     *
     * @param start the initial instant
     * @return a new clock
     * @throws NullPointerException if {@code start} is null
     */
    public static SandboxClock fixed(Instant start) {
        Objects.requireNonNull(start, "start == null");
        return new SandboxClock(
                Clock.fixed(start, ZoneOffset.UTC), new AtomicReference<>(Duration.ZERO), ZoneOffset.UTC);
    }

    /**
     * Moves this clock (and every clock derived from it with {@link #withZone}) forward.
     *
     * @param amount how far; zero is allowed
     * @return this clock
     * @throws NullPointerException if {@code amount} is null
     * @throws IllegalArgumentException if {@code amount} is negative: sandbox time never goes back
     */
    public SandboxClock advance(Duration amount) {
        Objects.requireNonNull(amount, "amount == null");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount is negative: " + amount);
        }
        offset.accumulateAndGet(amount, Duration::plus);
        return this;
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public SandboxClock withZone(ZoneId zone) {
        Objects.requireNonNull(zone, "zone == null");
        return new SandboxClock(base, offset, zone);
    }

    @Override
    public String toString() {
        return "SandboxClock[" + instant() + "]";
    }
}
