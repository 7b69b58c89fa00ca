package io.xecure.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.xecure.policy.ratelimit.CounterKey.Subject;
import io.xecure.policy.ratelimit.Decision.Verdict;
import io.xecure.policy.ratelimit.PlanConfig.LimitBy;
import io.xecure.policy.ratelimit.PlanConfig.Quota;
import io.xecure.policy.ratelimit.PlanConfig.QuotaWindow;
import io.xecure.policy.ratelimit.PlanConfig.Rate;
import io.xecure.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The contract of every {@link LimiterStore}: rate (GCRA) and quota decisions at exact instants on
 * a hand-moved clock, and a concurrent burst that never grants more than the limit. Each store's
 * test extends this class (the memory store here, Redis in {@code xecure-redis}), so every backend
 * gives the same answers.
 */
public abstract class LimiterStoreContract {
  protected final MutableClock clock = new MutableClock("2025-03-10T12:00:00Z");
  private @Nullable LimiterStore store;

  /** A new, empty store that reads {@code clock}: no counter of another test is visible. */
  protected abstract LimiterStore newStore(Clock clock);

  protected LimiterStore store() {
    LimiterStore s = store;
    if (s == null) {
      s = newStore(clock);
      store = s;
    }
    return s;
  }

  public static PlanConfig rate(long limit, Duration per) {
    return new PlanConfig(new Rate(limit, per), null, LimitBy.KEY);
  }

  public static PlanConfig quota(long limit, QuotaWindow per) {
    return new PlanConfig(null, new Quota(limit, per), LimitBy.KEY);
  }

  public static PlanConfig both(long rate, Duration per, long quota, QuotaWindow window) {
    return new PlanConfig(new Rate(rate, per), new Quota(quota, window), LimitBy.KEY);
  }

  /** The counter {@code <plan>/key:<id>}. */
  public static CounterKey key(String plan, String id) {
    return new CounterKey(plan, Subject.KEY, id);
  }

  private Decision take(PlanConfig plan) {
    return take(key("free", "k1"), plan);
  }

  protected Decision take(CounterKey counter, PlanConfig plan) {
    return await(store().acquire(counter, plan));
  }

