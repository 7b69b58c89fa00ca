package io.xecure.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand, so limits are tested at exact instants and never by sleeping. */
public final class ManualClock extends Clock {
  private volatile Instant now;

  public ManualClock(String instant) {
    this.now = Instant.parse(instant);
  }

  public ManualClock advance(Duration d) {
    now = now.plus(d);
    return this;
  }

  public ManualClock set(String instant) {
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
