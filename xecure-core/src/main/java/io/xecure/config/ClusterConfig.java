package io.xecure.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Cluster mode (SPEC §8): with {@code redis} set, rate limits, quotas, the brute-force guard and
 * the traffic detectors are shared by every node through that Redis; null runs a single node.
 *
 * @param redis {@code redis://[:password@]host:port[/db]} or {@code rediss://...}, or null
 * @param limiterTimeout how long one limiter or brute-force decision waits for Redis before this
 *     node answers it from its own counts (each limit divided by the live nodes)
 * @param keyPrefix the prefix of every key the gateway writes to Redis, so that several gateways
 *     (or tests) can share one Redis without sharing counters
 */
public record ClusterConfig(@Nullable String redis, Duration limiterTimeout, String keyPrefix) {
  public static final Duration DEFAULT_LIMITER_TIMEOUT = Duration.ofMillis(5);
  public static final String DEFAULT_KEY_PREFIX = "xecure:";

  /** {@code redis} with the default limiter timeout and key prefix. */
  public ClusterConfig(@Nullable String redis) {
    this(redis, DEFAULT_LIMITER_TIMEOUT, DEFAULT_KEY_PREFIX);
  }
}
