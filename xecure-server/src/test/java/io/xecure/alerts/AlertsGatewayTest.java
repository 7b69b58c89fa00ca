package io.xecure.alerts;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xecure.config.AlertsConfig;
import io.xecure.config.ApiConfig;
import io.xecure.model.AlertType;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.policy.ratelimit.PlanConfig.LimitBy;
import io.xecure.policy.ratelimit.PlanConfig.Quota;
import io.xecure.policy.ratelimit.PlanConfig.QuotaWindow;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import io.xecure.testing.GatewayHarness;
import io.xecure.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each alert raised by a scripted scenario through a real gateway (behind a trusted proxy on
 * 127.0.0.0/8, so X-Forwarded-For plays the clients), listed and acknowledged through the admin
 * API; and normal traffic raising nothing. Time moves by hand; alerts land asynchronously and are
 * polled for with a bounded wait.
 */
class AlertsGatewayTest {
  static final AlertsConfig ALERTS =
      new AlertsConfig(
          EnumSet.allOf(AlertType.class),
          new AlertsConfig.UsageSpike(3, 30, Duration.ofMinutes(2)),
          new AlertsConfig.KeyShared(3, Duration.ofMinutes(10)),
          new AlertsConfig.QuotaNear(80),
          null);

  @TempDir Path dir;
  EchoUpstream upstream;
  GatewayHarness gw;
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:30Z"));
  final HttpClient http = HttpClient.newHttpClient();
  Developer ada;

