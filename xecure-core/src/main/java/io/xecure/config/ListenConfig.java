package io.xecure.config;

import io.xecure.policy.bruteforce.BruteForceConfig;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The data-plane listener.
 *
 * @param trustedProxies CIDRs whose {@code X-Forwarded-For} is believed
 * @param shutdownGrace how long SIGTERM waits for in-flight requests
 * @param bruteForce when a client presenting invalid keys is blocked
 * @param limits timeouts, sizes and caps of this listener and of the admin listener
 * @param tls the listener's certificates; null: plain HTTP
 * @param http2 whether HTTP/2 is offered by ALPN next to HTTP/1.1 (TLS only)
 * @param h2c whether a cleartext listener also speaks HTTP/2 to a client that opens with its
 *     connection preface (prior knowledge)
 */
public record ListenConfig(
    int port,
    String bind,
    List<String> trustedProxies,
    Duration shutdownGrace,
    BruteForceConfig bruteForce,
    LimitsConfig limits,
    @Nullable TlsConfig tls,
    boolean http2,
    boolean h2c) {

  /** A plain HTTP/1.1 listener with the default limits. */
  public ListenConfig(
      int port,
      String bind,
      List<String> trustedProxies,
      Duration shutdownGrace,
      BruteForceConfig bruteForce) {
    this(
        port,
        bind,
        trustedProxies,
        shutdownGrace,
        bruteForce,
        LimitsConfig.DEFAULT,
        null,
        true,
        false);
  }

  /** A listener with the default brute-force guard and limits. */
  public ListenConfig(int port, String bind, List<String> trustedProxies, Duration shutdownGrace) {
    this(port, bind, trustedProxies, shutdownGrace, BruteForceConfig.DEFAULT);
  }

  /** This listener with other limits. */
  public ListenConfig withLimits(LimitsConfig other) {
    return new ListenConfig(
        port, bind, trustedProxies, shutdownGrace, bruteForce, other, tls, http2, h2c);
  }

  /** This listener with TLS (null: none), offering HTTP/2 by ALPN when {@code http2}. */
  public ListenConfig withEdge(@Nullable TlsConfig tls, boolean http2) {
    return new ListenConfig(
        port, bind, trustedProxies, shutdownGrace, bruteForce, limits, tls, http2, h2c);
  }

  /** This listener speaking cleartext HTTP/2 by prior knowledge as well, when {@code on}. */
  public ListenConfig withH2c(boolean on) {
    return new ListenConfig(
        port, bind, trustedProxies, shutdownGrace, bruteForce, limits, tls, http2, on);
  }
}
