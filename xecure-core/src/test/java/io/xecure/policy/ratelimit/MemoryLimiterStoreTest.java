package io.xecure.policy.ratelimit;

import static io.xecure.policy.ratelimit.LimiterStoreContract.quota;
import static io.xecure.policy.ratelimit.LimiterStoreContract.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.policy.ratelimit.CounterKey.Subject;
import io.xecure.policy.ratelimit.PlanConfig.QuotaWindow;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The limiter contract on one node's memory, plus what only memory does: answer at once, bound. */
class MemoryLimiterStoreTest extends LimiterStoreContract {
  private final MemoryLimiterStore store = new MemoryLimiterStore(clock);

  @Override
  protected LimiterStore newStore(Clock clock) {
    return store;
  }

  private void take(String id, PlanConfig plan) {
    var future = store.acquire(new CounterKey("free", Subject.KEY, id), plan);
    assertThat(future.isComplete()).as("the in-memory store answers at once").isTrue();
  }

  @Test
  void stateAtRestIsDroppedAndTheMapIsBounded() {
    PlanConfig rate = rate(5, Duration.ofSeconds(10));
    PlanConfig quota = quota(5, QuotaWindow.MINUTE);
    clock.set("2025-03-10T00:00:00Z");
    take("a", rate);
    take("b", quota);
    assertThat(store.size()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(10));
    assertThat(store.size()).as("the rate's TAT is in the past").isEqualTo(1);
    clock.advance(Duration.ofSeconds(50));
    assertThat(store.size()).as("the quota's minute is over").isZero();

    MemoryLimiterStore small = new MemoryLimiterStore(clock, 100);
    for (int i = 0; i < 1000; i++) {
      small.acquire(new CounterKey("free", Subject.KEY, "c" + i), rate);
    }
    assertThat(small.size()).isLessThanOrEqualTo(100);
  }
}