  @BeforeEach
  void start() throws Exception {
    upstream = new EchoUpstream();
    ApiConfig users = api("users", "/users", upstream.url());
    Map<String, PlanConfig> plans =
        Map.of("metered", new PlanConfig(null, new Quota(10, QuotaWindow.DAY), LimitBy.KEY));
    gw = new GatewayHarness(dir, List.of(users), plans, clock, List.of("127.0.0.0/8"), ALERTS);
    ada = gw.developer("Ada", DeveloperStatus.ACTIVE);
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  // ---- scenarios

  @Test
  void normalTrafficRaisesNothing() throws Exception {
    String[] steady = key(null);
    String[] roaming = key(null);
    String[] metered = key("metered");
    for (int minute = 0; minute < 4; minute++) {
      for (int i = 0; i < 10; i++) {
        call(steady[0], "198.51.100.1", 200);
        call(roaming[0], "198.51.100." + (1 + i % 3), 200); // 3 networks: the limit, not over
      }
      clock.advance(Duration.ofMinutes(1));
    }
    for (int i = 0; i < 7; i++) {
      call(metered[0], "198.51.100.1", 200); // 70% of the quota
    }
    for (int i = 0; i < 5; i++) {
      call(gw.gateway().keyFormat().generate(), "203.0.113.5", 401); // a few typos
    }

    // an alert raised after all that traffic: once it is listed, the traffic's would be too
    String leaked = key(null)[0];
    assertThat(admin("POST", "/admin/keys/leaked", new JsonObject().put("key", leaked)).status)
        .isEqualTo(200);
    JsonArray alerts = awaitAlerts("", items -> !items.isEmpty());

    assertThat(alerts).hasSize(1);
    assertThat(alerts.getJsonObject(0).getString("type")).isEqualTo("key_leaked");
  }

  @Test
  void bruteForceIsRaisedWhenTheGuardBlocksCountedWhileOpenAndReopenedAfterAck() throws Exception {
    invalidKeys("198.51.100.7", 20);
    JsonObject alert = awaitOne("type=brute_force", a -> true);
    assertThat(alert.getString("subject")).isEqualTo("198.51.100.7");
    assertThat(alert.getString("detail")).isEqualTo("20 invalid API keys; blocked for 300 s");
    assertThat(alert.getString("status")).isEqualTo("open");
    assertThat(alert.getLong("count")).isEqualTo(1);
    assertThat(alert.getString("first_seen")).isEqualTo("2026-03-10T12:00:30Z");

    // blocked again after the first block: the same alert, counted
    clock.advance(Duration.ofMinutes(5));
    invalidKeys("198.51.100.7", 20);
    JsonObject counted = awaitOne("type=brute_force", a -> a.getLong("count") == 2);
    assertThat(counted.getString("id")).isEqualTo(alert.getString("id"));
    assertThat(counted.getString("last_seen")).isEqualTo("2026-03-10T12:05:30Z");

    Reply ack = admin("POST", "/admin/alerts/" + alert.getString("id") + "/ack", null);
    assertThat(ack.status).isEqualTo(200);
    assertThat(ack.json().getString("status")).isEqualTo("acknowledged");
    assertThat(ack.json().getString("acked_by")).isEqualTo("admin");
    assertThat(ack.json().getString("acked_at")).isEqualTo("2026-03-10T12:05:30Z");
    assertThat(admin("POST", "/admin/alerts/" + alert.getString("id") + "/ack", null).status)
        .as("idempotent")
        .isEqualTo(200);
    JsonArray events = admin("GET", "/admin/events?limit=50", null).json().getJsonArray("items");
    assertThat(events.stream().map(JsonObject.class::cast))
        .filteredOn(e -> "alert.acknowledged".equals(e.getString("action")))
        .singleElement()
        .satisfies(e -> assertThat(e.getString("target")).isEqualTo(alert.getString("id")));

    // once acknowledged, the next block opens a new alert
    clock.advance(Duration.ofMinutes(5));
    invalidKeys("198.51.100.7", 20);
    JsonObject reopened =
        awaitOne(
            "type=brute_force&status=open", a -> !a.getString("id").equals(alert.getString("id")));
    assertThat(reopened.getLong("count")).isEqualTo(1);
    assertThat(alerts("type=brute_force")).hasSize(2);
    assertThat(alerts("status=acknowledged")).hasSize(1);
  }

  @Test
  void aUsageSpikeIsRaisedAgainstTheKeysOwnBaseline() throws Exception {
    String[] key = key(null);
    for (int minute = 0; minute < 3; minute++) {
      for (int i = 0; i < 10; i++) {
        call(key[0], "198.51.100.1", 200);
      }
      clock.advance(Duration.ofMinutes(1));
    }
    for (int i = 0; i < 40; i++) {
      call(key[0], "198.51.100.1", 200); // 4x the baseline of 10 a minute
    }

    JsonObject alert = awaitOne("type=usage_spike", a -> true);
    assertThat(alert.getString("subject")).isEqualTo(key[1]);
    // the detector counts a request when its event is recorded, just after the answer: one may
    // land in the next minute, so the counts are about, not exactly, 10 and 31
    assertThat(alert.getString("detail"))
        .matches("3\\d requests in the minute from 2026-03-10T12:03:00Z, .* baseline of .*");
    assertThat(alert.getLong("count")).isEqualTo(1);
  }

  @Test
  void aKeyUsedFromOneNetworkTooManyIsRaisedAsShared() throws Exception {
    String[] key = key(null);
    for (int ip = 1; ip <= 4; ip++) {
      call(key[0], "203.0.113." + ip, 200);
    }

    JsonObject alert = awaitOne("type=key_shared", a -> true);
    assertThat(alert.getString("subject")).isEqualTo(key[1]);
    assertThat(alert.getString("detail"))
        .isEqualTo("used from more than 3 client networks within 10m, the last 203.0.113.4");
  }

  @Test
  void quotaNearIsRaisedByTheRequestThatReaches80Percent() throws Exception {
    String[] key = key("metered");
    for (int i = 0; i < 8; i++) {
      call(key[0], "198.51.100.1", 200);
    }

    JsonObject alert = awaitOne("type=quota_near", a -> true);
    assertThat(alert.getString("subject")).isEqualTo(key[1]);
    assertThat(alert.getString("detail"))
        .isEqualTo("8 of 10 requests (80%) of the daily quota of plan metered used");
  }

  @Test
  void aLeakedKeyIsRaisedWithoutItsPlaintext() throws Exception {
    String[] key = key(null);

    Reply leaked = admin("POST", "/admin/keys/leaked", new JsonObject().put("key", key[0]));

    assertThat(leaked.status).isEqualTo(200);
    JsonObject alert = awaitOne("type=key_leaked", a -> true);
    assertThat(alert.getString("subject")).isEqualTo(key[1]);
    assertThat(alert.getString("detail"))
        .startsWith("reported leaked and revoked; developer " + ada.id());
    assertThat(admin("GET", "/admin/alerts/" + alert.getString("id"), null).json())
        .isEqualTo(alert);
    assertThat(admin("GET", "/admin/alerts", null).body).doesNotContain(key[0]);
    call(key[0], "198.51.100.1", 401);
  }

  /** Issue 7 item 9: what a detector quotes is scrubbed before it is stored, listed or posted. */
  @Test
  void anAlertsSubjectAndDetailAreScrubbed() throws Exception {
    String key = gw.gateway().keyFormat().generate();

    gw.gateway()
        .alerts()
        .raise(AlertType.USAGE_SPIKE, "seen " + key, "last request GET /users?api_key=s3cr3t");

    JsonObject alert = awaitOne("type=usage_spike", a -> true);
    assertThat(alert.getString("subject")).isEqualTo("seen xk_REDACTED");
    assertThat(alert.getString("detail")).isEqualTo("last request GET /users?api_key=REDACTED");
  }

  @Test
  void theAlertListIsFilteredPagedAndValidated() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String[] key = key(null);
      admin("POST", "/admin/keys/leaked", new JsonObject().put("key", key[0]));
      ids.add(
          0,
          awaitOne("type=key_leaked&status=open", a -> a.getString("subject").equals(key[1]))
              .getString("id"));
      clock.advance(Duration.ofSeconds(1));
    }

