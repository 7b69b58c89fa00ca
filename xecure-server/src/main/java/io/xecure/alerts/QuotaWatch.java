package io.xecure.alerts;

import io.vertx.core.Future;
import io.xecure.model.AlertType;
import io.xecure.policy.ratelimit.CounterKey;
import io.xecure.policy.ratelimit.Decision;
import io.xecure.policy.ratelimit.LimiterStore;
import io.xecure.policy.ratelimit.PlanConfig;

/**
 * {@code quota_near}: wraps the limiter store and raises when a granted request takes a quota
 * window to {@code percent} of its limit. The store counts each granted request once, so exactly
 * one request per window meets the threshold: no state is kept here.
 *
 * <p>The alert's subject is the counter's id: a key's identity id, a developer id (a plan limited
 * by developer) or a client network (an anonymous request).
 */
final class QuotaWatch implements LimiterStore {
  private final LimiterStore limiter;
  private final int percent;
  private final AlertRaiser raiser;

  QuotaWatch(LimiterStore limiter, int percent, AlertRaiser raiser) {
    this.limiter = limiter;
    this.percent = percent;
    this.raiser = raiser;
  }

  @Override
  public Future<Decision> acquire(CounterKey counter, PlanConfig plan) {
    return limiter
        .acquire(counter, plan)
        .andThen(
            r -> {
              if (r.succeeded()) {
                watch(counter, plan, r.result());
              }
            });
  }

  private void watch(CounterKey counter, PlanConfig plan, Decision d) {
    if (!d.granted() || d.quotaLimit() <= 0 || d.quotaUsed() != threshold(d.quotaLimit())) {
      return;
    }
    PlanConfig.Quota quota = plan.quota();
    String window = quota == null ? "quota" : adjective(quota.per()) + " quota";
    long used = d.quotaUsed();
    // whole percent, without overflow for limits near Long.MAX_VALUE
    long share =
        used <= Long.MAX_VALUE / 100 ? used * 100 / d.quotaLimit() : used / (d.quotaLimit() / 100);
    raiser.raise(
        AlertType.QUOTA_NEAR,
        counter.id(),
        d.quotaUsed()
            + " of "
            + d.quotaLimit()
            + " requests ("
            + share
            + "%) of the "
            + window
            + " of plan "
            + counter.plan()
            + " used");
  }

  private static String adjective(PlanConfig.QuotaWindow per) {
    return switch (per) {
      case MINUTE -> "per-minute";
      case HOUR -> "hourly";
      case DAY -> "daily";
      case MONTH -> "monthly";
    };
  }

  /** The count that is {@code percent} of {@code limit}, rounded up; exact for any long. */
  long threshold(long limit) {
    return limit / 100 * percent + (limit % 100 * percent + 99) / 100;
  }
}
