package io.xecure.policy.ratelimit;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A plan: an optional smooth rate and an optional calendar quota. */
public record PlanConfig(@Nullable Rate rate, @Nullable Quota quota, LimitBy limitBy) {

  /** {@code limit} requests per {@code per}. */
  public record Rate(long limit, Duration per) {}

  /** {@code limit} requests per calendar {@code per} window, UTC. */
  public record Quota(long limit, QuotaWindow per) {}

  public enum QuotaWindow {
    MINUTE,
    HOUR,
    DAY,
    MONTH
  }

  public enum LimitBy {
    KEY,
    DEVELOPER
  }
}
