package io.xecure.proxy;

import static io.xecure.testing.GatewayHarness.api;
import static io.xecure.testing.GatewayHarness.locations;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.config.ApiConfig;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.policy.keyauth.KeyAuthConfig;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.policy.ratelimit.PlanConfig.LimitBy;
import io.xecure.policy.ratelimit.PlanConfig.Quota;
import io.xecure.policy.ratelimit.PlanConfig.QuotaWindow;
import io.xecure.policy.ratelimit.PlanConfig.Rate;
import io.xecure.testing.ApiConfigBuilder;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.GatewayHarness;
import io.xecure.testing.MutableClock;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans through a real gateway in front of a real upstream: headers on every answer, 429s that
 * never reach the upstream, which plan applies and who shares a counter. Each test uses its own
 * keys, so tests share the gateway and the clock, never a counter.
 */
class RateLimitProxyTest {
  @TempDir static Path dir;
  static EchoUpstream upstream;
  static GatewayHarness gw;
  static MutableClock clock = new MutableClock(Instant.parse("2025-03-10T12:00:00Z"));
  static Developer dev;

  @BeforeAll
  static void start() throws Exception {
    upstream = new EchoUpstream();
    String u = upstream.url();
    Map<String, PlanConfig> plans =
        Map.of(
            "free", new PlanConfig(new Rate(3, Duration.ofMinutes(1)), null, LimitBy.KEY),
            "pro", new PlanConfig(new Rate(100, Duration.ofMinutes(1)), null, LimitBy.KEY),
            "team", new PlanConfig(new Rate(2, Duration.ofHours(1)), null, LimitBy.DEVELOPER),
            "daily", new PlanConfig(null, new Quota(2, QuotaWindow.DAY), LimitBy.KEY));
    KeyAuthConfig anonymous = new KeyAuthConfig(locations("header:X-API-Key"), true, true, 1024);
    gw =
        new GatewayHarness(
            dir,
            List.of(
                withPlan(api("users", "/users", u), "free"),
                withPlan(api("orders", "/orders", u), "free"),
                withPlan(api("reports", "/reports", u), "daily"),
                withPlan(api("open", "/open", u, anonymous), "daily"),
                api("plain", "/plain", u)),
            plans,
            clock);
    dev = gw.developer("Ada", DeveloperStatus.ACTIVE);
  }

  static ApiConfig withPlan(ApiConfig a, String plan) {
    return ApiConfigBuilder.from(a).defaultPlan(plan).build();
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  @BeforeEach
  void clear() {
    upstream.clear();
  }

  private static String key(@Nullable String plan) {
    return gw.issue(dev, List.of("*"), plan, null)[0];
  }

  private static HttpResponse<String> get(String path, String key) throws Exception {
    return gw.get(path, "X-API-Key", key);
  }

  private static @Nullable String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  private static void assertLimits(HttpResponse<?> r, long limit, long remaining, long reset) {
    assertThat(header(r, "RateLimit-Limit")).isEqualTo(Long.toString(limit));
    assertThat(header(r, "RateLimit-Remaining")).isEqualTo(Long.toString(remaining));
    assertThat(header(r, "RateLimit-Reset")).isEqualTo(Long.toString(reset));
  }

  @Test
  void theDefaultPlanCountsEachRequestAndRefusesTheOneOverTheBurst() throws Exception {
    String key = key(null);

    // free: 3 a minute, one every 20 s; Reset is when the burst is whole again
    for (int i = 1; i <= 3; i++) {
      HttpResponse<String> r = get("/users/" + i, key);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(header(r, "x-upstream")).as("upstream headers are kept").isEqualTo("echo");
      assertLimits(r, 3, 3 - i, 20L * i);
    }
    HttpResponse<String> refused = get("/users/4", key);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(header(refused, "content-type")).isEqualTo("application/problem+json");
    assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("rate_limited");
    assertThat(header(refused, "Retry-After")).isEqualTo("20");
    assertLimits(refused, 3, 0, 60);
    assertThat(upstream.received()).hasSize(3);

    clock.advance(Duration.ofSeconds(20));
    HttpResponse<String> again = get("/users/5", key);
    assertThat(again.statusCode()).isEqualTo(200);
    assertLimits(again, 3, 0, 60);
    assertThat(upstream.received()).hasSize(4);
  }

  @Test
  void countersOutliveARebuildOfTheRoutes() throws Exception {
    String key = key(null);
    for (int i = 0; i < 3; i++) {
      assertThat(get("/users", key).statusCode()).isEqualTo(200);
    }

    var routes = gw.gateway().routes();
    routes.replace(routes.apis(), routes.plans());

    assertThat(get("/users", key).statusCode()).isEqualTo(429);
  }

  @Test
  void theKeysOwnPlanOverridesTheApisDefault() throws Exception {
    String key = key("pro");

    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = get("/users", key);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(header(r, "RateLimit-Limit")).isEqualTo("100");
      assertThat(header(r, "RateLimit-Remaining")).isEqualTo(Integer.toString(99 - i));
      // the gateway's own headers and the upstream's, together
      assertThat(header(r, "x-upstream")).isEqualTo("echo");
      assertThat(header(r, "content-type")).isEqualTo("application/json");
    }
  }

