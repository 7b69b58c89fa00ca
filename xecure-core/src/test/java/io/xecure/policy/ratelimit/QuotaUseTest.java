package io.xecure.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.policy.ratelimit.PlanConfig.QuotaWindow;
import io.xecure.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Decisions tell how much of the quota window is used, whichever limit binds (quota_near). */
class QuotaUseTest {
  private final MutableClock clock = new MutableClock("2025-03-10T12:00:00Z");
  private final MemoryLimiterStore store = new MemoryLimiterStore(clock);

  private Decision take(PlanConfig plan) {
    return store.acquire(LimiterStoreContract.key("free", "k1"), plan).result();
  }

  @Test
  void eachGrantedRequestTellsTheWindowsCountSoFar() {
    PlanConfig plan = LimiterStoreContract.quota(5, QuotaWindow.DAY);

    for (int i = 1; i <= 5; i++) {
      Decision d = take(plan);
      assertThat(d.quotaUsed()).isEqualTo(i);
      assertThat(d.quotaLimit()).isEqualTo(5);
    }
    Decision refused = take(plan);
    assertThat(refused.granted()).isFalse();
    assertThat(refused.quotaUsed()).isZero();
    clock.advance(Duration.ofDays(1));
    assertThat(take(plan).quotaUsed()).as("a new window").isEqualTo(1);
  }

  @Test
  void theQuotaUseIsToldEvenWhenTheRateBindsTighter() {
    PlanConfig plan = LimiterStoreContract.both(2, Duration.ofSeconds(1), 100, QuotaWindow.MONTH);

    take(plan);
    Decision second = take(plan);

    assertThat(second.limit()).as("the rate binds").isEqualTo(2);
    assertThat(second.quotaUsed()).isEqualTo(2);
    assertThat(second.quotaLimit()).isEqualTo(100);
  }

  @Test
  void aPlanWithoutQuotaTellsNone() {
    Decision d = take(LimiterStoreContract.rate(10, Duration.ofSeconds(1)));

    assertThat(d.quotaUsed()).isZero();
    assertThat(d.quotaLimit()).isZero();
  }
}
