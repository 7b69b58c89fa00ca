package io.xecure.policy.bruteforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The block listener (alerts: brute_force) is told once per block, never per failure. */
class FailureTrackerListenerTest {
  private final MutableClock clock = new MutableClock("2025-03-10T12:00:00Z");
  private final BruteForceConfig config =
      new BruteForceConfig(true, 3, Duration.ofMinutes(1), Duration.ofMinutes(5));
  private final List<String> blocks = new ArrayList<>();
  private final FailureTracker tracker =
      new FailureTracker(
          config,
          clock,
          100,
          (client, failures, block) -> blocks.add(client + " " + failures + " " + block));

  @Test
  void toldOncePerBlockWithTheFailuresThatCausedIt() {
    tracker.recordFailure("10.0.0.1");
    tracker.recordFailure("10.0.0.1");
    assertThat(blocks).isEmpty();

    tracker.recordFailure("10.0.0.1");
    tracker.recordFailure("10.0.0.1"); // already blocked: not a new block
    tracker.recordFailure("10.0.0.2");

    assertThat(blocks).containsExactly("10.0.0.1 3 PT5M");
    clock.advance(Duration.ofMinutes(5));
    for (int i = 0; i < 3; i++) {
      tracker.recordFailure("10.0.0.1");
    }
    assertThat(blocks).containsExactly("10.0.0.1 3 PT5M", "10.0.0.1 3 PT5M");
  }

  @Test
  void aDisabledGuardTellsNothing() {
    FailureTracker off =
        new FailureTracker(
            new BruteForceConfig(false, 1, Duration.ofMinutes(1), Duration.ofMinutes(5)),
            clock,
            100,
            (client, failures, block) -> blocks.add(client));

    off.recordFailure("10.0.0.1");

    assertThat(blocks).isEmpty();
  }
}