  protected static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the store did not answer", e);
    }
  }

  private int grantedOf(int tries, PlanConfig plan) {
    int granted = 0;
    for (int i = 0; i < tries; i++) {
      if (take(plan).granted()) {
        granted++;
      }
    }
    return granted;
  }

  @Test
  void aBurstOfLimitPassesAtOnceThenOneMoreAfterExactlyOneInterval() {
    PlanConfig plan = rate(10, Duration.ofSeconds(1));

    for (int i = 0; i < 10; i++) {
      Decision d = take(plan);
      assertThat(d.verdict()).as("request %d", i + 1).isEqualTo(Verdict.GRANTED);
      assertThat(d.limit()).isEqualTo(10);
      assertThat(d.remaining()).isEqualTo(9 - i);
    }
    Decision refused = take(plan);
    assertThat(refused.verdict()).isEqualTo(Verdict.RATE_LIMITED);
    assertThat(refused.remaining()).isZero();
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    assertThat(refused.resetSeconds()).isEqualTo(1);

    clock.advance(Duration.ofMillis(99));
    assertThat(take(plan).verdict()).isEqualTo(Verdict.RATE_LIMITED);
    clock.advance(Duration.ofMillis(1));
    Decision next = take(plan);
    assertThat(next.verdict()).isEqualTo(Verdict.GRANTED);
    assertThat(next.remaining()).isZero();
    assertThat(take(plan).verdict()).isEqualTo(Verdict.RATE_LIMITED);
  }

  @Test
  void afterTheBurstTheRateIsSmoothOnePerInterval() {
    PlanConfig plan = rate(10, Duration.ofSeconds(1));
    assertThat(grantedOf(10, plan)).isEqualTo(10);

    int granted = 0;
    for (int ms = 1; ms <= 2000; ms++) {
      clock.advance(Duration.ofMillis(1));
      granted += grantedOf(3, plan);
    }
    assertThat(granted).as("one per 100 ms over 2 s").isEqualTo(20);
  }

  @Test
  void anIdleBucketRefillsToTheWholeBurstAndNoMore() {
    PlanConfig plan = rate(5, Duration.ofSeconds(10));
    assertThat(grantedOf(5, plan)).isEqualTo(5);

    clock.advance(Duration.ofHours(1));
    assertThat(take(plan).remaining()).isEqualTo(4);
    assertThat(grantedOf(10, plan)).isEqualTo(4);
  }

  @Test
  void retryAfterIsRoundedUpToWholeSeconds() {
    PlanConfig plan = rate(1, Duration.ofMillis(2500));
    take(plan);
    clock.advance(Duration.ofMillis(400));

    Decision refused = take(plan);

    assertThat(refused.retryAfterSeconds()).isEqualTo(3);
    assertThat(refused.resetSeconds()).isEqualTo(3);
  }

  @Test
  void retryAfterIsAtLeastOneSecondEvenForAMillisecondWait() {
    PlanConfig plan = rate(1000, Duration.ofSeconds(1));
    assertThat(grantedOf(1000, plan)).isEqualTo(1000);

    Decision refused = take(plan);

    assertThat(refused.verdict()).isEqualTo(Verdict.RATE_LIMITED);
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void aQuotaCountsExactlyItsLimitUpToTheLastNanosecondOfItsMinute() {
    PlanConfig plan = quota(5, QuotaWindow.MINUTE);
    clock.set("2025-03-10T12:00:30Z");

    Decision first = take(plan);
    assertThat(first.remaining()).isEqualTo(4);
    assertThat(first.resetSeconds()).isEqualTo(30);
    assertThat(grantedOf(4, plan)).isEqualTo(4);
    clock.set("2025-03-10T12:00:59.999999999Z");
    Decision refused = take(plan);
    assertThat(refused.verdict()).isEqualTo(Verdict.QUOTA_EXCEEDED);
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    assertThat(refused.limit()).isEqualTo(5);

    clock.set("2025-03-10T12:01:00Z");
    Decision fresh = take(plan);
    assertThat(fresh.verdict()).isEqualTo(Verdict.GRANTED);
    assertThat(fresh.remaining()).isEqualTo(4);
    assertThat(fresh.resetSeconds()).isEqualTo(60);
  }

  @Test
  void aQuotaRefusalSaysHowLongUntilItsWindowEnds() {
    PlanConfig plan = quota(1, QuotaWindow.HOUR);
    clock.set("2025-03-10T12:59:00.5Z");
    take(plan);

    Decision refused = take(plan);

    assertThat(refused.verdict()).isEqualTo(Verdict.QUOTA_EXCEEDED);
    assertThat(refused.retryAfterSeconds()).isEqualTo(60);
    assertThat(refused.resetSeconds()).isEqualTo(60);
    clock.set("2025-03-10T13:00:00Z");
    assertThat(take(plan).granted()).isTrue();
  }

  @Test
  void aDailyQuotaResetsAtMidnightUtc() {
    PlanConfig plan = quota(2, QuotaWindow.DAY);
    clock.set("2025-03-10T00:00:00Z");
    assertThat(grantedOf(3, plan)).isEqualTo(2);
    clock.set("2025-03-10T23:59:59.999Z");
    assertThat(take(plan).verdict()).isEqualTo(Verdict.QUOTA_EXCEEDED);
    assertThat(take(plan).retryAfterSeconds()).isEqualTo(1);

    clock.set("2025-03-11T00:00:00Z");
    assertThat(grantedOf(3, plan)).isEqualTo(2);
  }

  @Test
  void aMonthlyQuotaRunsToTheFirstOfTheNextMonthAcrossTheYear() {
    PlanConfig plan = quota(1, QuotaWindow.MONTH);
    clock.set("2025-12-31T23:00:00Z");
    assertThat(take(plan).granted()).isTrue();
    Decision refused = take(plan);
    assertThat(refused.verdict()).isEqualTo(Verdict.QUOTA_EXCEEDED);
    assertThat(refused.retryAfterSeconds()).isEqualTo(3600);

    clock.set("2026-01-01T00:00:00Z");
    Decision january = take(plan);
    assertThat(january.granted()).isTrue();
    assertThat(january.resetSeconds()).isEqualTo(31L * 86_400);
  }

  @Test
  void aMonthlyQuotaInFebruaryOfALeapYearLasts29Days() {
    PlanConfig plan = quota(1, QuotaWindow.MONTH);
    clock.set("2024-02-01T00:00:00Z");
    assertThat(take(plan).resetSeconds()).isEqualTo(29L * 86_400);
    clock.set("2024-02-29T23:59:59Z");
    assertThat(take(plan).verdict()).isEqualTo(Verdict.QUOTA_EXCEEDED);
    clock.set("2024-03-01T00:00:00Z");
    assertThat(take(plan).granted()).isTrue();
  }

  @Test
  void aRefusalByTheRateSpendsNoQuota() {
    PlanConfig plan = both(1, Duration.ofHours(1), 5, QuotaWindow.DAY);
    clock.set("2025-03-10T00:00:00Z");
    assertThat(take(plan).granted()).isTrue();
    for (int i = 0; i < 10; i++) {
      assertThat(take(plan).verdict()).isEqualTo(Verdict.RATE_LIMITED);
    }

    clock.advance(Duration.ofHours(1));
    Decision second = take(plan);

    assertThat(second.granted()).isTrue();
    // the rate (0 left for an hour) binds tighter than the quota (3 left today)
    assertThat(second.limit()).isEqualTo(1);
    assertThat(second.remaining()).isZero();
    clock.advance(Duration.ofHours(1));
    assertThat(take(plan).granted()).isTrue();
    clock.advance(Duration.ofHours(1));
    assertThat(take(plan).granted()).isTrue();
    clock.advance(Duration.ofHours(1));
    assertThat(take(plan).remaining()).as("the fifth of five").isZero();
    clock.advance(Duration.ofHours(1));
    assertThat(take(plan).verdict()).isEqualTo(Verdict.QUOTA_EXCEEDED);
  }

  @Test
  void aRefusalByTheQuotaSpendsNoRate() {
    PlanConfig plan = both(2, Duration.ofHours(1), 1, QuotaWindow.MINUTE);
    clock.set("2025-03-10T00:00:00Z");
    assertThat(take(plan).granted()).isTrue();
    assertThat(take(plan).verdict()).isEqualTo(Verdict.QUOTA_EXCEEDED);
    assertThat(take(plan).verdict()).isEqualTo(Verdict.QUOTA_EXCEEDED);

    clock.set("2025-03-10T00:01:00Z");
    assertThat(take(plan).granted()).as("the second of the rate's burst of 2").isTrue();
    clock.set("2025-03-10T00:02:00Z");
    assertThat(take(plan).verdict()).isEqualTo(Verdict.RATE_LIMITED);
  }

  @Test
  void theHeadersDescribeTheTighterLimit() {
    PlanConfig plan = both(10, Duration.ofSeconds(1), 3, QuotaWindow.MINUTE);
    clock.set("2025-03-10T00:00:45Z");

    Decision d = take(plan);

    assertThat(d.limit()).isEqualTo(3);
    assertThat(d.remaining()).isEqualTo(2);
    assertThat(d.resetSeconds()).isEqualTo(15);
  }

  @Test
  void countersWithDifferentNamesAreIndependentAndTheSameNameIsShared() {
    PlanConfig plan = rate(2, Duration.ofMinutes(1));

    assertThat(take(key("free", "a"), plan).remaining()).isEqualTo(1);
    assertThat(take(key("free", "a"), plan).remaining()).isZero();
    assertThat(take(key("free", "b"), plan).remaining()).isEqualTo(1);
    assertThat(take(key("pro", "a"), plan).remaining()).isEqualTo(1);
    assertThat(take(new CounterKey("free", Subject.DEVELOPER, "a"), plan).remaining()).isEqualTo(1);
    assertThat(take(key("free", "a"), plan).granted()).isFalse();
  }

  @Test
  void anAbsurdRateSaturatesInsteadOfOverflowing() {
    PlanConfig plan = rate(Long.MAX_VALUE, Duration.ofDays(365L * 1000));

    Decision d = take(plan);

    assertThat(d.granted()).isTrue();
    assertThat(d.remaining()).isPositive();
  }

  @Test
  void aBurstOfConcurrentCallsGrantsExactlyTheLimit() {
    PlanConfig plan = both(100, Duration.ofHours(1), 60, QuotaWindow.DAY);
    List<Future<Decision>> calls = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      calls.add(store().acquire(key("free", "burst"), plan));
    }

    long granted =
        calls.stream().map(LimiterStoreContract::await).filter(Decision::granted).count();

    assertThat(granted).isEqualTo(60);
  }
}
