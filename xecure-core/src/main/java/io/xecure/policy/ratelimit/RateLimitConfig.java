package io.xecure.policy.ratelimit;

import org.jspecify.annotations.Nullable;

/**
 * rate-limit's settings for one API.
 *
 * @param defaultPlan the plan of a request whose key names none (or an anonymous one), or null
 */
public record RateLimitConfig(@Nullable String defaultPlan) {
  /** No default plan: only keys that name a plan are limited. */
  public static final RateLimitConfig NONE = new RateLimitConfig(null);
}
