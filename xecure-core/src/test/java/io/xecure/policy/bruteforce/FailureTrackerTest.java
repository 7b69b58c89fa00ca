package io.xecure.policy.bruteforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureTrackerTest {
  private final MutableClock clock = new MutableClock("2025-03-10T12:00:00Z");
  private final BruteForceConfig config =
      new BruteForceConfig(true, 3, Duration.ofMinutes(1), Duration.ofMinutes(5));
  private final FailureTracker tracker = new FailureTracker(config, clock);

  @Test
  void theThresholdthFailureWithinTheWindowBlocksForTheBlockDuration() {
    assertThat(tracker.recordFailure("10.0.0.1")).isFalse();
    clock.advance(Duration.ofSeconds(30));
    assertThat(tracker.recordFailure("10.0.0.1")).isFalse();
    assertThat(tracker.blockedForMillis("10.0.0.1")).isZero();
    clock.advance(Duration.ofSeconds(29));
    assertThat(tracker.recordFailure("10.0.0.1")).isTrue();

    assertThat(tracker.blockedForMillis("10.0.0.1")).isEqualTo(Duration.ofMinutes(5).toMillis());
    assertThat(tracker.blockedForMillis("10.0.0.2")).as("another client").isZero();
    clock.advance(Duration.ofMinutes(5).minusMillis(1));
    assertThat(tracker.blockedForMillis("10.0.0.1")).isEqualTo(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(tracker.blockedForMillis("10.0.0.1")).isZero();
  }

  @Test
  void failuresSpreadWiderThanTheWindowNeverBlock() {
    for (int i = 0; i < 10; i++) {
      assertThat(tracker.recordFailure("10.0.0.1")).isFalse();
      tracker.recordFailure("10.0.0.1");
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(tracker.blockedForMillis("10.0.0.1")).isZero();
  }

  @Test
  void afterABlockTheClientStartsAfresh() {
    tracker.recordFailure("10.0.0.1");
    tracker.recordFailure("10.0.0.1");
    assertThat(tracker.recordFailure("10.0.0.1")).isTrue();
    clock.advance(Duration.ofMinutes(5));

    assertThat(tracker.recordFailure("10.0.0.1")).isFalse();
    assertThat(tracker.recordFailure("10.0.0.1")).isFalse();
    assertThat(tracker.blockedForMillis("10.0.0.1")).isZero();
    assertThat(tracker.recordFailure("10.0.0.1")).isTrue();
  }

  @Test
  void aFailureCountedWhileBlockedNeitherExtendsNorReannouncesTheBlock() {
    for (int i = 0; i < 3; i++) {
      tracker.recordFailure("10.0.0.1");
    }
    clock.advance(Duration.ofMinutes(1));

    assertThat(tracker.recordFailure("10.0.0.1")).isFalse();
    assertThat(tracker.blockedForMillis("10.0.0.1")).isEqualTo(Duration.ofMinutes(4).toMillis());
  }

  @Test
  void entriesAreDroppedWhenOverAndTheMapIsBounded() {
    tracker.recordFailure("10.0.0.1");
    for (int i = 0; i < 3; i++) {
      tracker.recordFailure("10.0.0.2");
    }
    assertThat(tracker.size()).isEqualTo(2);
    clock.advance(Duration.ofMinutes(1));
    assertThat(tracker.size()).as("the window of 10.0.0.1 is over").isEqualTo(1);
    clock.advance(Duration.ofMinutes(4));
    assertThat(tracker.size()).as("the block of 10.0.0.2 is over").isZero();

    FailureTracker small = new FailureTracker(config, clock, 100);
    for (int i = 0; i < 1000; i++) {
      small.recordFailure("10.1." + (i / 256) + "." + (i % 256));
    }
    assertThat(small.size()).isLessThanOrEqualTo(100);
  }

  @Test
  void aDisabledGuardNeverBlocks() {
    FailureTracker off =
        new FailureTracker(
            new BruteForceConfig(false, 1, Duration.ofMinutes(1), Duration.ofMinutes(5)), clock);

    assertThat(off.recordFailure("10.0.0.1")).isFalse();
    assertThat(off.blockedForMillis("10.0.0.1")).isZero();
  }
}
