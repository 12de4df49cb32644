package com.example.hostile;

import com.mka1.batches.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when the client sleeps: hours of waiting pass in milliseconds. */
final class FakeTime extends Clock implements Sleeper {
    private volatile Instant now = Instant.parse("2026-12-01T00:00:00Z");
    private final Instant start = now;

    @Override
    public synchronized void sleep(Duration duration) {
        now = now.plus(duration);
    }

    /** @return the time slept since the start */
    Duration elapsed() {
        return Duration.between(start, now);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
