package io.xecure.clock;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.testing.MutableClock;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CoarseClockTest {
  /** The tick plus room for a thread woken late on a busy machine (CI runs the suite on 2 CPUs). */
  private static final long STALE_MILLIS = CoarseClock.TICK_MILLIS + 1_000;

  @Test
  void theSystemClockIsReplacedAndATestsClockIsKept() {
    MutableClock moved = new MutableClock("2026-01-01T00:00:00Z");

    assertThat(CoarseClock.over(Clock.systemUTC())).isInstanceOf(CoarseClock.class);
    assertThat(CoarseClock.over(moved)).isSameAs(moved);
    assertThat(CoarseClock.over(Clock.system(ZoneId.of("Europe/Paris"))))
        .isNotInstanceOf(CoarseClock.class);
  }

  @Test
  void readingsAdvanceAndStayWithinATickOfTheSystemClock() throws InterruptedException {
    Clock coarse = CoarseClock.over(Clock.systemUTC());
    long firstMillis = coarse.millis();
    long firstNanos = CoarseClock.nanoTime();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (coarse.millis() == firstMillis && System.nanoTime() - deadline < 0) {
      Thread.sleep(1);
    }

    long wallBefore = System.currentTimeMillis();
    long nanoBefore = System.nanoTime();
    long millis = coarse.millis();
    long nanos = CoarseClock.nanoTime();
    long wallAfter = System.currentTimeMillis();
    long nanoAfter = System.nanoTime();
    assertThat(millis).isGreaterThan(firstMillis).isBetween(wallBefore - STALE_MILLIS, wallAfter);
    assertThat(nanos)
        .isGreaterThan(firstNanos)
        .isBetween(nanoBefore - STALE_MILLIS * 1_000_000, nanoAfter);
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
