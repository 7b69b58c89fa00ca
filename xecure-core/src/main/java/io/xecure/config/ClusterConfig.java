package io.xecure.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Cluster mode (SPEC §8).
 *
 * @param redis {@code redis://[:password@]host:port[/db]} or {@code rediss://...}, or several such
 *     URLs separated by commas, the seed nodes of a Redis Cluster; or null: with it, rate limits,
 *     quotas, the brute-force guard and the traffic detectors are shared by every node through that
 *     Redis; without it they count per node
 * @param limiterTimeout how long one limiter or brute-force decision waits for Redis before this
 *     node answers it from its own counts (each limit divided by the live nodes)
 * @param keyPrefix the prefix of every key the gateway writes to Redis, so that several gateways
 *     (or tests) can share one Redis without sharing counters
 * @param pollInterval how often a node reads the change feed even when no push arrives: the bound
 *     on staleness when every push is lost
 * @param maxStaleness how long a node may go without reaching the change feed before it stops
 *     judging keys it has never seen (503 store_unavailable rather than 401)
 * @param push whether changes are also pushed (PostgreSQL LISTEN/NOTIFY); off leaves only the poll
 * @param heartbeatInterval how often a node records itself in the nodes table; a node is live while
 *     its last heartbeat is within three intervals
 */
public record ClusterConfig(
    @Nullable String redis,
    Duration limiterTimeout,
    String keyPrefix,
    Duration pollInterval,
    Duration maxStaleness,
    boolean push,
    Duration heartbeatInterval) {
  public static final Duration DEFAULT_LIMITER_TIMEOUT = Duration.ofMillis(5);
  public static final String DEFAULT_KEY_PREFIX = "xecure:";
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
  public static final Duration DEFAULT_MAX_STALENESS = Duration.ofSeconds(30);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

  /** The defaults, with {@code redis}. */
  public ClusterConfig(@Nullable String redis) {
    this(
        redis,
        DEFAULT_LIMITER_TIMEOUT,
        DEFAULT_KEY_PREFIX,
        DEFAULT_POLL_INTERVAL,
        DEFAULT_MAX_STALENESS,
        true,
        DEFAULT_HEARTBEAT_INTERVAL);
  }
}
