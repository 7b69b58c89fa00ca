package io.xecure.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.policy.ratelimit.PlanConfig.QuotaWindow;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CalendarWindowTest {
  private static long nanos(String instant) {
    return MemoryLimiterStore.nanos(Instant.parse(instant));
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(0, nanos);
  }

  @ParameterizedTest
  @CsvSource({
    "MINUTE, 2025-03-10T12:34:56.789Z, 2025-03-10T12:34:00Z, 2025-03-10T12:35:00Z",
    "MINUTE, 2025-03-10T12:34:00Z,     2025-03-10T12:34:00Z, 2025-03-10T12:35:00Z",
    "HOUR,   2025-03-10T12:59:59.999Z, 2025-03-10T12:00:00Z, 2025-03-10T13:00:00Z",
    "DAY,    2025-03-10T23:59:59Z,     2025-03-10T00:00:00Z, 2025-03-11T00:00:00Z",
    "DAY,    2025-12-31T12:00:00Z,     2025-12-31T00:00:00Z, 2026-01-01T00:00:00Z",
    "MONTH,  2025-01-31T23:59:59Z,     2025-01-01T00:00:00Z, 2025-02-01T00:00:00Z",
    "MONTH,  2025-02-14T00:00:00Z,     2025-02-01T00:00:00Z, 2025-03-01T00:00:00Z",
    "MONTH,  2024-02-29T12:00:00Z,     2024-02-01T00:00:00Z, 2024-03-01T00:00:00Z",
    "MONTH,  2025-04-30T23:59:59Z,     2025-04-01T00:00:00Z, 2025-05-01T00:00:00Z",
    "MONTH,  2025-12-31T23:59:59Z,     2025-12-01T00:00:00Z, 2026-01-01T00:00:00Z",
    "MONTH,  2026-01-01T00:00:00Z,     2026-01-01T00:00:00Z, 2026-02-01T00:00:00Z",
    "DAY,    1969-12-31T23:00:00Z,     1969-12-31T00:00:00Z, 1970-01-01T00:00:00Z",
  })
  void windowsAreCalendarUnitsInUtc(QuotaWindow per, String at, String start, String end) {
    CalendarWindow w = CalendarWindow.of(per, nanos(at));

    assertThat(instant(w.start())).isEqualTo(Instant.parse(start));
    assertThat(instant(w.end())).isEqualTo(Instant.parse(end));
  }
}