    JsonObject first = admin("GET", "/admin/alerts?limit=2", null).json();
    assertThat(first.getJsonArray("items").stream().map(a -> ((JsonObject) a).getString("id")))
        .containsExactly(ids.get(0), ids.get(1));
    JsonObject second =
        admin("GET", "/admin/alerts?limit=2&cursor=" + first.getString("next_cursor"), null).json();
    assertThat(second.getJsonArray("items").stream().map(a -> ((JsonObject) a).getString("id")))
        .containsExactly(ids.get(2));
    assertThat(second.getString("next_cursor")).isNull();
    assertThat(alerts("type=usage_spike")).isEmpty();
    assertThat(alerts("status=acknowledged")).isEmpty();

    Reply bad = admin("GET", "/admin/alerts?status=closed&type=dos", null);
    assertThat(bad.status).isEqualTo(422);
    assertThat(bad.body).contains("status").contains("must be open or acknowledged");
    assertThat(admin("POST", "/admin/alerts/alr_none/ack", null).status).isEqualTo(404);
    assertThat(admin("GET", "/admin/alerts/alr_none", null).status).isEqualTo(404);
    assertThat(
            admin("POST", "/admin/alerts/" + ids.get(0) + "/ack", new JsonObject().put("x", 1))
                .status)
        .isEqualTo(422);
  }

  // ---- helpers

  /** A new active key of Ada on {@code plan} (null: none); [plaintext, id]. */
  private String[] key(@Nullable String plan) {
    return gw.issue(ada, List.of("*"), plan, null);
  }

  private void call(String key, String clientIp, int expected) throws Exception {
    HttpResponse<String> r = gw.get("/users", "X-API-Key", key, "X-Forwarded-For", clientIp);
    assertThat(r.statusCode()).as("%s from %s", r.body(), clientIp).isEqualTo(expected);
  }

  private void invalidKeys(String clientIp, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      call(gw.gateway().keyFormat().generate(), clientIp, 401);
    }
    call(gw.gateway().keyFormat().generate(), clientIp, 429);
  }

  record Reply(int status, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private Reply admin(String method, String path, @Nullable JsonObject body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.gateway().adminPort() + path))
            .header("authorization", "Bearer " + gw.gateway().adminToken());
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("content-type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  private JsonArray alerts(String query) throws Exception {
    Reply r = admin("GET", "/admin/alerts?" + query, null);
    assertThat(r.status).as(r.body).isEqualTo(200);
    return r.json().getJsonArray("items");
  }

  private JsonArray awaitAlerts(String query, java.util.function.Predicate<JsonArray> done)
      throws Exception {
    return Eventually.await("alerts " + query, () -> alerts(query), done);
  }

  /** The newest alert matching {@code query} once one satisfies {@code done}. */
  private JsonObject awaitOne(String query, java.util.function.Predicate<JsonObject> done)
      throws Exception {
    JsonArray items = awaitAlerts(query, a -> !a.isEmpty() && done.test(a.getJsonObject(0)));
    return items.getJsonObject(0);
  }
}
