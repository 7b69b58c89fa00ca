package io.xecure.clock;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.testing.MutableClock;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CoarseClockTest {
  /** The tick plus room for a thread woken late on a busy machine. */
  private static final long STALE_MILLIS = CoarseClock.TICK_MILLIS + 200;

  @Test
  void theSystemClockIsReplacedAndATestsClockIsKept() {
    MutableClock moved = new MutableClock("2026-01-01T00:00:00Z");

    assertThat(CoarseClock.over(Clock.systemUTC())).isInstanceOf(CoarseClock.class);
    assertThat(CoarseClock.over(moved)).isSameAs(moved);
    assertThat(CoarseClock.over(Clock.system(ZoneId.of("Europe/Paris"))))
        .isNotInstanceOf(CoarseClock.class);
  }

  @Test
  void readingsFollowTheSystemClockAtMostATickBehind() throws InterruptedException {
    Clock coarse = CoarseClock.over(Clock.systemUTC());
    long firstMillis = coarse.millis();
    long firstNanos = CoarseClock.nanoTime();

    Thread.sleep(50 + 2 * CoarseClock.TICK_MILLIS);

    long wallBefore = System.currentTimeMillis();
    long nanoBefore = System.nanoTime();
    long millis = coarse.millis();
    long nanos = CoarseClock.nanoTime();
    assertThat(millis).isGreaterThan(firstMillis).isBetween(wallBefore - STALE_MILLIS, wallBefore);
    assertThat(nanos).isGreaterThan(firstNanos);
    assertThat(nanoBefore - nanos).isBetween(0L, STALE_MILLIS * 1_000_000);
    assertThat(coarse.instant().toEpochMilli()).isGreaterThanOrEqualTo(millis);
  }

  @Test
  void aZoneIsKeptWithTheSameReadings() {
    Clock coarse = CoarseClock.over(Clock.systemUTC());
    Clock paris = coarse.withZone(ZoneId.of("Europe/Paris"));

    assertThat(coarse.getZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(paris).isInstanceOf(CoarseClock.class).isNotEqualTo(coarse);
    assertThat(coarse.withZone(ZoneOffset.UTC)).isSameAs(coarse);
  }
}
