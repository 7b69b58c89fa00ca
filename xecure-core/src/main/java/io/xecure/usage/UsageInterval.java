package io.xecure.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The width of a point of a usage series; days are UTC days. */
public enum UsageInterval {
  MINUTE(1),
  HOUR(60),
  DAY(1440);

  private final int minutes;

  UsageInterval(int minutes) {
    this.minutes = minutes;
  }

  public int minutes() {
    return minutes;
  }

  public Duration duration() {
    return Duration.ofMinutes(minutes);
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static @Nullable UsageInterval parse(String text) {
    for (UsageInterval i : values()) {
      if (i.wire().equals(text)) {
        return i;
      }
    }
    return null;
  }

  /** The start of the interval holding {@code t}. */
  public Instant floor(Instant t) {
    long step = minutes * 60L;
    return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), step) * step);
  }

  /** The first interval boundary at or after {@code t}. */
  public Instant ceil(Instant t) {
    Instant floor = floor(t);
    return floor.equals(t) ? t : floor.plus(duration());
  }
}
