package com.mka1.batches;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The tests' one fake time: a clock that moves only when the code under test sleeps on it, and a
 * sleeper that records each sleep and returns at once. Give it to a client as both
 * {@code .sleeper(time).clock(time)}: retry waits and polls then cost no real time, and
 * {@link #sleeps} says what was waited. Public so that the {@code internal} package's tests use it too.
 */
public final class FakeTime extends Clock implements Sleeper {
    /** Each sleep, in order. */
    public final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public synchronized void sleep(Duration duration) {
        sleeps.add(duration);
        now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
