package io.xecure.alerts;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.config.AlertsConfig;
import io.xecure.model.AlertType;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway posting new alerts to a real receiver on 127.0.0.1 that fails the first delivery with
 * 500: the alert arrives on the retry, signed so the receiver can check it, and only once however
 * often it repeats while open.
 */
class AlertWebhookTest {
  static final String SECRET = "whsec-gateway-0123456789";
  static final Instant START = Instant.parse("2026-03-10T12:00:00Z");

  @TempDir Path dir;
  EchoUpstream upstream;
  HookServer hook;
  GatewayHarness gw;
  final MutableClock clock = new MutableClock(START);

  @BeforeEach
  void start() throws Exception {
    upstream = new EchoUpstream();
    hook = new HookServer(500);
    AlertsConfig alerts =
        new AlertsConfig(
            EnumSet.allOf(AlertType.class),
            AlertsConfig.UsageSpike.DEFAULT,
            AlertsConfig.KeyShared.DEFAULT,
            AlertsConfig.QuotaNear.DEFAULT,
            new AlertsConfig.Webhook(
                URI.create(hook.url()), SECRET, Duration.ofSeconds(5), 3, Duration.ofMillis(10)));
    gw =
        new GatewayHarness(
            dir,
            List.of(api("users", "/users", upstream.url())),
            Map.of(),
            clock,
            List.of("127.0.0.0/8"),
            alerts);
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
    hook.close();
    upstream.close();
  }

  @Test
  void aNewAlertIsPostedSignedAndRetriedAfterA500() throws Exception {
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> r =
          gw.get(
              "/users",
              "X-API-Key",
              gw.gateway().keyFormat().generate(),
              "X-Forwarded-For",
              "198.51.100.7");
      assertThat(r.statusCode()).isEqualTo(401);
    }

    Eventually.await("delivered twice", () -> hook.received.size(), n -> n >= 2);
    assertThat(hook.received).hasSize(2);
    for (HookServer.Delivery d : hook.received) {
      String signature = d.header("X-Xecure-Signature");
      assertThat(signature).isEqualTo("sha256=" + HookServer.hmacHex(SECRET, d.body()));
      assertThat(d.header("X-Xecure-Timestamp")).isEqualTo(Long.toString(START.getEpochSecond()));
      JsonObject body = d.body().toJsonObject();
      assertThat(body.getString("event")).isEqualTo("alert.opened");
      JsonObject alert = body.getJsonObject("alert");
      assertThat(alert.getString("type")).isEqualTo("brute_force");
      assertThat(alert.getString("subject")).isEqualTo("198.51.100.7");
      assertThat(alert.getString("status")).isEqualTo("open");
      assertThat(d.header("X-Xecure-Delivery")).isEqualTo(alert.getString("id"));
    }
    // a body changed in transit no longer matches its signature
    String forged = hook.received.get(1).body().toString().replace("198.51.100.7", "198.51.100.8");
    assertThat(hook.received.get(1).header("X-Xecure-Signature"))
        .isNotEqualTo(
            "sha256=" + HookServer.hmacHex(SECRET, io.vertx.core.buffer.Buffer.buffer(forged)));
    Eventually.await(
        "counted as delivered",
        () -> gw.gateway().alerts().stats().webhookDelivered(),
        n -> n == 1);
  }

  @Test
  void anAlertRepeatedWhileOpenIsPostedOnce() throws Exception {
    Developer ada = gw.developer("Ada", DeveloperStatus.ACTIVE);
    String[] key = gw.issue(ada, List.of("*"), KeyStatus.ACTIVE);
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest leak =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gw.gateway().adminPort() + "/admin/keys/leaked"))
            .header("authorization", "Bearer " + gw.gateway().adminToken())
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("key", key[0]).encode()))
            .build();

    assertThat(http.send(leak, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    Eventually.await(
        "delivered", () -> gw.gateway().alerts().stats().webhookDelivered(), n -> n == 1);
    assertThat(http.send(leak, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    Eventually.await(
        "counted into the open alert",
        () ->
            gw.gateway()
                .alerts()
                .list(null, AlertType.KEY_LEAKED, 10, null)
                .toCompletionStage()
                .toCompletableFuture()
                .get()
                .items(),
        items -> items.size() == 1 && items.get(0).count() == 2);

    assertThat(hook.received).as("a 500, then the one delivery").hasSize(2);
    assertThat(hook.received.get(1).body().toString()).doesNotContain(key[0]);
  }
}
