package io.xecure.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import io.xecure.policy.ratelimit.CounterKey;
import io.xecure.policy.ratelimit.Decision;
import io.xecure.policy.ratelimit.Decision.Verdict;
import io.xecure.policy.ratelimit.LimiterStore;
import io.xecure.policy.ratelimit.MemoryLimiterStore;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.policy.ratelimit.PlanConfig.Quota;
import io.xecure.policy.ratelimit.PlanConfig.QuotaWindow;
import io.xecure.policy.ratelimit.PlanConfig.Rate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate and quota counters shared by every node through Redis (SPEC §8): each decision is one script
 * ({@code limit.lua}) that checks and spends the rate (GCRA) and the quota (calendar window, UTC)
 * of one counter atomically, in one round trip, on one hash whose key is tagged by the counter's
 * subject (Redis Cluster safe). The same decisions as {@link MemoryLimiterStore}, to the
 * microsecond (Redis keeps times in microseconds).
 *
 * <p><b>Whose clock.</b> Redis's: the script reads {@code TIME}, so nodes whose clocks disagree by
 * some milliseconds still share one rate. With the nodes' clocks, a node δ ahead would see every
 * theoretical arrival time δ earlier and grant up to δ / interval requests beyond the burst, and
 * quota windows would turn over at different instants on different nodes. A store built with a
 * {@link Clock} passes that clock's time instead (tests move it by hand).
 *
 * <p><b>Redis unreachable.</b> A call that gets no answer within the link's bound, or that is made
 * while the link is down, is answered by this node's {@link MemoryLimiterStore} at each limit
 * divided by {@code liveNodes} (at least 1): the cluster as a whole then stays near its limits
 * without any node talking to another. Those counts are not carried back to Redis when it returns.
 */
public final class RedisLimiterStore implements LimiterStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLimiterStore.class);
  private static final RedisScript SCRIPT = RedisScript.load("limit.lua");

  /** Keeps times far below 2^53 µs; no sensible rate is measured over a century. */
  private static final long MAX_PERIOD_MICROS = Duration.ofDays(36_500).toNanos() / 1000;

  private static final long MINUTE_MICROS = 60_000_000L;

  /**
   * How long a counter is kept at least when times come from a clock other than Redis's: Redis
   * expires keys on its own clock, which such a clock (moved by hand in tests) need not follow.
   */
  private static final String FOREIGN_CLOCK_TTL_MS = Long.toString(Duration.ofHours(1).toMillis());

  private final RedisLink link;
  private final RedisKeys keys;
  private final @Nullable Clock clock;
  private final MemoryLimiterStore local;
  private final IntSupplier liveNodes;

  /**
   * @param clock null for Redis's own clock (production); a clock to pass its time instead
   * @param local this node's counters while Redis does not answer
   * @param liveNodes the nodes sharing the limits now (at least 1 is assumed)
   */
  public RedisLimiterStore(
      RedisLink link,
      RedisKeys keys,
      @Nullable Clock clock,
      MemoryLimiterStore local,
      IntSupplier liveNodes) {
    this.link = link;
    this.keys = keys;
    this.clock = clock;
    this.local = local;
    this.liveNodes = liveNodes;
  }

  @Override
  public Future<Decision> acquire(CounterKey counter, PlanConfig plan) {
    if (plan.rate() == null && plan.quota() == null) {
      throw new IllegalArgumentException("a plan needs a rate, a quota or both");
    }
    if (!link.up()) {
      return local(counter, plan);
    }
    return SCRIPT
        .run(link, List.of(keys.counter(counter)), args(plan))
        .map(r -> decision(r, plan))
        .recover(
            e -> {
              if (!(e instanceof RedisLink.DownException)) {
                LOG.debug("limiter call for {} fell back: {}", counter, e.toString());
              }
              return local(counter, plan);
            });
  }

  private Future<Decision> local(CounterKey counter, PlanConfig plan) {
    link.fellBack();
    return local.acquire(counter, share(plan, Math.max(1, liveNodes.getAsInt())));
  }

  /** {@code plan} with each limit divided by {@code nodes}, at least 1. */
  static PlanConfig share(PlanConfig plan, int nodes) {
    if (nodes <= 1) {
      return plan;
    }
    Rate rate = plan.rate();
    Quota quota = plan.quota();
    return new PlanConfig(
        rate == null ? null : new Rate(Math.max(1, rate.limit() / nodes), rate.per()),
        quota == null ? null : new Quota(Math.max(1, quota.limit() / nodes), quota.per()),
        plan.limitBy());
  }

  private List<String> args(PlanConfig plan) {
    Rate rate = plan.rate();
    Quota quota = plan.quota();
    long interval = rate == null ? 0 : interval(rate);
    long burst = rate == null ? 0 : burst(rate);
    return List.of(
        Long.toString(clock == null ? 0 : micros(clock.instant())),
        Long.toString(interval),
        Long.toString(burst),
        Long.toString(quota == null ? 0 : quota.limit()),
        quota == null ? "0" : window(quota.per()),
        clock == null ? "0" : FOREIGN_CLOCK_TTL_MS);
  }

  private static Decision decision(Response r, PlanConfig plan) {
    long verdict = r.get(0).toLong();
    Rate rate = plan.rate();
    Quota quota = plan.quota();
    if (verdict == 2 && quota != null) {
      long left = nanos(r.get(1));
      return Decision.refused(Verdict.QUOTA_EXCEEDED, quota.limit(), left, left);
    }
    if (verdict == 1 && rate != null) {
      return Decision.refused(Verdict.RATE_LIMITED, limit(rate), nanos(r.get(1)), nanos(r.get(2)));
    }
    if (verdict != 0) {
      throw new IllegalStateException("limit.lua answered " + r);
    }
    Decision byRate = null;
    if (rate != null) {
      long reset = r.get(1).toLong();
      long remaining = (burst(rate) - reset) / interval(rate);
      byRate = Decision.granted(limit(rate), remaining, reset * 1000);
    }
    if (quota == null) {
      if (byRate == null) {
        throw new IllegalStateException("a plan needs a rate, a quota or both");
      }
      return byRate;
    }
    long used = r.get(2).toLong();
    Decision byQuota = Decision.granted(quota.limit(), quota.limit() - used, nanos(r.get(3)));
    Decision binding = byRate == null ? byQuota : Decision.tighter(byRate, byQuota);
    return binding.withQuotaUse(used, quota.limit());
  }

  private static long period(Rate rate) {
    long micros =
        rate.per().compareTo(Duration.ofNanos(MAX_PERIOD_MICROS * 1000)) > 0
            ? MAX_PERIOD_MICROS
            : Math.max(1, rate.per().toNanos() / 1000);
    return micros;
  }

  /** The emission interval in µs: at least 1, so an absurd limit saturates at 1e6/s. */
  static long interval(Rate rate) {
    long period = period(rate);
    return Math.max(1, period / Math.min(rate.limit(), period));
  }

  /** limit × interval, at most {@code per}: the burst let through at once. */
  static long burst(Rate rate) {
    return limit(rate) * interval(rate);
  }

  private static long limit(Rate rate) {
    return Math.min(rate.limit(), period(rate));
  }

  private static String window(QuotaWindow per) {
    return switch (per) {
      case MINUTE -> Long.toString(MINUTE_MICROS);
      case HOUR -> Long.toString(60 * MINUTE_MICROS);
      case DAY -> Long.toString(24 * 60 * MINUTE_MICROS);
      case MONTH -> "M";
    };
  }

  private static long nanos(Response micros) {
    return micros.toLong() * 1000;
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
