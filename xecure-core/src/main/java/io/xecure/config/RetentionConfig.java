package io.xecure.config;

import io.xecure.usage.UsageInterval;
import java.time.Duration;

/**
 * How long the store keeps what it records (SPEC §7): raw request events; the usage roll-ups, per
 * UTC day for longest, per hour and per minute for less (each finer row is many times as numerous);
 * and the cluster's change feed. Older rows are deleted by a periodic job.
 *
 * @param events how long request events are kept (audit events of admin changes are not deleted)
 * @param usage how long daily usage roll-ups are kept ({@code retention.usage})
 * @param changes how long rows of the change feed are kept ({@code retention.changes}); a change
 *     some live node has not applied yet is kept regardless, and a node away for longer reloads its
 *     key index from a snapshot
 * @param usageHours how long hourly usage roll-ups are kept ({@code retention.usage_hours}): an
 *     hourly chart of a range older than this is empty
 * @param usageMinutes how long per-minute usage roll-ups are kept ({@code
 *     retention.usage_minutes}): a chart by minute of a range older than this is empty
 */
public record RetentionConfig(
    Duration events, Duration usage, Duration changes, Duration usageHours, Duration usageMinutes) {
  /** A day of changes: far longer than any node lags while it runs. */
  public static final Duration DEFAULT_CHANGES = Duration.ofHours(24);

  /** Hours for 60 days: an hourly chart spans at most 1,440 points, that is 60 days. */
  public static final Duration DEFAULT_USAGE_HOURS = Duration.ofDays(60);

  /** Minutes for a week: enough to look into last week's incident minute by minute. */
  public static final Duration DEFAULT_USAGE_MINUTES = Duration.ofDays(7);

  /**
   * Events for 30 days (SPEC §7); daily usage for 400 days, so a year can be compared with the
   * last; hourly usage for 60 days, per-minute usage for 7.
   */
  public static final RetentionConfig DEFAULT =
      new RetentionConfig(Duration.ofDays(30), Duration.ofDays(400));

  /** The defaults for the finer usage rows, each at most as long as the coarser. */
  public RetentionConfig(Duration events, Duration usage, Duration changes) {
    this(events, usage, changes, shorter(DEFAULT_USAGE_HOURS, usage));
  }

  private RetentionConfig(Duration events, Duration usage, Duration changes, Duration hours) {
    this(events, usage, changes, hours, shorter(DEFAULT_USAGE_MINUTES, hours));
  }

  public RetentionConfig(Duration events, Duration usage) {
    this(events, usage, DEFAULT_CHANGES);
  }

  /** How long usage rows of {@code grain} are kept. */
  public Duration usage(UsageInterval grain) {
    return switch (grain) {
      case MINUTE -> usageMinutes;
      case HOUR -> usageHours;
      case DAY -> usage;
    };
  }

  static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** The shortest retention accepted: a bare number is seconds, and "30" must not mean 30 s. */
  public static final Duration MINIMUM = Duration.ofHours(1);
}
