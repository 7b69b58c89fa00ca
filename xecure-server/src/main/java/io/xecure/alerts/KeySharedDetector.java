package io.xecure.alerts;

import com.github.benmanes.caffeine.cache.Cache;
import io.xecure.cache.RequestPathCaches;
import io.xecure.config.AlertsConfig;
import io.xecure.model.AlertType;
import io.xecure.net.ClientNetwork;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * {@code key_shared}: a key seen from more than {@code max_ips} client networks (an IPv4 address,
 * an IPv6 /64, as the brute-force guard counts clients) within a window of {@code window} that
 * opens at the key's first request. Raised once per key and window, on the request from the network
 * one over the limit.
 *
 * <p>Each key holds the 64-bit hashes of at most {@code max_ips + 1} networks (at most 8 KB at the
 * largest {@code max_ips}), for at most {@code maximumKeys} keys, the least active forgotten first,
 * and none idle for a whole window. A hash collision could only undercount by one.
 */
final class KeySharedDetector {
  static final long DEFAULT_MAXIMUM_KEYS = 20_000;

  private final int maxIps;
  private final long windowMs;
  private final String window;
  private final Clock clock;
  private final AlertRaiser raiser;
  private final Cache<String, Networks> keys;
  private final Cache<String, Long> raisedWindows;

  KeySharedDetector(
      AlertsConfig.KeyShared config, Clock clock, AlertRaiser raiser, long maximumKeys) {
    this.maxIps = config.maxIps();
    this.windowMs = config.window().toMillis();
    this.window = config.window().toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    this.clock = clock;
    this.raiser = raiser;
    this.keys =
        RequestPathCaches.builder()
            .maximumSize(maximumKeys)
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
            .expireAfterAccess(config.window())
            .build();
    this.raisedWindows =
        RequestPathCaches.builder()
            .maximumSize(maximumKeys)
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
            .expireAfterWrite(config.window())
            .build();
  }

  /** Counts one request of {@code keyId} from {@code clientIp}. */
  void observe(String keyId, String clientIp) {
    String network = ClientNetwork.of(clientIp);
    long now = clock.millis();
    Networks seen = seen(keyId, now);
    if (seen.add(hash(network), now)) {
      raiser.raise(
          AlertType.KEY_SHARED,
          keyId,
          "used from more than "
              + maxIps
              + " client networks within "
              + window
              + ", the last "
              + network);
    }
  }

  /** The key's networks; the lambda is made only for a key not seen yet, not once a request. */
  private Networks seen(String keyId, long now) {
    Networks seen = keys.getIfPresent(keyId);
    return seen != null ? seen : keys.get(keyId, k -> new Networks(now));
  }

  /**
   * Takes {@code networks}, the key's distinct client networks counted by every node in fixed
   * window {@code window} (cluster mode), and raises once per key and window on this node when they
   * exceed {@code max_ips}; the alert store keeps one open alert however many nodes raise.
   */
  void observeCount(String keyId, String network, long window, long networks) {
    if (networks <= maxIps) {
      return;
    }
    Long raisedIn = raisedWindows.asMap().put(keyId, window);
    if (raisedIn != null && raisedIn == window) {
      return;
    }
    raiser.raise(
        AlertType.KEY_SHARED,
        keyId,
        "used from about "
            + networks
            + " client networks (more than "
            + maxIps
            + ") within "
            + this.window
            + " on all nodes, the last "
            + network);
  }

  /** FNV-1a, 64 bits: no allocation, and well spread for short strings such as addresses. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** The networks of one key's current window; called from any event loop. */
  private final class Networks {
    private long windowStart;
    private long[] hashes = new long[4];
    private int size;
    private boolean raised;

    Networks(long now) {
      this.windowStart = now;
    }

    /** Adds a network; true when it is the one that takes the key over the limit. */
    synchronized boolean add(long hash, long now) {
      if (now - windowStart >= windowMs) {
        windowStart = now;
        size = 0;
        raised = false;
      }
      if (raised) {
        return false;
      }
      for (int i = 0; i < size; i++) {
        if (hashes[i] == hash) {
          return false;
        }
      }
      if (size == hashes.length) {
        hashes = Arrays.copyOf(hashes, Math.min(hashes.length * 2, maxIps + 1));
      }
      hashes[size++] = hash;
      if (size > maxIps) {
        raised = true;
        size = 0;
        hashes = new long[4]; // nothing more to count this window: give the memory back
        return true;
      }
      return false;
    }
  }
}
