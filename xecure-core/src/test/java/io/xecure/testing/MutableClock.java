package io.xecure.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests move by hand: no sleeping for expiry, grace periods or limiter windows. Shared by
 * every module's tests through the core test-jar.
 */
public final class MutableClock extends Clock {
  private volatile Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  public MutableClock(String start) {
    this(Instant.parse(start));
  }

  public MutableClock advance(Duration d) {
    now = now.plus(d);
    return this;
  }

  public MutableClock set(String instant) {
    now = Instant.parse(instant);
    return this;
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
