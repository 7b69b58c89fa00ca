package io.xecure.policy.ratelimit;

import io.xecure.policy.ratelimit.Decision.Verdict;
import io.xecure.policy.ratelimit.PlanConfig.Rate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The generic cell rate algorithm over one long: the theoretical arrival time (TAT, epoch nanos) of
 * the next request if requests came exactly one emission interval apart. {@code rate: {limit: 10,
 * per: 1s}} has an interval of 100 ms and lets a burst of 10 through at once, then one every 100
 * ms; a request is refused when it would put the TAT more than {@code per} ahead of now.
 *
 * <p>Lock-free: a compare-and-set loop on the TAT, so concurrent requests never grant more than the
 * limit. A TAT in the past means a full burst, so state at rest can be dropped without changing any
 * answer.
 */
final class Gcra {
  /** Keeps TAT arithmetic far from overflow; no sensible rate is measured over a century. */
  private static final long MAX_PERIOD_NANOS = Duration.ofDays(36_500).toNanos();

  private Gcra() {}

  /** The emission interval in nanos: at least 1, so an absurd limit saturates at 1e9/s. */
  static long interval(Rate rate) {
    long period = period(rate);
    return Math.max(1, period / Math.min(rate.limit(), period));
  }

  /** The burst window: limit × interval, at most {@code per}. How long state stays meaningful. */
  static long window(Rate rate) {
    long period = period(rate);
    long limit = Math.min(rate.limit(), period);
    return limit * Math.max(1, period / limit);
  }

  private static long period(Rate rate) {
    Duration per = rate.per();
    return per.compareTo(Duration.ofNanos(MAX_PERIOD_NANOS)) > 0 ? MAX_PERIOD_NANOS : per.toNanos();
  }

  /** Takes one request at {@code now} (epoch nanos) from the bucket whose TAT is {@code tat}. */
  static Decision take(AtomicLong tat, Rate rate, long now) {
    long interval = interval(rate);
    long window = window(rate);
    long limit = window / interval;
    while (true) {
      long current = tat.get();
      long base = Math.max(current, now);
      long next = base + interval;
      long allowedAt = next - window;
      if (now < allowedAt) {
        return Decision.refused(Verdict.RATE_LIMITED, limit, base - now, allowedAt - now);
      }
      if (tat.compareAndSet(current, next)) {
        return Decision.granted(limit, (window - (next - now)) / interval, next - now);
      }
    }
  }

  /** Gives back one request taken by {@link #take} (its request was refused by the quota). */
  static void refund(AtomicLong tat, Rate rate) {
    tat.addAndGet(-interval(rate));
  }
}
