package io.xecure.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.model.AlertType;
import io.xecure.policy.ratelimit.CounterKey;
import io.xecure.policy.ratelimit.CounterKey.Subject;
import io.xecure.policy.ratelimit.MemoryLimiterStore;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.policy.ratelimit.PlanConfig.LimitBy;
import io.xecure.policy.ratelimit.PlanConfig.Quota;
import io.xecure.policy.ratelimit.PlanConfig.QuotaWindow;
import io.xecure.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** quota_near: raised by the request that reaches the share, once per window. */
class QuotaWatchTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
  private final RaisedAlerts raised = new RaisedAlerts();
  private final QuotaWatch watch = new QuotaWatch(new MemoryLimiterStore(clock), 80, raised);
  private final PlanConfig free = new PlanConfig(null, new Quota(10, QuotaWindow.DAY), LimitBy.KEY);

  private void take(CounterKey counter, PlanConfig plan, int times) {
    for (int i = 0; i < times; i++) {
      watch.acquire(counter, plan);
    }
  }

  @Test
  void theEighthOfTenRequestsRaisesAndNoOtherDoes() {
    take(new CounterKey("free", Subject.KEY, "key_a"), free, 7);
    assertThat(raised.all).isEmpty();

    take(new CounterKey("free", Subject.KEY, "key_a"), free, 1);
    take(
        new CounterKey("free", Subject.KEY, "key_a"),
        free,
        10); // the rest of the quota, then refusals

    assertThat(raised.all)
        .containsExactly(
            new RaisedAlerts.One(
                AlertType.QUOTA_NEAR,
                "key_a",
                "8 of 10 requests (80%) of the daily quota of plan free used"));
    clock.advance(Duration.ofDays(1));
    take(new CounterKey("free", Subject.KEY, "key_a"), free, 8);
    assertThat(raised.all).as("a new window").hasSize(2);
  }

  @Test
  void theSubjectIsTheDeveloperOrTheClientWhenThatIsWhatIsCounted() {
    take(new CounterKey("team", Subject.DEVELOPER, "dev_a"), free, 8);
    take(new CounterKey("free", Subject.CLIENT, "203.0.113.7"), free, 8);

    assertThat(raised.subjects()).containsExactly("dev_a", "203.0.113.7");
  }

  @Test
  void aPlanWithoutQuotaIsNeverRaised() {
    PlanConfig rateOnly =
        new PlanConfig(new PlanConfig.Rate(100, Duration.ofSeconds(1)), null, LimitBy.KEY);

    take(new CounterKey("pro", Subject.KEY, "key_a"), rateOnly, 100);

    assertThat(raised.all).isEmpty();
  }

  @Test
  void theThresholdRoundsUpAndIsExactForHugeLimits() {
    assertThat(watch.threshold(10)).isEqualTo(8);
    assertThat(watch.threshold(1)).isEqualTo(1);
    assertThat(watch.threshold(3)).isEqualTo(3); // 2.4 rounds up
    assertThat(watch.threshold(1_000_000)).isEqualTo(800_000);
    assertThat(watch.threshold(Long.MAX_VALUE)).isEqualTo(7378697629483820646L);
  }
}
