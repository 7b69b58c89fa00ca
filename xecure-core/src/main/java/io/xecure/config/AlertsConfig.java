package io.xecure.config;

import io.xecure.model.AlertType;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Anomaly detection (SPEC §7 alerts): which detectors run, their thresholds, and the optional
 * webhook every newly opened alert is posted to. {@code brute_force} has no threshold of its own:
 * it is raised when the brute-force guard blocks a client ({@code gateway.brute_force}).
 *
 * @param detect the alert types raised; the others are never detected
 */
public record AlertsConfig(
    Set<AlertType> detect,
    UsageSpike usageSpike,
    KeyShared keyShared,
    QuotaNear quotaNear,
    @Nullable Webhook webhook) {

  /**
   * A key's requests in the current minute reach {@code minRequests} and exceed {@code factor}
   * times its baseline (a moving average of its earlier minutes), once the key has been watched for
   * {@code warmup}.
   */
  public record UsageSpike(double factor, long minRequests, Duration warmup) {
    public static final UsageSpike DEFAULT = new UsageSpike(5, 100, Duration.ofMinutes(30));
  }

  /** A key is seen from more than {@code maxIps} client networks within {@code window}. */
  public record KeyShared(int maxIps, Duration window) {
    public static final KeyShared DEFAULT = new KeyShared(20, Duration.ofHours(1));
  }

  /** A request takes a quota window's use to {@code percent} of its limit. */
  public record QuotaNear(int percent) {
    public static final QuotaNear DEFAULT = new QuotaNear(80);
  }

  /**
   * Where new alerts are posted, signed with HMAC-SHA256 of {@code secret}; a failed delivery is
   * retried {@code retries} times, waiting {@code backoff}, then twice as long each time.
   */
  public record Webhook(URI url, String secret, Duration timeout, int retries, Duration backoff) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_RETRIES = 5;
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);

    /** Never shows the secret. */
    @Override
    public String toString() {
      return "Webhook[url="
          + url
          + ", secret=<redacted>, timeout="
          + timeout
          + ", retries="
          + retries
          + ", backoff="
          + backoff
          + "]";
    }
  }

  /** Every detector with its default thresholds, and no webhook. */
  public static final AlertsConfig DEFAULT =
      new AlertsConfig(
          Set.copyOf(EnumSet.allOf(AlertType.class)),
          UsageSpike.DEFAULT,
          KeyShared.DEFAULT,
          QuotaNear.DEFAULT,
          null);

  public AlertsConfig {
    detect = Set.copyOf(detect);
  }

  public boolean detects(AlertType type) {
    return detect.contains(type);
  }
}
