package io.xecure.config;

import static io.xecure.config.ConfigErrorsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.policy.bruteforce.BruteForceConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code gateway.brute_force}: defaults, values, overrides and every problem at once. */
class BruteForceConfigTest {
  @Test
  void defaultsTo20FailuresInAMinuteBlockingForFiveMinutes() throws ConfigException {
    BruteForceConfig config = ConfigLoader.parse("", Map.of()).gateway().bruteForce();

    assertThat(config)
        .isEqualTo(new BruteForceConfig(true, 20, Duration.ofMinutes(1), Duration.ofMinutes(5)))
        .isEqualTo(BruteForceConfig.DEFAULT);
  }

  @Test
  void readsEveryField() throws ConfigException {
    BruteForceConfig config =
        ConfigLoader.parse(
                "gateway: { brute_force: { enabled: false, threshold: 5, window: 30s, block: 1h } }",
                Map.of())
            .gateway()
            .bruteForce();

    assertThat(config)
        .isEqualTo(new BruteForceConfig(false, 5, Duration.ofSeconds(30), Duration.ofHours(1)));
  }

  @Test
  void environmentOverridesEachValue() throws ConfigException {
    BruteForceConfig config =
        ConfigLoader.parse(
                "gateway: { port: 8080 }",
                Map.of(
                    "XECURE_GATEWAY_BRUTE_FORCE_THRESHOLD", "3",
                    "XECURE_GATEWAY_BRUTE_FORCE_BLOCK", "10m"))
            .gateway()
            .bruteForce();

    assertThat(config.threshold()).isEqualTo(3);
    assertThat(config.block()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.window()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void reportsEveryBadValueWithItsPath() {
    assertThat(
            problems(
                """
                gateway:
                  brute_force: { enabled: maybe, threshold: 0, window: 0s, block: soon, ban: 1 }
                """))
        .containsExactlyInAnyOrder(
            "gateway.brute_force.enabled: must be true or false, got \"maybe\"",
            "gateway.brute_force.threshold: must be an integer from 1 to 1000000, got \"0\"",
            "gateway.brute_force.window: must be a positive duration such as 500ms, 30s, 5m, 24h"
                + " or 7d, got \"0s\"",
            "gateway.brute_force.block: must be a positive duration such as 500ms, 30s, 5m, 24h"
                + " or 7d, got \"soon\"",
            "gateway.brute_force.ban: unknown field");
  }

  @Test
  void aThresholdAboveAMillionIsRefused() {
    assertThat(problems("gateway: { brute_force: { threshold: 1000001 } }"))
        .containsExactly(
            "gateway.brute_force.threshold: must be an integer from 1 to 1000000, got \"1000001\"");
  }
}
