package io.xecure.proxy;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.xecure.config.AlertsConfig;
import io.xecure.config.ApiConfig;
import io.xecure.config.ClusterConfig;
import io.xecure.model.AlertType;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.policy.bruteforce.BruteForceConfig;
import io.xecure.policy.bruteforce.FailureTracker;
import io.xecure.policy.ratelimit.CounterKey;
import io.xecure.policy.ratelimit.CounterKey.Subject;
import io.xecure.policy.ratelimit.MemoryLimiterStore;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.policy.ratelimit.PlanConfig.LimitBy;
import io.xecure.policy.ratelimit.PlanConfig.Rate;
import io.xecure.redis.FaultProxy;
import io.xecure.redis.RedisFailureLedger;
import io.xecure.redis.RedisKeys;
import io.xecure.redis.RedisLimiterStore;
import io.xecure.redis.RedisLink;
import io.xecure.redis.RedisTraffic;
import io.xecure.redis.TestRedis;
import io.xecure.testing.ApiConfigBuilder;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import io.xecure.testing.GatewayHarness;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode through a real gateway: its limits and brute-force blocks live in Redis, shared with
 * another node (here a limiter and a ledger of the test's own on the same Redis and prefix), and a
 * Redis that goes away leaves the gateway limiting on its own at limit / live nodes, with an alert
 * and a metric, until Redis answers again: no restart.
 */
class ClusterLimitsProxyTest {
  @TempDir Path dir;
  private final String prefix = TestRedis.prefix();
  private final Vertx otherNode = Vertx.vertx();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final EchoUpstream upstream = upstream();

  private static final PlanConfig FREE =
      new PlanConfig(new Rate(4, Duration.ofMinutes(1)), null, LimitBy.KEY);

  private static EchoUpstream upstream() {
    try {
      return new EchoUpstream();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeEach
  void start() {
    open.add(upstream);
    TestRedis.requireOrSkip();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    TestRedis.deleteAll(otherNode, prefix);
    otherNode.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * A gateway on {@code redisUrl}, waiting for Redis up to 2 s per decision: on a busy test machine
   * Redis can take longer than the production bound of 5 ms, and a decision must not fall back.
   */
  private GatewayHarness gateway(String redisUrl) {
    return gateway(redisUrl, Duration.ofSeconds(2));
  }

  private GatewayHarness gateway(String redisUrl, Duration limiterTimeout) {
    return gateway(redisUrl, limiterTimeout, AlertsConfig.DEFAULT);
  }

  private GatewayHarness gateway(String redisUrl, Duration limiterTimeout, AlertsConfig alerts) {
    ApiConfig users = api("users", "/users", upstream.url());
    ApiConfig planned = ApiConfigBuilder.from(users).defaultPlan("free").build();
    GatewayHarness gw =
        new GatewayHarness(
            dir,
            List.of(planned),
            Map.of("free", FREE),
            new ClusterConfig(
                redisUrl,
                limiterTimeout,
                prefix,
                ClusterConfig.DEFAULT_POLL_INTERVAL,
                ClusterConfig.DEFAULT_MAX_STALENESS,
                true,
                ClusterConfig.DEFAULT_HEARTBEAT_INTERVAL),
            alerts);
    open.add(gw);
    return gw;
  }

  private RedisLink otherLink() {
    RedisLink link =
        TestRedis.link(otherNode, TestRedis.url(), Duration.ofSeconds(2), RedisLink.Listener.NONE);
    open.add(link::close);
    return link;
  }

  /** Spends {@code n} of a key's rate through the other node. */
  private void spendElsewhere(String keyId, int n) {
    RedisLimiterStore other =
        new RedisLimiterStore(
            otherLink(),
            new RedisKeys(prefix),
            null,
            new MemoryLimiterStore(Clock.systemUTC()),
            () -> 1);
    for (int i = 0; i < n; i++) {
      var d =
          TestRedis.await(
              other.acquire(new CounterKey("free", Subject.KEY, keyId), FREE), "acquire");
      assertThat(d.granted()).isTrue();
    }
  }

  private static RedisLink link(GatewayHarness gw) {
    return Objects.requireNonNull(gw.gateway().redis(), "cluster mode has a Redis link");
  }

  private static String code(HttpResponse<String> r) {
    return new JsonObject(r.body()).getString("code");
  }

  @Test
  void aRateSpentOnAnotherNodeIsSpentHere() throws Exception {
    GatewayHarness gw = gateway(TestRedis.url());
    Developer dev = gw.developer("Ada", DeveloperStatus.ACTIVE);
    String[] key = gw.issue(dev, List.of("*"), (String) null, null);

    spendElsewhere(key[1], 3);

    HttpResponse<String> last = gw.get("/users/1", "X-API-Key", key[0]);
    assertThat(last.statusCode()).isEqualTo(200);
    assertThat(last.headers().firstValue("RateLimit-Remaining")).hasValue("0");
    HttpResponse<String> refused = gw.get("/users/2", "X-API-Key", key[0]);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(code(refused)).isEqualTo("rate_limited");
    assertThat(upstream.received()).hasSize(1);
    assertThat(link(gw).fallbacks()).isZero();
  }

  @Test
  void aClientBlockedThroughAnotherNodeIsBlockedHere() throws Exception {
    GatewayHarness gw = gateway(TestRedis.url());
    Developer dev = gw.developer("Ada", DeveloperStatus.ACTIVE);
    String[] key = gw.issue(dev, List.of("*"), (String) null, null);
    BruteForceConfig guard = BruteForceConfig.DEFAULT;
    RedisFailureLedger other =
        new RedisFailureLedger(
            otherLink(),
            new RedisKeys(prefix),
            guard,
            new FailureTracker(guard, Clock.systemUTC()),
            FailureTracker.BlockListener.NONE);

    for (int i = 0; i < guard.threshold(); i++) {
      other.failed("127.0.0.1");
    }
    Eventually.await(
        "the block in Redis",
        () -> TestRedis.await(other.blockedFor("127.0.0.1"), "PTTL"),
        ms -> ms > 0);

    HttpResponse<String> refused = gw.get("/users/1", "X-API-Key", key[0]);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(code(refused)).isEqualTo("too_many_failures");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void withRedisCutTheNodeLimitsAloneAtItsShareAlertsAndComesBackWithoutRestart() throws Exception {
    FaultProxy line = new FaultProxy(TestRedis.address());
    open.add(line);
    GatewayHarness gw = gateway(line.redisUrl());
    gw.gateway().liveNodes(() -> 2);
    Developer dev = gw.developer("Ada", DeveloperStatus.ACTIVE);
    String[] key = gw.issue(dev, List.of("*"), (String) null, null);
    RedisLink link = link(gw);
    assertThat(link.up()).isTrue();

    line.cut();

    // free is 4 a minute; with 2 live nodes this node grants 2 on its own
    assertThat(gw.get("/users/1", "X-API-Key", key[0]).statusCode()).isEqualTo(200);
    assertThat(gw.get("/users/2", "X-API-Key", key[0]).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = gw.get("/users/3", "X-API-Key", key[0]);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(code(refused)).isEqualTo("rate_limited");
    assertThat(link.up()).isFalse();
    assertThat(link.fallbacks()).isPositive();
    Eventually.await(
        "a limiter_degraded alert",
        () -> gw.gateway().alerts().stats().raised().get(AlertType.LIMITER_DEGRADED),
        n -> n != null && n >= 1);
    for (int i = 0; i < 5; i++) {
      assertThat(gw.get("/users/more", "X-API-Key", key[0]).statusCode()).isEqualTo(429);
    }
    assertThat(gw.gateway().alerts().stats().raised().get(AlertType.LIMITER_DEGRADED))
        .as("one alert per outage, not one per request")
        .isEqualTo(1);
    String metrics = gw.gateway().metrics().scrape();
    assertThat(metrics).contains("xecure_limiter_degraded 1.0");
    assertThat(metrics).containsPattern("xecure_limiter_fallbacks_total [1-9]");

    line.restore();

    Eventually.await("the link up again", link::up, up -> up);
    String[] fresh = gw.issue(dev, List.of("*"), (String) null, null);
    spendElsewhere(fresh[1], 4);
    HttpResponse<String> shared = gw.get("/users/4", "X-API-Key", fresh[0]);
    assertThat(shared.statusCode()).as("counted in Redis again").isEqualTo(429);
    assertThat(gw.gateway().metrics().scrape()).contains("xecure_limiter_degraded 0.0");
  }

  /**
   * Redis down, the brute-force guard falls back like the limits do: each of N live nodes blocks at
   * threshold / N, so a client spreading its guesses over every node is still blocked after about
   * the threshold in all.
   */
  @Test
  void withRedisCutTheGuardBlocksAtTheNodesShareOfTheThreshold() throws Exception {
    FaultProxy line = new FaultProxy(TestRedis.address());
    open.add(line);
    GatewayHarness gw = gateway(line.redisUrl());
    gw.gateway().liveNodes(() -> 2);
    Developer dev = gw.developer("Ada", DeveloperStatus.ACTIVE);
    String[] key = gw.issue(dev, List.of("*"), (String) null, null);
    RedisLink link = link(gw);
    int share = BruteForceConfig.DEFAULT.threshold() / 2;

    line.cut();

    for (int i = 1; i < share; i++) {
      String guess = gw.gateway().keyFormat().generate();
      assertThat(gw.get("/users/" + i, "X-API-Key", guess).statusCode()).isEqualTo(401);
    }
    Eventually.until("the link seen down", () -> !link.up());
    assertThat(gw.get("/users/ok", "X-API-Key", key[0]).statusCode())
        .as("one guess short of the share: not blocked")
        .isEqualTo(200);
    String last = gw.gateway().keyFormat().generate();
    assertThat(gw.get("/users/last", "X-API-Key", last).statusCode()).isEqualTo(401);

    HttpResponse<String> blocked =
        Eventually.await(
            "blocked at " + share + " invalid keys",
            () -> gw.get("/users/after", "X-API-Key", key[0]),
            r -> r.statusCode() == 429 && "too_many_failures".equals(code(r)));
    assertThat(blocked.statusCode()).isEqualTo(429);
  }

  @Test
  void withRedisStalledEachDecisionStillAnswersFromTheNodesOwnCounts() throws Exception {
    FaultProxy line = new FaultProxy(TestRedis.address());
    open.add(line);
    GatewayHarness gw = gateway(line.redisUrl(), ClusterConfig.DEFAULT_LIMITER_TIMEOUT);
    Developer dev = gw.developer("Ada", DeveloperStatus.ACTIVE);
    String[] key = gw.issue(dev, List.of("*"), (String) null, null);

    line.stall();

    // Redis never answers while stalled: each answer below comes from the bounded wait's fallback
    for (int i = 1; i <= 4; i++) {
      assertThat(gw.get("/users/" + i, "X-API-Key", key[0]).statusCode()).isEqualTo(200);
    }
    assertThat(gw.get("/users/5", "X-API-Key", key[0]).statusCode()).isEqualTo(429);
    RedisLink link = link(gw);
    assertThat(link.fallbacks()).isGreaterThanOrEqualTo(5);

    line.restore();
    Eventually.await("the link up again", link::up, up -> up);
  }

  @Test
  void aKeyUsedFromNetworksSpreadOverNodesIsSeenAsShared() throws Exception {
    AlertsConfig alerts =
        new AlertsConfig(
            Set.of(AlertType.KEY_SHARED),
            AlertsConfig.UsageSpike.DEFAULT,
            new AlertsConfig.KeyShared(2, Duration.ofHours(1)),
            AlertsConfig.QuotaNear.DEFAULT,
            null);
    GatewayHarness gw = gateway(TestRedis.url(), Duration.ofSeconds(2), alerts);
    Developer dev = gw.developer("Ada", DeveloperStatus.ACTIVE);
    String[] key = gw.issue(dev, List.of("*"), (String) null, null);
    RedisTraffic other = new RedisTraffic(otherLink(), new RedisKeys(prefix), Duration.ofHours(1));
    long now = System.currentTimeMillis();
    TestRedis.await(other.count(key[1], "203.0.113.1", now), "count");
    TestRedis.await(other.count(key[1], "203.0.113.2", now), "count");

    // this node alone sees one network; all nodes together see three, one over max_ips
    assertThat(gw.get("/users/1", "X-API-Key", key[0]).statusCode()).isEqualTo(200);

    Eventually.await(
        "a key_shared alert",
        () -> gw.gateway().alerts().stats().raised().get(AlertType.KEY_SHARED),
        n -> n != null && n == 1);
  }
}
