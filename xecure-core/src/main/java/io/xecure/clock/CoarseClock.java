package io.xecure.clock;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The time as it was at most {@link #TICK_MILLIS} ago: for what reads the clock on every request
 * but measures minutes and seconds (the windows of the metrics' histograms and of the alert
 * detectors, their caches' expiry, how long an upstream connection has been idle). A read is a
 * memory load, where {@code clock_gettime} takes 20-30 ns in a VM and was 5 % of an event loop's
 * time, spread over a dozen reads a request ({@code bench/results/coarse-clock-2026-12-07.md}).
 * Nginx keeps its time the same way, read once per turn of its event loop.
 *
 * <p>One daemon thread reads the system clock every tick; it wakes about a hundred times a second,
 * busy or idle. Latencies, deadlines, rate limits and key expiry read the precise clock.
 */
public final class CoarseClock extends Clock {
  /** How stale a reading may be, in milliseconds (plus the thread's wake-up delay). */
  public static final long TICK_MILLIS = 10;

  private static final CoarseClock UTC = new CoarseClock(ZoneOffset.UTC);

  private static volatile long millis = System.currentTimeMillis();
  private static volatile long nanos = System.nanoTime();

  static {
    Thread ticker = new Thread(CoarseClock::tick, "xecure-coarse-clock");
    ticker.setDaemon(true);
    ticker.start();
  }

  private final ZoneId zone;

  private CoarseClock(ZoneId zone) {
    this.zone = zone;
  }

  /**
   * The coarse clock in place of {@code clock} when that is the system's clock; any other clock (a
   * test's, moved by hand) as it is.
   */
  public static Clock over(Clock clock) {
    return clock.equals(Clock.systemUTC()) ? UTC : clock;
  }

  /** {@link System#nanoTime()} as it was at most a tick ago. */
  public static long nanoTime() {
    return nanos;
  }

  /** {@link System#currentTimeMillis()} as it was at most a tick ago. */
  public static long currentTimeMillis() {
    return millis;
  }

  private static void tick() {
    long period = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
    while (true) {
      LockSupport.parkNanos(period);
      millis = System.currentTimeMillis();
      nanos = System.nanoTime();
    }
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId other) {
    return other.equals(zone) ? this : new CoarseClock(other);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CoarseClock c && c.zone.equals(zone);
  }

  @Override
  public int hashCode() {
    return zone.hashCode() + 1;
  }

  @Override
  public String toString() {
    return "CoarseClock[" + zone + ", " + TICK_MILLIS + " ms]";
  }
}