  @Test
  void aKeysAllowanceSpansTheApisThatShareItsPlan() throws Exception {
    String key = key(null);

    assertThat(get("/users", key).statusCode()).isEqualTo(200);
    assertThat(get("/orders", key).statusCode()).isEqualTo(200);
    HttpResponse<String> third = get("/users", key);
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(header(third, "RateLimit-Remaining")).isEqualTo("0");

    assertThat(get("/orders", key).statusCode()).isEqualTo(429);
  }

  @Test
  void aRotatedKeySharesItsPredecessorsCounters() throws Exception {
    String[] old = gw.issue(dev, List.of("*"), (String) null, (String) null);
    String successor = gw.issue(dev, List.of("*"), null, old[1])[0];
    String stranger = key(null);

    for (int i = 0; i < 3; i++) {
      assertThat(get("/users", old[0]).statusCode()).isEqualTo(200);
    }
    HttpResponse<String> r = get("/users", successor);

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("rate_limited");
    assertThat(get("/users", stranger).statusCode()).isEqualTo(200);
  }

  @Test
  void limitByDeveloperCountsAllOfADevelopersKeysTogether() throws Exception {
    String first = key("team");
    String second = key("team");
    Developer other = gw.developer("Grace", DeveloperStatus.ACTIVE);
    String theirs = gw.issue(other, List.of("*"), "team", null)[0];

    assertThat(get("/users", first).statusCode()).isEqualTo(200);
    assertThat(get("/users", second).statusCode()).isEqualTo(200);
    assertThat(get("/users", first).statusCode()).isEqualTo(429);
    assertThat(get("/users", second).statusCode()).isEqualTo(429);
    assertThat(get("/users", theirs).statusCode()).isEqualTo(200);
  }

  @Test
  void aQuotaRefusesUntilMidnightUtcThenResets() throws Exception {
    String key = key(null);
    Instant midnight = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
    long untilMidnight = (Duration.between(clock.instant(), midnight).toMillis() + 999) / 1000;

    assertThat(get("/reports", key).statusCode()).isEqualTo(200);
    assertThat(get("/reports", key).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = get("/reports", key);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("quota_exceeded");
    assertThat(header(refused, "Retry-After")).isEqualTo(Long.toString(untilMidnight));
    assertLimits(refused, 2, 0, untilMidnight);
    assertThat(upstream.received()).hasSize(2);

    clock.advance(Duration.between(clock.instant(), midnight));
    HttpResponse<String> nextDay = get("/reports", key);
    assertThat(nextDay.statusCode()).isEqualTo(200);
    assertLimits(nextDay, 2, 1, 86_400);
  }

  @Test
  void anonymousRequestsAreLimitedPerClientIp() throws Exception {
    HttpResponse<String> first = gw.get("/open");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(header(first, "RateLimit-Limit")).isEqualTo("2");
    assertThat(gw.get("/open").statusCode()).isEqualTo(200);

    HttpResponse<String> refused = gw.get("/open");

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("quota_exceeded");
    assertThat(upstream.received()).hasSize(2);
    assertThat(get("/open", key(null)).statusCode()).as("a key has its own quota").isEqualTo(200);
  }

  @Test
  void anApiWithoutAPlanHasNoLimitsAndNoHeaders() throws Exception {
    String key = key(null);

    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = get("/plain", key);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(header(r, "RateLimit-Limit")).isNull();
      assertThat(header(r, "RateLimit-Remaining")).isNull();
    }
  }

  @Test
  void aRefusedKeySpendsNothing() throws Exception {
    String key = key(null);
    for (int i = 0; i < 5; i++) {
      assertThat(get("/users", "xk_not-a-key-" + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> r = get("/users", key);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "RateLimit-Remaining")).isEqualTo("2");
  }
}
