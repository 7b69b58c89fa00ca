package io.xecure.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.xecure.policy.ratelimit.CounterKey;
import io.xecure.policy.ratelimit.CounterKey.Subject;
import io.xecure.policy.ratelimit.Decision;
import io.xecure.policy.ratelimit.MemoryLimiterStore;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.policy.ratelimit.PlanConfig.LimitBy;
import io.xecure.policy.ratelimit.PlanConfig.Quota;
import io.xecure.policy.ratelimit.PlanConfig.QuotaWindow;
import io.xecure.policy.ratelimit.PlanConfig.Rate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes (three Vert.x instances, each with its own link to Redis and its own store, on
 * Redis's clock as in production) bursting on one key at once.
 */
class ClusterAccuracyTest {
  private static final int NODES = 3;

  private final String prefix = TestRedis.prefix();
  private final List<Vertx> nodes = new ArrayList<>();
  private final List<RedisLink> links = new ArrayList<>();
  private final List<RedisLimiterStore> stores = new ArrayList<>();
  private final CounterKey key = new CounterKey("free", Subject.KEY, "key_shared");

  @BeforeEach
  void start() {
    TestRedis.requireOrSkip();
    for (int i = 0; i < NODES; i++) {
      Vertx vertx = Vertx.vertx();
      RedisLink link =
          TestRedis.link(vertx, TestRedis.url(), Duration.ofSeconds(2), RedisLink.Listener.NONE);
      nodes.add(vertx);
      links.add(link);
      stores.add(
          new RedisLimiterStore(
              link,
              new RedisKeys(prefix),
              null,
              new MemoryLimiterStore(Clock.systemUTC()),
              () -> NODES));
    }
  }

  @AfterEach
  void stop() {
    for (RedisLink link : links) {
      assertThat(link.fallbacks()).as("decisions not made by Redis").isZero();
      link.close();
    }
    if (!nodes.isEmpty()) {
      TestRedis.deleteAll(nodes.get(0), prefix);
    }
    nodes.forEach(Vertx::close);
  }

  /** Each node sends {@code each} calls at once, from its own event loop; all the decisions. */
  private List<Decision> burst(PlanConfig plan, int each) {
    List<CompletableFuture<List<Decision>>> all = new ArrayList<>();
    for (int n = 0; n < NODES; n++) {
      RedisLimiterStore store = stores.get(n);
      CompletableFuture<List<Decision>> done = new CompletableFuture<>();
      nodes
          .get(n)
          .runOnContext(
              v -> {
                List<Future<Decision>> calls = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                  calls.add(store.acquire(key, plan));
                }
                Future.all(calls)
                    .onComplete(r -> done.complete(calls.stream().map(Future::result).toList()));
              });
      all.add(done);
    }
    List<Decision> decisions = new ArrayList<>();
    for (CompletableFuture<List<Decision>> done : all) {
      decisions.addAll(done.orTimeout(30, TimeUnit.SECONDS).join());
    }
    return decisions;
  }

  @Test
  void threeNodesBurstingOnOneKeyGrantExactlyTheQuota() {
    PlanConfig plan = new PlanConfig(null, new Quota(1_000, QuotaWindow.DAY), LimitBy.KEY);

    long granted = burst(plan, 1_000).stream().filter(Decision::granted).count();

    assertThat(granted).isEqualTo(1_000);
  }

  @Test
  void threeNodesHammeringOneKeyGetItsRateWithinOnePercent() {
    // 200/s as 1000 per 5 s (a burst of 1000), offered far beyond the rate by every node for
    // about 8 s. A lull (a busy machine) shorter than the burst's 5 s loses nothing: GCRA banks
    // up to the burst meanwhile, so what is measured is the limiter, not the machine.
    PlanConfig plan = new PlanConfig(new Rate(1_000, Duration.ofSeconds(5)), null, LimitBy.KEY);

    List<Run> runs = hammer(plan, 32, Duration.ofSeconds(8));

    // never more than the burst plus one per interval (5 ms) of Redis time from first to last
    long granted = runs.stream().mapToLong(Run::granted).sum();
    long first = runs.stream().mapToLong(Run::startMicros).min().orElseThrow();
    long last = runs.stream().mapToLong(Run::endMicros).max().orElseThrow();
    assertThat(granted).isLessThanOrEqualTo(1_000 + (last - first) / 5_000 + 1);
    // and, between two snapshots about 2 s apart taken while the counter is saturated, the rate:
    // each grant moves the theoretical arrival time one interval on, so its move counts them
    Snapshot a = runs.get(0).early();
    Snapshot b = runs.get(0).late();
    double grantsBetween = (b.tat() - a.tat()) / 5_000.0;
    double allowedBetween = (b.now() - a.now()) / 5_000.0;
    assertThat(allowedBetween).as("snapshots 2 s apart").isGreaterThan(300);
    assertThat(grantsBetween).isBetween(allowedBetween * 0.99, allowedBetween * 1.01);
  }

  /** Redis's time and the counter's theoretical arrival time, read atomically. */
  private record Snapshot(long now, long tat) {}

  private static final String SNAPSHOT =
      "local t = redis.call('TIME') " + "return {t[1], t[2], redis.call('HGET', KEYS[1], 't')}";

  /**
   * A snapshot at an instant the counter is saturated (its arrival time within two intervals of now
   * + burst, as right after a grant under load): two such snapshots count the grants between them
   * to within two. Tried up to {@code attempts} times.
   */
  private Future<Snapshot> saturatedSnapshot(RedisLink link, int attempts) {
    return snapshot(link)
        .compose(
            s ->
                s.tat() - s.now() >= 5_000_000 - 2 * 5_000 || attempts <= 1
                    ? Future.succeededFuture(s)
                    : saturatedSnapshot(link, attempts - 1));
  }

  private Future<Snapshot> snapshot(RedisLink link) {
    String hash = prefix + "{key:key_shared}:limit:free";
    return link.send(Request.cmd(Command.EVAL).arg(SNAPSHOT).arg(1).arg(hash))
        .map(
            r ->
                new Snapshot(r.get(0).toLong() * 1_000_000 + r.get(1).toLong(), r.get(2).toLong()));
  }

  /**
   * One node's run: its grants, and Redis's time just before its first call and just after its last
   * (TIME pipelined on the same connection, so Redis runs it in that order).
   */
  private record Run(
      long granted, long startMicros, long endMicros, Snapshot early, Snapshot late) {}

  /**
   * Each node keeps {@code inFlight} calls outstanding, sending the next as each answers, for
   * {@code length} (by each node's own clock, at most 100 000 calls each), and in any case until
   * its late snapshot is taken (at most 10 s more).
   */
  private List<Run> hammer(PlanConfig plan, int inFlight, Duration length) {
    List<CompletableFuture<Run>> all = new ArrayList<>();
    for (int n = 0; n < NODES; n++) {
      RedisLimiterStore store = stores.get(n);
      RedisLink link = links.get(n);
      Vertx vertx = nodes.get(n);
      CompletableFuture<Run> done = new CompletableFuture<>();
      vertx.runOnContext(
          v -> {
            Future<Response> start = link.send(Request.cmd(Command.TIME));
            Promise<Snapshot> early = Promise.promise();
            Promise<Snapshot> late = Promise.promise();
            boolean[] saturated = new boolean[1];
            long end = System.nanoTime() + length.toNanos();
            // the late snapshot needs the counter still saturated: a fast machine that reached
            // the call cap first (100,000 calls in 2 s) took it after the hammer had stopped
            long hardEnd = end + TimeUnit.SECONDS.toNanos(10);
            long[] counts = new long[3]; // sent, answered, granted
            List<Future<Response>> stop = new ArrayList<>();
            Runnable[] next = new Runnable[1];
            next[0] =
                () -> {
                  long now = System.nanoTime();
                  boolean lateTaken = late.future().isComplete();
                  if ((now < end && counts[0] < 100_000) || (!lateTaken && now < hardEnd)) {
                    counts[0]++;
                    store
                        .acquire(key, plan)
                        .onComplete(
                            r -> {
                              counts[1]++;
                              if (r.succeeded() && r.result().granted()) {
                                counts[2]++;
                              } else if (!saturated[0]) {
                                // the burst is spent: from now on the rate alone binds
                                saturated[0] = true;
                                saturatedSnapshot(link, 1_000).onComplete(early);
                                vertx.setTimer(
                                    2_000, t -> saturatedSnapshot(link, 1_000).onComplete(late));
                              }
                              next[0].run();
                            });
                    return;
                  }
                  if (stop.isEmpty()) {
                    stop.add(link.send(Request.cmd(Command.TIME)));
                  }
                  if (counts[1] == counts[0]) {
                    Future.all(start, stop.get(0), early.future(), late.future())
                        .onComplete(
                            r ->
                                done.complete(
                                    new Run(
                                        counts[2],
                                        micros(start.result()),
                                        micros(stop.get(0).result()),
                                        early.future().result(),
                                        late.future().result())));
                  }
                };
            for (int i = 0; i < inFlight; i++) {
              next[0].run();
            }
          });
      all.add(done);
    }
    return all.stream().map(d -> d.orTimeout(60, TimeUnit.SECONDS).join()).toList();
  }

  private static long micros(Response time) {
    return time.get(0).toLong() * 1_000_000 + time.get(1).toLong();
  }
}
