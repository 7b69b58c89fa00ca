package io.xecure.alerts;

import com.github.benmanes.caffeine.cache.Cache;
import io.xecure.cache.RequestPathCaches;
import io.xecure.config.AlertsConfig;
import io.xecure.model.AlertType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@code usage_spike}: a key's requests within the current UTC minute reach {@code min_requests}
 * and exceed {@code factor} times its baseline. Raised at most once per key and minute, on the
 * request that crosses the line.
 *
 * <p>The baseline is a moving average of the key's requests per minute, minutes without requests
 * counting as 0: a plain average over its first {@code warmup} minutes, then an exponentially
 * weighted one whose horizon is {@code warmup} (each minute weighs 2 / (warmup minutes + 1)). The
 * minute a key is first seen is partial and left out, and nothing is raised until {@code warmup}
 * whole minutes are in the baseline: a new key has no normal to be far above.
 *
 * <p>About 100 bytes per key, for at most {@code maximumKeys} keys (the least active are forgotten
 * first; a forgotten key warms up again) and none idle for four warm-ups.
 */
final class UsageSpikeDetector {
  static final long DEFAULT_MAXIMUM_KEYS = 100_000;
  private static final long MINUTE_MS = 60_000;

  /** Empty minutes folded after a gap; beyond, the baseline is zero to any precision we show. */
  private static final int MAX_GAP = 10_000;

  private final AlertsConfig.UsageSpike config;
  private final Clock clock;
  private final AlertRaiser raiser;
  private final long warmupMinutes;
  private final double alpha;
  private final Cache<String, KeyRate> keys;

  UsageSpikeDetector(
      AlertsConfig.UsageSpike config, Clock clock, AlertRaiser raiser, long maximumKeys) {
    this.config = config;
    this.clock = clock;
    this.raiser = raiser;
    this.warmupMinutes = Math.max(1, config.warmup().toMinutes());
    this.alpha = 2.0 / (warmupMinutes + 1);
    Duration idle = config.warmup().multipliedBy(4);
    this.keys =
        RequestPathCaches.builder()
            .maximumSize(maximumKeys)
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
            .expireAfterAccess(idle)
            .build();
  }

  /** Counts one request of {@code keyId}. */
  void observe(String keyId) {
    long minute = Math.floorDiv(clock.millis(), MINUTE_MS);
    KeyRate rate = rate(keyId, minute);
    String detail = rate.count(minute);
    if (detail != null) {
      raiser.raise(AlertType.USAGE_SPIKE, keyId, detail);
    }
  }

  /**
   * Takes {@code requests}, the key's requests in minute {@code minute} counted by every node (in
   * cluster mode), as the key's count of that minute if it is more than this node has seen.
   */
  void observeTotal(String keyId, long minute, long requests) {
    KeyRate rate = rate(keyId, minute);
    String detail = rate.countTo(minute, requests);
    if (detail != null) {
      raiser.raise(AlertType.USAGE_SPIKE, keyId, detail);
    }
  }

  /** The key's rate; the lambda is made only for a key not seen yet, not once a request. */
  private KeyRate rate(String keyId, long minute) {
    KeyRate rate = keys.getIfPresent(keyId);
    return rate != null ? rate : keys.get(keyId, k -> new KeyRate(minute));
  }

  /** One key's current minute and baseline; its methods are called from any event loop. */
  private final class KeyRate {
    private long minute;
    private long count;
    private boolean partial = true;
    private long folded;
    private double baseline;
    private boolean raised;

    KeyRate(long minute) {
      this.minute = minute;
    }

    /** Counts one request; the alert's detail when it crosses the line, else null. */
    synchronized @Nullable String count(long now) {
      if (now > minute) {
        roll(now);
      }
      count++;
      return check();
    }

    /**
     * Raises the count of minute {@code now} to {@code total}; a late answer for a past minute is
     * ignored.
     */
    synchronized @Nullable String countTo(long now, long total) {
      if (now < minute) {
        return null;
      }
      if (now > minute) {
        roll(now);
      }
      count = Math.max(count, total);
      return check();
    }

    private @Nullable String check() {
      if (raised
          || folded < warmupMinutes
          || count < config.minRequests()
          || count <= config.factor() * baseline) {
        return null;
      }
      raised = true;
      return String.format(
          Locale.ROOT,
          "%d requests in the minute from %s, %.1f times its baseline of %.1f per minute",
          count,
          Instant.ofEpochMilli(minute * MINUTE_MS),
          baseline == 0 ? Double.POSITIVE_INFINITY : count / baseline,
          baseline);
    }

    private void roll(long now) {
      if (partial) {
        partial = false;
      } else {
        fold(count);
      }
      long empty = Math.min(now - minute - 1, MAX_GAP);
      for (long i = 0; i < empty; i++) {
        fold(0);
      }
      minute = now;
      count = 0;
      raised = false;
    }

    private void fold(long requests) {
      folded++;
      double weight = Math.max(alpha, 1.0 / folded);
      baseline += weight * (requests - baseline);
    }
  }
}
