package io.xecure.config;

import java.time.Duration;

/**
 * How long the store keeps what it records (SPEC §7): raw request events, and the per-minute usage
 * roll-ups, which are small and so kept much longer. Older rows are deleted by a periodic job.
 *
 * @param events how long request events are kept (audit events of admin changes are not deleted)
 * @param usage how long per-minute usage roll-ups are kept
 */
public record RetentionConfig(Duration events, Duration usage) {
  /** Events for 30 days (SPEC §7); usage for 400 days, so a year can be compared with the last. */
  public static final RetentionConfig DEFAULT =
      new RetentionConfig(Duration.ofDays(30), Duration.ofDays(400));

  /** The shortest retention accepted: a bare number is seconds, and "30" must not mean 30 s. */
  public static final Duration MINIMUM = Duration.ofHours(1);
}
