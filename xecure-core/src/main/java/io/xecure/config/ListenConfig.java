package io.xecure.config;

import io.xecure.policy.bruteforce.BruteForceConfig;
import java.time.Duration;
import java.util.List;

/**
 * The data-plane listener.
 *
 * @param trustedProxies CIDRs whose {@code X-Forwarded-For} is believed
 * @param shutdownGrace how long SIGTERM waits for in-flight requests
 * @param bruteForce when a client presenting invalid keys is blocked
 * @param limits timeouts, sizes and caps of this listener and of the admin listener
 */
public record ListenConfig(
    int port,
    String bind,
    List<String> trustedProxies,
    Duration shutdownGrace,
    BruteForceConfig bruteForce,
    LimitsConfig limits) {

  /** A listener with the default brute-force guard and limits. */
  public ListenConfig(int port, String bind, List<String> trustedProxies, Duration shutdownGrace) {
    this(port, bind, trustedProxies, shutdownGrace, BruteForceConfig.DEFAULT);
  }

  /** A listener with the default limits. */
  public ListenConfig(
      int port,
      String bind,
      List<String> trustedProxies,
      Duration shutdownGrace,
      BruteForceConfig bruteForce) {
    this(port, bind, trustedProxies, shutdownGrace, bruteForce, LimitsConfig.DEFAULT);
  }

  /** This listener with other limits. */
  public ListenConfig withLimits(LimitsConfig other) {
    return new ListenConfig(port, bind, trustedProxies, shutdownGrace, bruteForce, other);
  }
}
