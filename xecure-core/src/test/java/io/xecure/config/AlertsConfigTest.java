package io.xecure.config;

import static io.xecure.config.ConfigErrorsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.config.AlertsConfig.KeyShared;
import io.xecure.config.AlertsConfig.QuotaNear;
import io.xecure.config.AlertsConfig.UsageSpike;
import io.xecure.config.AlertsConfig.Webhook;
import io.xecure.model.AlertType;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code alerts}: defaults, every field, overrides, and every problem at once. */
class AlertsConfigTest {
  private static final String SECRET = "0123456789abcdef-secret";

  @Test
  void defaultsDetectEverythingAndPostNowhere() throws ConfigException {
    AlertsConfig config = ConfigLoader.parse("", Map.of()).alerts();

    assertThat(config).isEqualTo(AlertsConfig.DEFAULT);
    assertThat(config.detect()).isEqualTo(EnumSet.allOf(AlertType.class));
    assertThat(config.usageSpike()).isEqualTo(new UsageSpike(5, 100, Duration.ofMinutes(30)));
    assertThat(config.keyShared()).isEqualTo(new KeyShared(20, Duration.ofHours(1)));
    assertThat(config.quotaNear()).isEqualTo(new QuotaNear(80));
    assertThat(config.webhook()).isNull();
  }

  @Test
  void readsEveryField() throws ConfigException {
    AlertsConfig config =
        ConfigLoader.parse(
                """
                alerts:
                  detect: [brute_force, key_leaked]
                  usage_spike: { factor: 2.5, min_requests: 50, warmup: 10m }
                  key_shared: { max_ips: 5, window: 15m }
                  quota_near: { percent: 90 }
                  webhook:
                    url: https://hooks.example.com/xecure
                    secret: %s
                    timeout: 2s
                    retries: 3
                    backoff: 500ms
                """
                    .formatted(SECRET),
                Map.of())
            .alerts();

    assertThat(config)
        .isEqualTo(
            new AlertsConfig(
                Set.of(AlertType.BRUTE_FORCE, AlertType.KEY_LEAKED),
                new UsageSpike(2.5, 50, Duration.ofMinutes(10)),
                new KeyShared(5, Duration.ofMinutes(15)),
                new QuotaNear(90),
                new Webhook(
                    URI.create("https://hooks.example.com/xecure"),
                    SECRET,
                    Duration.ofSeconds(2),
                    3,
                    Duration.ofMillis(500))));
    assertThat(config.detects(AlertType.USAGE_SPIKE)).isFalse();
  }

  @Test
  void anEmptyDetectListTurnsEveryDetectorOff() throws ConfigException {
    assertThat(ConfigLoader.parse("alerts: { detect: [] }", Map.of()).alerts().detect()).isEmpty();
  }

  @Test
  void theEnvironmentSetsTheWebhookWithoutAnySectionInTheFile() throws ConfigException {
    AlertsConfig config =
        ConfigLoader.parse(
                "",
                Map.of(
                    "XECURE_ALERTS_WEBHOOK_URL", "http://127.0.0.1:9999/hook",
                    "XECURE_ALERTS_WEBHOOK_SECRET", SECRET,
                    "XECURE_ALERTS_DETECT", "usage_spike, quota_near",
                    "XECURE_ALERTS_QUOTA_NEAR_PERCENT", "75"))
            .alerts();

    Webhook webhook = Objects.requireNonNull(config.webhook());
    assertThat(webhook.url()).isEqualTo(URI.create("http://127.0.0.1:9999/hook"));
    assertThat(webhook.retries()).isEqualTo(Webhook.DEFAULT_RETRIES);
    assertThat(config.detect())
        .containsExactlyInAnyOrder(AlertType.USAGE_SPIKE, AlertType.QUOTA_NEAR);
    assertThat(config.quotaNear().percent()).isEqualTo(75);
  }

  @Test
  void theSecretNeverShowsInTextOrProblems() throws ConfigException {
    Webhook webhook =
        ConfigLoader.parse(
                "alerts: { webhook: { url: 'http://h/x', secret: " + SECRET + " } }", Map.of())
            .alerts()
            .webhook();

    assertThat(String.valueOf(webhook)).doesNotContain(SECRET);
    assertThat(problems("alerts: { webhook: { url: 'http://h/x', secret: short-secret } }"))
        .containsExactly("alerts.webhook.secret: must be at least 16 characters");
  }

  @Test
  void reportsEveryBadValueWithItsPath() {
    assertThat(
            problems(
                """
                alerts:
                  detect: [brute_force, dos]
                  usage_spike: { factor: 1, min_requests: 0, warmup: 30s }
                  key_shared: { max_ips: 1001, window: 8d }
                  quota_near: { percent: 101 }
                  webhook: { url: 'ftp://x/y', secret: %s, retries: 11, timeout: 0s, backoff: 2h }
                  noise: true
                """
                    .formatted(SECRET)))
        .containsExactlyInAnyOrder(
            "alerts.detect[1]: must be one of brute_force, usage_spike, key_shared, quota_near,"
                + " key_leaked, limiter_degraded, got \"dos\"",
            "alerts.usage_spike.factor: must be a number above 1 and at most 1000, such as 5 or"
                + " 2.5, got \"1\"",
            "alerts.usage_spike.min_requests: must be an integer from 1 to 1000000000, got \"0\"",
            "alerts.usage_spike.warmup: must be a duration from 1m to 7d, got \"30s\"",
            "alerts.key_shared.max_ips: must be an integer from 1 to 1000, got \"1001\"",
            "alerts.key_shared.window: must be a duration from 1m to 7d, got \"8d\"",
            "alerts.quota_near.percent: must be an integer from 1 to 100, got \"101\"",
            "alerts.webhook.url: not an absolute http(s) URL, got \"ftp://x/y\"",
            "alerts.webhook.retries: must be an integer from 0 to 10, got \"11\"",
            "alerts.webhook.timeout: must be a positive duration such as 500ms, 30s, 5m, 24h or"
                + " 7d, got \"0s\"",
            "alerts.webhook.backoff: must be a positive duration of at most 1h, got \"2h\"",
            "alerts.noise: unknown field");
  }

  @Test
  void urlAndSecretGoTogether() {
    assertThat(problems("alerts: { webhook: { url: 'https://h/x' } }"))
        .containsExactly(
            "alerts.webhook.secret: required when alerts.webhook.url is set: deliveries are"
                + " signed");
    assertThat(problems("alerts: { webhook: { secret: " + SECRET + " } }"))
        .containsExactly("alerts.webhook.url: required when alerts.webhook.secret is set");
  }
}
