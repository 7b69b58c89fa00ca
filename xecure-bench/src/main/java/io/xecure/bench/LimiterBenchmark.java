package io.xecure.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.xecure.policy.ratelimit.CounterKey;
import io.xecure.policy.ratelimit.CounterKey.Subject;
import io.xecure.policy.ratelimit.Decision;
import io.xecure.policy.ratelimit.LimiterStore;
import io.xecure.policy.ratelimit.MemoryLimiterStore;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.policy.ratelimit.PlanConfig.LimitBy;
import io.xecure.policy.ratelimit.PlanConfig.Quota;
import io.xecure.policy.ratelimit.PlanConfig.QuotaWindow;
import io.xecure.policy.ratelimit.PlanConfig.Rate;
import io.xecure.redis.RedisKeys;
import io.xecure.redis.RedisLimiterStore;
import io.xecure.redis.RedisLink;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One limiter decision (check and spend of a GCRA rate and a monthly quota) on one node's memory
 * and on Redis ({@code XECURE_BENCH_REDIS_URL}, default {@code redis://127.0.0.1:6379}, under a
 * random key prefix deleted by TTL). Each operation sends {@code inFlight} decisions at once, on
 * 1024 counters in turn, and waits for all of them: with Redis they are pipelined on the link's one
 * connection, so throughput (ops/s × inFlight decisions) shows what pipelining buys, and the
 * sample-time mode at {@code inFlight = 1} gives one decision's latency.
 *
 * <p>The plan's limits are high enough that no decision is ever refused: every one takes the full
 * path (script, both counters written). Redis is on the same host: a network adds its round trip.
 */
@Fork(value = 1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
@SuppressWarnings("NullAway.Init") // JMH fills the fields in @Setup, before any benchmark call
public class LimiterBenchmark {
  private static final int COUNTERS = 1024;

  @Param({"memory", "redis"})
  public String store;

  @Param({"1", "16", "64"})
  public int inFlight;

  private Vertx vertx;
  private RedisLink link;
  private LimiterStore limiter;
  private CounterKey[] counters;
  private int next;
  private final PlanConfig plan =
      new PlanConfig(
          new Rate(1_000_000_000, Duration.ofSeconds(1)),
          new Quota(Long.MAX_VALUE / 2, QuotaWindow.MONTH),
          LimitBy.KEY);

  @Setup(Level.Trial)
  public void open() throws Exception {
    counters = new CounterKey[COUNTERS];
    for (int i = 0; i < COUNTERS; i++) {
      counters[i] = new CounterKey("bench", Subject.KEY, "key_" + i);
    }
    MemoryLimiterStore memory = new MemoryLimiterStore(Clock.systemUTC());
    if (store.equals("memory")) {
      limiter = memory;
      return;
    }
    vertx = Vertx.vertx();
    String url = System.getenv().getOrDefault("XECURE_BENCH_REDIS_URL", "redis://127.0.0.1:6379");
    link = new RedisLink(vertx, url, Duration.ofSeconds(1), RedisLink.Listener.NONE);
    link.connect().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    String prefix = "xecure-bench:" + UUID.randomUUID() + ":";
    limiter = new RedisLimiterStore(link, new RedisKeys(prefix), null, memory, () -> 1);
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    if (link != null) {
      if (link.fallbacks() > 0) {
        throw new IllegalStateException(
            link.fallbacks() + " decisions fell back to memory: the Redis figures are not Redis's");
      }
      link.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** {@code inFlight} decisions sent at once, then awaited. */
  @Benchmark
  public void decisions(Blackhole sink) throws Exception {
    List<Future<Decision>> calls = new ArrayList<>(inFlight);
    for (int i = 0; i < inFlight; i++) {
      calls.add(limiter.acquire(counters[next++ & (COUNTERS - 1)], plan));
    }
    Future.all(calls).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    for (Future<Decision> call : calls) {
      if (!call.result().granted()) {
        throw new IllegalStateException("refused: the benchmark measures the granted path");
      }
      sink.consume(call.result());
    }
  }
}
