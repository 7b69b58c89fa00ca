package io.xecure.app;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xecure.config.ApiConfig;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import io.xecure.testing.GatewayHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * APIs and plans changed through the admin API while the gateway runs: the next request sees the
 * change, a request in flight finishes on the snapshot it started with, and the change outlives a
 * restart until the configuration file's own definition changes.
 */
class RuntimeChangesTest {
  @TempDir Path dir;
  EchoUpstream upstream;
  @Nullable GatewayHarness gw;
  String key = "";
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    upstream = new EchoUpstream();
    restart(List.of(api("users", "/users", upstream.url())));
    key =
        gw().issue(gw().developer("Ada", DeveloperStatus.ACTIVE), List.of("*"), KeyStatus.ACTIVE)[
            0];
  }

  @AfterEach
  void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
    upstream.close();
  }

  @Test
  void aPutApiIsRoutedByTheNextRequestWithoutARestart() throws Exception {
    assertThat(call("/orders/1").statusCode()).isEqualTo(404);

    HttpResponse<String> created = admin("PUT", "/admin/apis/orders", orders("/orders"));

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("location")).hasValue("/admin/apis/orders");
    JsonObject body = new JsonObject(created.body());
    assertThat(body.getString("name")).isEqualTo("orders");
    assertThat(body.getJsonArray("upstream").getString(0)).isEqualTo(upstream.url());
    assertThat(call("/orders/1").statusCode()).isEqualTo(200);
    assertThat(upstream.last().uri()).isEqualTo("/orders/1");

    HttpResponse<String> replaced =
        admin("PUT", "/admin/apis/orders", orders("/orders").put("strip_path", true));
    assertThat(replaced.statusCode()).isEqualTo(200);
    assertThat(call("/orders/1").statusCode()).isEqualTo(200);
    assertThat(upstream.last().uri()).isEqualTo("/1");
    assertThat(new JsonObject(admin("GET", "/admin/apis/orders", null).body()))
        .isEqualTo(new JsonObject(replaced.body()));
  }

  @Test
  void anInvalidPutIs422NamingEveryFieldAndChangesNothing() throws Exception {
    JsonObject bad =
        new JsonObject()
            .put("name", "other")
            .put("path", "users")
            .put("upstream", "ftp://example.com")
            .put("timeout", "soon")
            .put("default_plan", "gold")
            .put("cors", new JsonObject().put("origins", new JsonArray().add("not an origin")))
            .put("colour", "blue");

    HttpResponse<String> r = admin("PUT", "/admin/apis/users", bad);

    assertThat(r.statusCode()).isEqualTo(422);
    JsonObject problem = new JsonObject(r.body());
    assertThat(problem.getString("code")).isEqualTo("validation_failed");
    assertThat(fields(problem))
        .contains(
            "name", "path", "upstream", "timeout", "default_plan", "cors.origins[0]", "colour");
    assertThat(call("/users/1").statusCode()).isEqualTo(200);
    assertThat(upstream.last().uri()).isEqualTo("/users/1");
    assertThat(new JsonObject(admin("GET", "/admin/apis/users", null).body()).getString("path"))
        .isEqualTo("/users");
  }

  @Test
  void aPathAlreadyServedByAnotherApiIsRefused() throws Exception {
    HttpResponse<String> r = admin("PUT", "/admin/apis/orders", orders("/users"));

    assertThat(r.statusCode()).isEqualTo(422);
    JsonObject error = new JsonObject(r.body()).getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("field")).isEqualTo("path");
    assertThat(error.getString("message")).contains("users");
    assertThat(admin("GET", "/admin/apis/orders", null).statusCode()).isEqualTo(404);
  }

  @Test
  void aNameFromTheUrlFillsInAMissingOne() throws Exception {
    JsonObject unnamed = orders("/orders");
    unnamed.remove("name");

    assertThat(admin("PUT", "/admin/apis/orders", unnamed).statusCode()).isEqualTo(201);
    assertThat(call("/orders").statusCode()).isEqualTo(200);
  }

  @Test
  void aDeletedApiIsNotRoutedByTheNextRequest() throws Exception {
    HttpResponse<String> deleted = admin("DELETE", "/admin/apis/users", null);

    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(deleted.body()).getBoolean("deleted")).isTrue();
    HttpResponse<String> next = call("/users/1");
    assertThat(next.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(next.body()).getString("code")).isEqualTo("route_not_found");
    assertThat(admin("DELETE", "/admin/apis/users", null).statusCode()).isEqualTo(404);
  }

  @Test
  void aRequestInFlightFinishesOnTheRouteItStartedWith() throws Exception {
    CompletableFuture<HttpResponse<String>> slow =
        http.sendAsync(
            gw().request("/users/slow").header("X-API-Key", key).build(),
            HttpResponse.BodyHandlers.ofString());
    awaitUpstreamRequest();

    assertThat(admin("DELETE", "/admin/apis/users", null).statusCode()).isEqualTo(200);
    assertThat(call("/users/1").statusCode()).isEqualTo(404);

    HttpResponse<String> finished = slow.get(10, TimeUnit.SECONDS);
    assertThat(finished.statusCode()).isEqualTo(200);
    assertThat(finished.body()).isEqualTo("{\"ok\":true}");
  }

  @Test
  void aPutPlanIsInForceAtOnceAndAnApiMayThenNameIt() throws Exception {
    JsonObject gold =
        new JsonObject().put("rate", new JsonObject().put("limit", 5).put("per", "1s"));
    assertThat(
            admin("PUT", "/admin/apis/orders", orders("/orders").put("default_plan", "gold"))
                .statusCode())
        .isEqualTo(422);

    HttpResponse<String> created = admin("PUT", "/admin/plans/gold", gold);

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(new JsonObject(created.body()).getString("limit_by")).isEqualTo("key");
    assertThat(
            admin("PUT", "/admin/apis/orders", orders("/orders").put("default_plan", "gold"))
                .statusCode())
        .isEqualTo(201);
    HttpResponse<String> replaced =
        admin(
            "PUT",
            "/admin/plans/gold",
            gold.copy().put("name", "gold").put("limit_by", "developer"));
    assertThat(replaced.statusCode()).isEqualTo(200);
    assertThat(gw().gateway().routes().plans())
        .hasEntrySatisfying("gold", p -> assertThat(p.limitBy().name()).isEqualTo("DEVELOPER"));
  }

  @Test
  void anInvalidPlanIs422AndAMismatchedNameIsReported() throws Exception {
    JsonObject bad =
        new JsonObject()
            .put("name", "silver")
            .put("rate", new JsonObject().put("limit", 0).put("per", "1s"));

    HttpResponse<String> r = admin("PUT", "/admin/plans/gold", bad);

    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(fields(new JsonObject(r.body()))).contains("name", "rate.limit");
    assertThat(admin("GET", "/admin/plans/gold", null).statusCode()).isEqualTo(404);
    assertThat(
            admin(
                    "PUT",
                    "/admin/plans/Bad%20Name",
                    new JsonObject()
                        .put("quota", new JsonObject().put("limit", 1).put("per", "day")))
                .statusCode())
        .isEqualTo(422);
  }

  @Test
  void everyChangeIsAnAuditEvent() throws Exception {
    admin(
        "PUT",
        "/admin/plans/gold",
        new JsonObject().put("quota", new JsonObject().put("limit", 9).put("per", "day")));
    admin("PUT", "/admin/apis/orders", orders("/orders"));
    admin("DELETE", "/admin/apis/orders", null);

    JsonArray items =
        new JsonObject(admin("GET", "/admin/events", null).body()).getJsonArray("items");
    List<String> actions = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonObject e = items.getJsonObject(i);
      if ("admin".equals(e.getString("type"))) {
        actions.add(e.getString("action") + " " + e.getString("target"));
      }
    }
    assertThat(actions).contains("plan.updated gold", "api.updated orders", "api.deleted orders");
  }

  @Test
  void runtimeChangesOutliveARestart() throws Exception {
    admin(
        "PUT",
        "/admin/plans/gold",
        new JsonObject().put("quota", new JsonObject().put("limit", 9).put("per", "day")));
    admin("PUT", "/admin/apis/orders", orders("/orders").put("default_plan", "gold"));
    admin("DELETE", "/admin/apis/users", null);

    restart(List.of(api("users", "/users", upstream.url())));

    assertThat(call("/orders/1").statusCode()).isEqualTo(200);
    assertThat(call("/users/1").statusCode()).isEqualTo(404);
    assertThat(gw().gateway().routes().plans()).containsKey("gold");
    assertThat(gw().gateway().routes().apis())
        .extracting(ApiConfig::name)
        .containsExactly("orders");
  }

  @Test
  void theFileWinsOnceItsOwnDefinitionChanges() throws Exception {
    admin("PUT", "/admin/apis/users", orders("/people").put("name", "users"));
    restart(List.of(api("users", "/users", upstream.url())));
    assertThat(call("/people/1").statusCode()).isEqualTo(200);
    assertThat(call("/users/1").statusCode()).isEqualTo(404);

    // a deploy changes the file's definition of users: the runtime change no longer applies
    ApiConfig changed = api("users", "/members", upstream.url());
    restart(List.of(changed));

    assertThat(call("/members/1").statusCode()).isEqualTo(200);
    assertThat(call("/people/1").statusCode()).isEqualTo(404);
    // and it stays forgotten, even when the file goes back
    restart(List.of(api("users", "/users", upstream.url())));
    assertThat(call("/users/1").statusCode()).isEqualTo(200);
  }

  @Test
  void puttingBackTheFilesDefinitionForgetsTheRuntimeChange() throws Exception {
    JsonObject original = new JsonObject(admin("GET", "/admin/apis/users", null).body());
    admin("PUT", "/admin/apis/users", original.copy().put("path", "/people"));
    assertThat(gw().gateway().store().configChanges()).hasSize(1);

    admin("PUT", "/admin/apis/users", original);

    assertThat(gw().gateway().store().configChanges()).isEmpty();
    assertThat(call("/users/1").statusCode()).isEqualTo(200);
  }

  private JsonObject orders(String path) {
    return new JsonObject()
        .put("name", "orders")
        .put("path", path)
        .put("upstream", upstream.url())
        .put("key_auth", new JsonObject().put("in", new JsonArray().add("header:X-API-Key")));
  }

  private void restart(List<ApiConfig> fileApis) {
    if (gw != null) {
      gw.close();
    }
    gw = new GatewayHarness(dir, fileApis);
  }

  private GatewayHarness gw() {
    GatewayHarness g = gw;
    if (g == null) {
      throw new IllegalStateException("not started");
    }
    return g;
  }

  private HttpResponse<String> call(String path) throws Exception {
    return gw().get(path, "X-API-Key", key);
  }

  private HttpResponse<String> admin(String method, String path, @Nullable JsonObject body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw().gateway().adminPort() + path))
            .header("authorization", "Bearer " + gw().gateway().adminToken())
            .timeout(Duration.ofSeconds(10));
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("content-type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void awaitUpstreamRequest() throws Exception {
    Eventually.until(
        "the slow request reached the upstream",
        Duration.ofSeconds(5),
        () -> !upstream.received().isEmpty());
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
