package io.xecure.proxy;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.GatewayHarness;
import io.xecure.testing.MutableClock;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The brute-force guard with its defaults (20 invalid keys in a minute block for 5 minutes), from
 * 127.0.0.1 through a real gateway: each test has its own gateway, so its own counts.
 */
class BruteForceProxyTest {
  @TempDir Path dir;
  EchoUpstream upstream;
  GatewayHarness gw;
  MutableClock clock = new MutableClock(Instant.parse("2025-03-10T12:00:00Z"));
  String key;

  @BeforeEach
  void start() throws Exception {
    upstream = new EchoUpstream();
    gw = new GatewayHarness(dir, List.of(api("users", "/users", upstream.url())), clock);
    key = gw.issue(gw.developer("Ada", DeveloperStatus.ACTIVE), List.of("*"), KeyStatus.ACTIVE)[0];
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  private HttpResponse<String> withKey(String k, String... extra) throws Exception {
    String[] headers = new String[2 + extra.length];
    headers[0] = "X-API-Key";
    headers[1] = k;
    System.arraycopy(extra, 0, headers, 2, extra.length);
    return gw.get("/users", headers);
  }

  @Test
  void twentyInvalidKeysBlockTheClientEvenWithAValidKeyUntilTheBlockEnds() throws Exception {
    assertThat(withKey(key).statusCode()).isEqualTo(200);
    for (int i = 0; i < 20; i++) {
      // a forged X-Forwarded-For from an untrusted client changes nothing
      HttpResponse<String> r =
          withKey(gw.gateway().keyFormat().generate(), "X-Forwarded-For", "198.51.100." + i);
      assertThat(r.statusCode()).as("invalid key %d", i + 1).isEqualTo(401);
    }
    upstream.clear();

    HttpResponse<String> blocked = withKey(key);

    assertThat(blocked.statusCode()).isEqualTo(429);
    assertThat(blocked.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(new JsonObject(blocked.body()).getString("code")).isEqualTo("too_many_failures");
    assertThat(blocked.headers().firstValue("Retry-After")).hasValue("300");
    assertThat(blocked.body()).doesNotContain(key);
    assertThat(withKey("xk_whatever").statusCode()).isEqualTo(429);
    assertThat(gw.get("/users").statusCode()).as("even without a key").isEqualTo(429);
    var routes = gw.gateway().routes();
    routes.replace(routes.apis(), routes.plans());
    assertThat(withKey(key).statusCode()).as("after a rebuild of the routes").isEqualTo(429);

    clock.advance(Duration.ofMinutes(5).minusSeconds(1));
    HttpResponse<String> stillBlocked = withKey(key);
    assertThat(stillBlocked.statusCode()).isEqualTo(429);
    assertThat(stillBlocked.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(upstream.received()).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    assertThat(withKey(key).statusCode()).isEqualTo(200);
    assertThat(upstream.received()).hasSize(1);
  }

  @Test
  void missingKeysAndFailuresSpreadOverMinutesDoNotBlock() throws Exception {
    for (int i = 0; i < 30; i++) {
      assertThat(gw.get("/users").statusCode()).isEqualTo(401);
    }
    for (int minute = 0; minute < 3; minute++) {
      for (int i = 0; i < 19; i++) {
        assertThat(withKey(gw.gateway().keyFormat().generate()).statusCode()).isEqualTo(401);
      }
      clock.advance(Duration.ofMinutes(1));
    }

    assertThat(withKey(key).statusCode()).isEqualTo(200);
  }
}
