package io.xecure.usage;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Usage through a real gateway: requests of known outcomes, one flush (triggered here, after the
 * clock has moved past their minute), then the admin API's usage and keys' last use add up.
 */
class UsageThroughGatewayTest {
  private static final String TOKEN = "test-admin-token-0123456789abcdef";

  @SuppressWarnings("NullAway.Init") // injected by JUnit
  @TempDir
  Path dir;

  @SuppressWarnings("NullAway.Init") // set before each test
  private EchoUpstream upstream;

  @SuppressWarnings("NullAway.Init")
  private GatewayHarness gw;

  @SuppressWarnings("NullAway.Init")
  private MutableClock clock;

  @SuppressWarnings("NullAway.Init")
  private Instant start;

  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void startGateway() throws Exception {
    upstream = new EchoUpstream();
    start = Instant.now();
    clock = new MutableClock(start);
    gw =
        new GatewayHarness(
            dir,
            List.of(
                api("users", "/users", upstream.url()),
                api("analytics", "/analytics", upstream.url())),
            Map.of(),
            clock);
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  @Test
  void usageAddsUpPerKeyDeveloperAndApiAndKeysShowTheirLastUse() throws Exception {
    Developer ada = gw.developer("Ada", DeveloperStatus.ACTIVE);
    Developer bob = gw.developer("Bob", DeveloperStatus.ACTIVE);
    String[] a = gw.issue(ada, List.of("users", "analytics"), KeyStatus.ACTIVE);
    // a's successor after a rotation: same identity, so its usage continues a's
    String[] a2 = gw.issue(ada, List.of("users"), null, a[1]);
    String[] b = gw.issue(bob, List.of("users"), KeyStatus.ACTIVE);
    String unknown = gw.gateway().keyFormat().generate();

    expect(3, "/users/1", a[0], 200);
    expect(2, "/analytics/q", a[0], 200);
    expect(1, "/users/2", a2[0], 200);
    expect(2, "/users/3", b[0], 200);
    expect(2, "/analytics/q", b[0], 403); // insufficient_scope
    expect(2, "/users/4", null, 401); // key_missing
    expect(1, "/users/5", unknown, 401); // key_invalid
    expect(1, "/nowhere", a[0], 404); // route_not_found: no API to count it against
    awaitRecorded(14);

    clock.advance(Duration.ofMinutes(2));
    gw.gateway().usageFlusher().flush();

    assertThat(totals(usage("group_by=api")))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "users", "requests=9 granted=6 denied=3 2xx=6 4xx=3",
                "analytics", "requests=4 granted=2 denied=2 2xx=2 4xx=2"));
    assertThat(totals(usage("group_by=developer")))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                ada.id(), "requests=6 granted=6 denied=0 2xx=6 4xx=0",
                bob.id(), "requests=4 granted=2 denied=2 2xx=2 4xx=2"));
    assertThat(totals(usage("group_by=key")))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                a[1], "requests=6 granted=6 denied=0 2xx=6 4xx=0",
                b[1], "requests=4 granted=2 denied=2 2xx=2 4xx=2"));

    JsonObject users = series(usage("group_by=api"), "users");
    assertThat(users.getJsonObject("totals").getJsonObject("denied_by_code").getMap())
        .containsExactlyInAnyOrderEntriesOf(Map.of("key_missing", 2, "key_invalid", 1));
    assertThat(users.getJsonObject("totals").getDouble("latency_max_ms")).isPositive();
    assertThat(series(usage("group_by=developer"), ada.id()).getString("name")).isEqualTo("Ada");

    // bob's usage per API, and the rotated key's chain per API
    assertThat(totals(usage("group_by=api&developer=" + bob.id())))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "users", "requests=2 granted=2 denied=0 2xx=2 4xx=0",
                "analytics", "requests=2 granted=0 denied=2 2xx=0 4xx=2"));
    assertThat(totals(usage("group_by=api&key=" + a2[1])))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "users", "requests=4 granted=4 denied=0 2xx=4 4xx=0",
                "analytics", "requests=2 granted=2 denied=0 2xx=2 4xx=0"));

    for (String[] key : List.of(a, a2, b)) {
      JsonObject record = admin("/admin/keys/" + key[1], 200);
      assertThat(record.getString("last_used_ip")).isEqualTo("127.0.0.1");
      // stamped by the gateway's clock, which stood still while the requests were made
      assertThat(Instant.parse(record.getString("last_used_at")))
          .isEqualTo(start.truncatedTo(ChronoUnit.MILLIS));
    }
  }

  @Test
  void pointsCoverTheWholeRangeReadyToChart() throws Exception {
    Developer ada = gw.developer("Ada", DeveloperStatus.ACTIVE);
    String[] a = gw.issue(ada, List.of("users"), KeyStatus.ACTIVE);
    expect(2, "/users/1", a[0], 200);
    awaitRecorded(2);
    clock.advance(Duration.ofMinutes(2));
    gw.gateway().usageFlusher().flush();

    Instant from = start.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(5));
    JsonObject body =
        admin(
            "/admin/usage?group_by=key&interval=minute&from="
                + from
                + "&to="
                + from.plus(Duration.ofMinutes(10)),
            200);

    assertThat(body.getString("group_by")).isEqualTo("key");
    assertThat(body.getString("interval")).isEqualTo("minute");
    assertThat(body.getString("from")).isEqualTo(from.toString());
    assertThat(body.getBoolean("more")).isFalse();
    JsonArray points = series(body, a[1]).getJsonArray("points");
    assertThat(points).hasSize(10);
    long requests = 0;
    for (int i = 0; i < points.size(); i++) {
      JsonObject p = points.getJsonObject(i);
      assertThat(p.getString("t")).isEqualTo(from.plus(Duration.ofMinutes(i)).toString());
      assertThat(p.fieldNames())
          .contains("granted", "denied", "denied_by_code", "status", "latency_avg_ms");
      requests += p.getLong("requests");
    }
    assertThat(requests).isEqualTo(2);
  }

  @Test
  void invalidParametersAreEachNamed() throws Exception {
    JsonObject problem =
        admin("/admin/usage?group_by=keys&interval=week&from=yesterday&limit=0&api=a%20b", 422);

    assertThat(fields(problem))
        .containsExactlyInAnyOrder("group_by", "interval", "from", "limit", "api");

    JsonObject tooWide = admin("/admin/usage?interval=minute&from=2026-01-01&to=2026-01-03", 422);
    assertThat(fields(tooWide)).containsExactly("from");
    assertThat(tooWide.getString("detail")).contains("2880 minutes").contains("1440");

    JsonObject backwards =
        admin("/admin/usage?from=2026-01-03T00:00:00Z&to=2026-01-01T00:00:00Z", 422);
    assertThat(fields(backwards)).containsExactly("to");
  }

  /**
   * Issue 7 item 12 (SPEC §7: "the minute in progress is visible within 10 s"): a burst shows in
   * {@code GET /admin/usage} while its minute is still in progress, with no flush triggered by the
   * test. The clock stays where it started, so no minute ever ends for the gateway: only the minute
   * in progress can hold these requests.
   */
  @Test
  void aBurstShowsInUsageWhileItsMinuteIsInProgress() throws Exception {
    Developer ada = gw.developer("Ada", DeveloperStatus.ACTIVE);
    String[] a = gw.issue(ada, List.of("users"), KeyStatus.ACTIVE);

    expect(4, "/users/1", a[0], 200);
    expect(1, "/users/2", null, 401);

    // each event is counted once its response is written, possibly after the client read it
    String burst = "requests=5 granted=4 denied=1 2xx=4 4xx=1";
    Eventually.await(
        "the burst (" + burst + ") in /admin/usage",
        () -> totals(usage("group_by=api&interval=minute")),
        t -> burst.equals(t.get("users")));
    assertThat(totals(usage("group_by=key&interval=minute")))
        .containsEntry(a[1], "requests=4 granted=4 denied=0 2xx=4 4xx=0");
  }

  private void expect(int times, String path, @Nullable String key, int status) throws Exception {
    for (int i = 0; i < times; i++) {
      HttpResponse<String> r = key == null ? gw.get(path) : gw.get(path, "X-API-Key", key);
      assertThat(r.statusCode()).as(path).isEqualTo(status);
    }
  }

  /** Events are recorded when a response has been written: possibly after the client read it. */
  private void awaitRecorded(long n) throws Exception {
    Eventually.await("events recorded", () -> gw.gateway().usage().recorded(), r -> r >= n);
  }

  private JsonObject usage(String params) throws Exception {
    Instant from = start.minus(Duration.ofHours(1));
    Instant to = clock.instant().plus(Duration.ofHours(1));
    return admin("/admin/usage?" + params + "&from=" + from + "&to=" + to, 200);
  }

  private JsonObject admin(String pathAndQuery, int status) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gw.gateway().adminPort() + pathAndQuery))
            .header("Authorization", "Bearer " + TOKEN)
            .GET()
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return new JsonObject(r.body());
  }

  private static JsonObject series(JsonObject body, String id) {
    JsonArray all = body.getJsonArray("series");
    for (int i = 0; i < all.size(); i++) {
      if (all.getJsonObject(i).getString("id").equals(id)) {
        return all.getJsonObject(i);
      }
    }
    throw new AssertionError("no series " + id + " in " + body.encodePrettily());
  }

  private static Map<String, String> totals(JsonObject body) {
    Map<String, String> totals = new HashMap<>();
    JsonArray all = body.getJsonArray("series");
    for (int i = 0; i < all.size(); i++) {
      JsonObject s = all.getJsonObject(i);
      JsonObject t = s.getJsonObject("totals");
      JsonObject status = t.getJsonObject("status");
      totals.put(
          s.getString("id"),
          "requests="
              + t.getLong("requests")
              + " granted="
              + t.getLong("granted")
              + " denied="
              + t.getLong("denied")
              + " 2xx="
              + status.getLong("2xx")
              + " 4xx="
              + status.getLong("4xx"));
    }
    return totals;
  }

  private static List<String> fields(JsonObject problem) {
    List<String> fields = new ArrayList<>();
    JsonArray errors = problem.getJsonArray("errors");
    for (int i = 0; i < errors.size(); i++) {
      fields.add(errors.getJsonObject(i).getString("field"));
    }
    return fields;
  }
}
