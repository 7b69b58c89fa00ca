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
 */
public record ListenConfig(
    int port,
    String bind,
    List<String> trustedProxies,
    Duration shutdownGrace,
    BruteForceConfig bruteForce) {

  /** A listener with the default brute-force guard. */
  public ListenConfig(int port, String bind, List<String> trustedProxies, Duration shutdownGrace) {
    this(port, bind, trustedProxies, shutdownGrace, BruteForceConfig.DEFAULT);
  }
}
