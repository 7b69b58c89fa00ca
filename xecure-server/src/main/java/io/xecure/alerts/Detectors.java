package io.xecure.alerts;

import io.xecure.config.AlertsConfig;
import io.xecure.events.EventSink;
import io.xecure.events.RequestEvent;
import io.xecure.model.AlertType;
import io.xecure.model.ApiKeyRecord;
import io.xecure.net.ClientNetwork;
import io.xecure.policy.bruteforce.FailureTracker;
import io.xecure.policy.ratelimit.LimiterStore;
import io.xecure.redis.RedisLink;
import io.xecure.redis.RedisTraffic;
import java.time.Clock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the hooks through which each detector {@code alerts.detect} names is wired into the
 * gateway; a detector left out is not built and costs nothing.
 *
 * <ul>
 *   <li>{@code brute_force}: the {@link FailureTracker}'s block listener;
 *   <li>{@code usage_spike}, {@code key_shared}: the request event sink {@link #requests()};
 *   <li>{@code quota_near}: a wrapper around the limiter store;
 *   <li>{@code key_leaked}: the key service's leak hook;
 *   <li>{@code limiter_degraded}: the Redis link's listener (cluster mode).
 * </ul>
 */
public final class Detectors {
  private static final Logger LOG = LoggerFactory.getLogger(Detectors.class);

  private final AlertsConfig config;
  private final AlertRaiser raiser;
  private final @Nullable UsageSpikeDetector spikes;
  private final @Nullable KeySharedDetector sharing;
  private final Clock clock;
  private final @Nullable RedisTraffic traffic;

  public Detectors(AlertsConfig config, Clock clock, AlertRaiser raiser) {
    this(config, clock, raiser, null);
  }

  /**
   * Detectors that, with {@code traffic} (cluster mode), judge {@code usage_spike} and {@code
   * key_shared} on a key's traffic on every node; while Redis does not answer, on this node's.
   */
  public Detectors(
      AlertsConfig config, Clock clock, AlertRaiser raiser, @Nullable RedisTraffic traffic) {
    this.config = config;
    this.raiser = raiser;
    this.clock = clock;
    this.traffic = traffic;
    this.spikes =
        config.detects(AlertType.USAGE_SPIKE)
            ? new UsageSpikeDetector(
                config.usageSpike(), clock, raiser, UsageSpikeDetector.DEFAULT_MAXIMUM_KEYS)
            : null;
    this.sharing =
        config.detects(AlertType.KEY_SHARED)
            ? new KeySharedDetector(
                config.keyShared(), clock, raiser, KeySharedDetector.DEFAULT_MAXIMUM_KEYS)
            : null;
  }

  /** The sink of request events for the detectors that watch traffic. */
  public EventSink requests() {
    UsageSpikeDetector s = spikes;
    KeySharedDetector k = sharing;
    if (s == null && k == null) {
      return EventSink.NONE;
    }
    RedisTraffic shared = traffic;
    if (shared != null) {
      return event -> observeShared(event, shared, s, k);
    }
    return event -> observe(event, s, k);
  }

  /** Counts the request in Redis and judges the key's counts on all nodes; alone on a failure. */
  private void observeShared(
      RequestEvent event,
      RedisTraffic shared,
      @Nullable UsageSpikeDetector s,
      @Nullable KeySharedDetector k) {
    String key = event.keyId();
    if (key == null) {
      return;
    }
    String network = ClientNetwork.of(event.clientIp());
    long now = clock.millis();
    shared
        .count(key, network, now)
        .onComplete(
            r -> {
              if (r.failed()) {
                observe(event, s, k);
                return;
              }
              try {
                if (s != null) {
                  s.observeTotal(key, Math.floorDiv(now, 60_000), r.result().requests());
                }
                if (k != null) {
                  k.observeCount(
                      key,
                      network,
                      Math.floorDiv(now, config.keyShared().window().toMillis()),
                      r.result().networks());
                }
              } catch (RuntimeException e) {
                LOG.error("alert detectors failed on request {}", event.requestId(), e);
              }
            });
  }

  private static void observe(
      RequestEvent event, @Nullable UsageSpikeDetector s, @Nullable KeySharedDetector k) {
    String key = event.keyId();
    if (key == null) {
      return; // no valid key: nothing of a key's usage
    }
    try {
      if (s != null) {
        s.observe(key);
      }
      if (k != null) {
        k.observe(key, event.clientIp());
      }
    } catch (RuntimeException e) {
      // a detector's bug must never fail or slow the request that was recorded
      LOG.error("alert detectors failed on request {}", event.requestId(), e);
    }
  }

  /** Raises {@code brute_force} each time the guard blocks a client. */
  public FailureTracker.BlockListener bruteForce() {
    if (!config.detects(AlertType.BRUTE_FORCE)) {
      return FailureTracker.BlockListener.NONE;
    }
    return (client, failures, block) ->
        raiser.raise(
            AlertType.BRUTE_FORCE,
            client,
            failures + " invalid API keys; blocked for " + block.toSeconds() + " s");
  }

  /** {@code limiter}, watched for quotas reaching {@code quota_near.percent}. */
  public LimiterStore quota(LimiterStore limiter) {
    if (!config.detects(AlertType.QUOTA_NEAR)) {
      return limiter;
    }
    return new QuotaWatch(limiter, config.quotaNear().percent(), raiser);
  }

  /**
   * Raises {@code limiter_degraded} on {@code node} each time Redis stops answering it. Static: the
   * link exists before the detectors, which count traffic through it.
   */
  public static RedisLink.Listener limiterDegraded(
      AlertsConfig config, AlertRaiser raiser, String node) {
    if (!config.detects(AlertType.LIMITER_DEGRADED)) {
      return RedisLink.Listener.NONE;
    }
    return new RedisLink.Listener() {
      @Override
      public void down(String reason) {
        raiser.raise(
            AlertType.LIMITER_DEGRADED,
            node,
            "Redis unreachable (" + reason + "); limits are per node at limit / live nodes");
      }

      @Override
      public void up() {
        // the alert stays open until acknowledged: an outage at night is still news at dawn
      }
    };
  }

  /** Raises {@code key_leaked} for each key reported leaked (and so revoked). */
  public Consumer<ApiKeyRecord> keyLeaked() {
    if (!config.detects(AlertType.KEY_LEAKED)) {
      return key -> {};
    }
    return key ->
        raiser.raise(
            AlertType.KEY_LEAKED,
            key.id(),
            "reported leaked and revoked; developer "
                + key.developerId()
                + ", display prefix "
                + key.displayPrefix());
  }
}
