package io.xecure.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.config.AlertsConfig;
import io.xecure.model.AlertType;
import io.xecure.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** usage_spike on a hand-moved clock: raised by a burst, not by steady or new traffic. */
class UsageSpikeDetectorTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:30Z"));
  private final RaisedAlerts raised = new RaisedAlerts();
  // 3x the baseline and at least 30 in a minute, after 5 whole minutes of history
  private final UsageSpikeDetector detector =
      new UsageSpikeDetector(
          new AlertsConfig.UsageSpike(3, 30, Duration.ofMinutes(5)), clock, raised, 1000);

  /** {@code perMinute} requests of {@code key} in each of {@code minutes} minutes. */
  private void traffic(String key, int perMinute, int minutes) {
    for (int m = 0; m < minutes; m++) {
      for (int i = 0; i < perMinute; i++) {
        detector.observe(key);
      }
      clock.advance(Duration.ofMinutes(1));
    }
  }

  @Test
  void aBurstFarAboveTheBaselineIsRaisedOnceInItsMinute() {
    traffic("key_a", 20, 7);

    for (int i = 0; i < 61; i++) {
      detector.observe("key_a"); // the 61st is over 3 x 20
    }

    assertThat(raised.all).hasSize(1);
    RaisedAlerts.One one = raised.all.get(0);
    assertThat(one.type()).isEqualTo(AlertType.USAGE_SPIKE);
    assertThat(one.subject()).isEqualTo("key_a");
    assertThat(one.detail())
        .startsWith("61 requests in the minute from 2026-03-10T12:07:00Z")
        .contains("baseline of 20.0 per minute");
    clock.advance(Duration.ofMinutes(1));
    for (int i = 0; i < 150; i++) {
      detector.observe("key_a"); // the baseline grew to about 34 with the burst
    }
    assertThat(raised.all).as("the next minute may raise again").hasSize(2);
  }

  @Test
  void inClusterModeTheMinuteIsJudgedOnEveryNodesRequests() {
    // this node serves a third of the key's 20 a minute: it hears the cluster's count at 3, 6, ...
    // 18, so the key's baseline is 18 a minute (this node alone would have counted 6)
    for (int m = 0; m < 7; m++) {
      long minute = Math.floorDiv(clock.millis(), 60_000);
      for (int i = 1; i <= 20; i++) {
        if (i % 3 == 0) {
          detector.observeTotal("key_a", minute, i); // the cluster's count, as Redis answers it
        }
      }
      clock.advance(Duration.ofMinutes(1));
    }
    long minute = Math.floorDiv(clock.millis(), 60_000);

    detector.observeTotal("key_a", minute, 54);
    assertThat(raised.all).as("3 x the cluster's 18 a minute is not above it").isEmpty();
    detector.observeTotal("key_a", minute - 1, 500);
    assertThat(raised.all).as("a late answer for a past minute").isEmpty();
    detector.observeTotal("key_a", minute, 55);

    assertThat(raised.all).hasSize(1);
    assertThat(raised.all.get(0).detail()).startsWith("55 requests in the minute");
  }

  @Test
  void steadyOrGentlyGrowingTrafficIsNeverRaised() {
    traffic("key_a", 20, 30);
    for (int perMinute = 20; perMinute <= 50; perMinute += 5) {
      traffic("key_a", perMinute, 3);
    }

    assertThat(raised.all).isEmpty();
  }

  @Test
  void aNewKeyIsNotRaisedBeforeItsWarmupHowEverBusy() {
    traffic("key_new", 500, 5);

    assertThat(raised.all).isEmpty();
  }

  @Test
  void aSmallBurstUnderMinRequestsIsNotRaised() {
    traffic("key_a", 2, 10);

    for (int i = 0; i < 29; i++) {
      detector.observe("key_a");
    }

    assertThat(raised.all).as("29 requests: 14x the baseline, but under 30").isEmpty();
  }

  @Test
  void idleMinutesLowerTheBaseline() {
    traffic("key_a", 40, 10);
    clock.advance(Duration.ofMinutes(15)); // idle, though not long enough to be forgotten

    for (int i = 0; i < 40; i++) {
      detector.observe("key_a");
    }

    assertThat(raised.subjects()).containsExactly("key_a");
  }

  @Test
  void aKeyIdleForFourWarmupsIsForgottenAndWarmsUpAgain() {
    traffic("key_a", 40, 10);
    clock.advance(Duration.ofMinutes(20));

    traffic("key_a", 200, 3);

    assertThat(raised.all).isEmpty();
  }

  @Test
  void keysAreWatchedSeparately() {
    traffic("key_a", 20, 7);
    traffic("key_b", 200, 7);

    for (int i = 0; i < 100; i++) {
      detector.observe("key_b");
      detector.observe("key_a");
    }

    assertThat(raised.subjects()).containsExactly("key_a");
  }
}
