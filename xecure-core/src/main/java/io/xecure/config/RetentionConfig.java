package io.xecure.config;

import java.time.Duration;

/**
 * How long the store keeps what it records (SPEC §7): raw request events, and the per-minute usage
 * roll-ups, which are small and so kept much longer; and the cluster's change feed. Older rows are
 * deleted by a periodic job.
 *
 * @param events how long request events are kept (audit events of admin changes are not deleted)
 * @param usage how long per-minute usage roll-ups are kept
 * @param changes how long rows of the change feed are kept ({@code retention.changes}); a change
 *     some live node has not applied yet is kept regardless, and a node away for longer reloads its
 *     key index from a snapshot
 */
public record RetentionConfig(Duration events, Duration usage, Duration changes) {
  /** A day of changes: far longer than any node lags while it runs. */
  public static final Duration DEFAULT_CHANGES = Duration.ofHours(24);

  /** Events for 30 days (SPEC §7); usage for 400 days, so a year can be compared with the last. */
  public static final RetentionConfig DEFAULT =
      new RetentionConfig(Duration.ofDays(30), Duration.ofDays(400));

  public RetentionConfig(Duration events, Duration usage) {
    this(events, usage, DEFAULT_CHANGES);
  }

  /** The shortest retention accepted: a bare number is seconds, and "30" must not mean 30 s. */
  public static final Duration MINIMUM = Duration.ofHours(1);
}
