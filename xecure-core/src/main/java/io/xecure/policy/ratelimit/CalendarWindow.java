package io.xecure.policy.ratelimit;

import io.xecure.policy.ratelimit.PlanConfig.QuotaWindow;
import java.time.LocalDate;

/**
 * One calendar window of a quota, in UTC, as epoch nanos: {@code [start, end)}. Minutes, hours and
 * days are fixed lengths of the UTC time scale; a month runs from the first of the month to the
 * first of the next, so its length follows the calendar (28 to 31 days).
 */
record CalendarWindow(long start, long end) {
  private static final long MINUTE = 60_000_000_000L;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;

  static CalendarWindow of(QuotaWindow per, long now) {
    return switch (per) {
      case MINUTE -> fixed(now, MINUTE);
      case HOUR -> fixed(now, HOUR);
      case DAY -> fixed(now, DAY);
      case MONTH -> month(now);
    };
  }

  private static CalendarWindow fixed(long now, long length) {
    long start = Math.floorDiv(now, length) * length;
    return new CalendarWindow(start, start + length);
  }

  private static CalendarWindow month(long now) {
    LocalDate first = LocalDate.ofEpochDay(Math.floorDiv(now, DAY)).withDayOfMonth(1);
    return new CalendarWindow(first.toEpochDay() * DAY, first.plusMonths(1).toEpochDay() * DAY);
  }
}
