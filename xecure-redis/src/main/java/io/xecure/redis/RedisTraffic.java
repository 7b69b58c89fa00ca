package io.xecure.redis;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * A key's traffic as every node sees it, for the {@code usage_spike} and {@code key_shared}
 * detectors: its requests per UTC minute (a counter) and its distinct client networks per window (a
 * HyperLogLog), both under the key's hash tag, counted by one script ({@code traffic.lua}) per
 * request. A node's detectors then judge the key's whole traffic, not the share one node serves.
 */
public final class RedisTraffic {
  private static final RedisScript SCRIPT = RedisScript.load("traffic.lua");
  private static final long MINUTE_MS = 60_000;

  /**
   * One request's counts, cluster-wide.
   *
   * @param requests the key's requests in the request's minute so far
   * @param networks the key's distinct client networks in the request's window so far (approximate:
   *     0.81% standard error)
   */
  public record Counts(long requests, long networks) {}

  private final RedisLink link;
  private final RedisKeys keys;
  private final long windowMs;
  private final List<String> ttls;

  /**
   * @param window the {@code key_shared} window: networks are counted per fixed window of this
   *     length (aligned on the epoch)
   * @param keep how long a minute's count is kept: the usage spike detector reads only the current
   *     minute, so two minutes are enough
   */
  public RedisTraffic(RedisLink link, RedisKeys keys, Duration window) {
    this.link = link;
    this.keys = keys;
    this.windowMs = Math.max(1, window.toMillis());
    this.ttls = List.of(Long.toString(2 * MINUTE_MS), Long.toString(windowMs + MINUTE_MS));
  }

  /**
   * Counts one request of {@code keyId} from {@code network} at {@code epochMillis}; fails (and the
   * caller counts alone) when Redis does not answer within the link's bound.
   */
  public Future<Counts> count(String keyId, String network, long epochMillis) {
    long minute = Math.floorDiv(epochMillis, MINUTE_MS);
    long window = Math.floorDiv(epochMillis, windowMs);
    return SCRIPT
        .run(
            link,
            List.of(keys.requests(keyId, minute), keys.networks(keyId, window)),
            List.of(network, ttls.get(0), ttls.get(1)))
        .map(r -> new Counts(r.get(0).toLong(), r.get(1).toLong()));
  }
}
