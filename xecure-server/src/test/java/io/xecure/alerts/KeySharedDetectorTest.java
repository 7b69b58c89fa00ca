package io.xecure.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.config.AlertsConfig;
import io.xecure.model.AlertType;
import io.xecure.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** key_shared on a hand-moved clock: distinct client networks per key and window. */
class KeySharedDetectorTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
  private final RaisedAlerts raised = new RaisedAlerts();
  private final KeySharedDetector detector =
      new KeySharedDetector(
          new AlertsConfig.KeyShared(3, Duration.ofMinutes(10)), clock, raised, 1000);

  @Test
  void oneNetworkOverTheLimitWithinTheWindowIsRaisedOnce() {
    for (int round = 0; round < 5; round++) {
      for (int ip = 1; ip <= 3; ip++) {
        detector.observe("key_a", "198.51.100." + ip);
      }
    }
    assertThat(raised.all).as("3 networks, however many requests").isEmpty();

    detector.observe("key_a", "198.51.100.4");
    detector.observe("key_a", "198.51.100.5");

    assertThat(raised.all)
        .containsExactly(
            new RaisedAlerts.One(
                AlertType.KEY_SHARED,
                "key_a",
                "used from more than 3 client networks within 10m, the last 198.51.100.4"));
  }

  @Test
  void theWindowStartsAfreshAndMayRaiseAgain() {
    for (int ip = 1; ip <= 3; ip++) {
      detector.observe("key_a", "198.51.100." + ip);
      clock.advance(Duration.ofMinutes(4));
    }
    detector.observe("key_a", "198.51.100.4"); // 12 minutes after the first: a new window
    assertThat(raised.all).isEmpty();

    for (int ip = 5; ip <= 8; ip++) {
      detector.observe("key_a", "198.51.100." + ip);
    }
    assertThat(raised.subjects()).containsExactly("key_a");
  }

  @Test
  void ipv6ClientsCountByTheirSlash64() {
    for (int i = 1; i <= 50; i++) {
      detector.observe("key_a", "2001:db8:0:1::" + Integer.toHexString(i));
    }

    assertThat(raised.all).as("one /64").isEmpty();
  }

  @Test
  void keysAreCountedSeparately() {
    for (int ip = 1; ip <= 3; ip++) {
      detector.observe("key_a", "198.51.100." + ip);
      detector.observe("key_b", "203.0.113." + ip);
    }

    assertThat(raised.all).isEmpty();
  }
}
