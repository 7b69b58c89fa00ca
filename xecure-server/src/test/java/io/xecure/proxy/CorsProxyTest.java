package io.xecure.proxy;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.config.ApiConfig;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.policy.cors.CorsConfig;
import io.xecure.testing.ApiConfigBuilder;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.GatewayHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CORS through a real gateway: preflights answered by the gateway, responses marked for pages. */
class CorsProxyTest {
  static final String APP = "https://app.example.com";
  static final String EVIL = "https://evil.example.net";

  @TempDir static Path dir;
  static EchoUpstream upstream;
  static GatewayHarness gw;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    upstream = new EchoUpstream();
    String u = upstream.url();
    CorsConfig app =
        new CorsConfig(
            List.of(APP), List.of("GET", "POST"), List.of("X-API-Key", "Content-Type"), 600);
    CorsConfig any = new CorsConfig(List.of("*"), List.of("GET"), List.of("X-API-Key"), 60);
    gw =
        new GatewayHarness(
            dir,
            List.of(
                withCors(api("app", "/app", u), app),
                withCors(api("open", "/open", u), any),
                api("plain", "/plain", u)));
    key = gw.issue(gw.developer("Ada", DeveloperStatus.ACTIVE), List.of("*"), KeyStatus.ACTIVE)[0];
  }

  static ApiConfig withCors(ApiConfig a, CorsConfig cors) {
    return ApiConfigBuilder.from(a).cors(cors).build();
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

  @Test
  void preflightIsAnsweredByTheGatewayWithoutAKeyAndNeverReachesTheUpstream() throws Exception {
    HttpResponse<String> r = preflight("/app/items", APP, "POST", "x-api-key, content-type");

    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(header(r, "access-control-allow-origin")).isEqualTo(APP);
    assertThat(header(r, "access-control-allow-methods")).isEqualTo("GET, POST");
    assertThat(header(r, "access-control-allow-headers")).isEqualTo("X-API-Key, Content-Type");
    assertThat(header(r, "access-control-max-age")).isEqualTo("600");
    assertThat(header(r, "vary")).contains("Origin");
    assertThat(header(r, "x-request-id")).isNotBlank();
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void preflightFromAnotherOriginIsRefusedWithoutCorsHeaders() throws Exception {
    HttpResponse<String> r = preflight("/app/items", EVIL, "GET", null);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("cors_rejected");
    assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(r.headers().firstValue("access-control-allow-methods")).isEmpty();
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void preflightForAMethodOrHeaderNotConfiguredIsRefused() throws Exception {
    HttpResponse<String> method = preflight("/app/items", APP, "DELETE", null);
    HttpResponse<String> header = preflight("/app/items", APP, "GET", "x-api-key, x-secret");

    assertThat(method.statusCode()).isEqualTo(403);
    assertThat(header.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(header.body()).getString("detail")).contains("x-secret");
    assertThat(method.headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void anyOriginIsAnsweredWithAStar() throws Exception {
    HttpResponse<String> r = preflight("/open/x", EVIL, "GET", "X-API-Key");

    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(header(r, "access-control-allow-origin")).isEqualTo("*");
    assertThat(header(r, "access-control-max-age")).isEqualTo("60");
  }

  @Test
  void actualRequestStillNeedsItsKeyAndItsResponseIsReadableByTheOrigin() throws Exception {
    HttpResponse<String> r = gw.get("/app/items", "Origin", APP, "X-API-Key", key);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "access-control-allow-origin")).isEqualTo(APP);
    assertThat(header(r, "access-control-expose-headers"))
        .contains("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "X-Request-Id");
    assertThat(r.headers().allValues("vary")).anySatisfy(v -> assertThat(v).contains("Origin"));
    assertThat(r.headers().allValues("access-control-allow-origin")).hasSize(1);
    assertThat(upstream.last().uri()).isEqualTo("/app/items");
    assertThat(upstream.last().header("origin")).isEqualTo(APP);
  }

  @Test
  void theUpstreamsOwnCorsHeadersGiveWayToTheGatewaysWhereTheGatewayAnswersForCors()
      throws Exception {
    HttpResponse<String> r = gw.get("/app/upstream-cors", "Origin", APP, "X-API-Key", key);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().allValues("access-control-allow-origin")).containsExactly(APP);
    assertThat(r.headers().firstValue("access-control-allow-credentials")).isEmpty();
    assertThat(header(r, "x-upstream")).isEqualTo("echo");

    HttpResponse<String> plain = gw.get("/plain/upstream-cors", "Origin", APP, "X-API-Key", key);

    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().allValues("access-control-allow-origin"))
        .containsExactly("https://upstream.example");
    assertThat(header(plain, "access-control-allow-credentials")).isEqualTo("true");
  }

  @Test
  void aRefusalCarriesTheCorsHeadersSoThePageCanReadIt() throws Exception {
    HttpResponse<String> r = gw.get("/app/items", "Origin", APP);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("key_missing");
    assertThat(header(r, "www-authenticate")).startsWith("ApiKey");
    assertThat(header(r, "access-control-allow-origin")).isEqualTo(APP);
    assertThat(header(r, "access-control-expose-headers")).contains("X-Request-Id");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void anotherOriginGetsTheResponseWithoutCorsHeaders() throws Exception {
    HttpResponse<String> r = gw.get("/app/items", "Origin", EVIL, "X-API-Key", key);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(r.headers().allValues("vary")).anySatisfy(v -> assertThat(v).contains("Origin"));
  }

  @Test
  void withoutCorsOptionsIsAnOrdinaryRequestThatNeedsAKey() throws Exception {
    HttpResponse<String> refused = preflight("/plain/items", APP, "GET", null);

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("key_missing");
    assertThat(refused.headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(upstream.received()).isEmpty();

    HttpResponse<String> forwarded =
        gw.send(options("/plain/items", APP, "GET", null).header("X-API-Key", key).build());
    assertThat(forwarded.statusCode()).isEqualTo(200);
    assertThat(upstream.last().method()).isEqualTo("OPTIONS");
  }

  @Test
  void optionsWithoutRequestMethodIsNotAPreflightAndNeedsAKey() throws Exception {
    HttpResponse<String> r =
        gw.send(
            gw.request("/app/items")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", APP)
                .build());

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(header(r, "access-control-allow-origin")).isEqualTo(APP);
    assertThat(upstream.received()).isEmpty();
  }

  private static HttpResponse<String> preflight(
      String path, String origin, String method, @Nullable String headers) throws Exception {
    return gw.send(options(path, origin, method, headers).build());
  }

  private static HttpRequest.Builder options(
      String path, String origin, String method, @Nullable String headers) {
    HttpRequest.Builder b =
        gw.request(path)
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", method);
    if (headers != null) {
      b.header("Access-Control-Request-Headers", headers);
    }
    return b;
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name));
  }
}
