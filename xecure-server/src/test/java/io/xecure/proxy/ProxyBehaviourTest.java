package io.xecure.proxy;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.config.ApiConfig;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.ApiConfigBuilder;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.GatewayHarness;
import io.xecure.testing.RawHttp;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reverse proxy itself: paths, routing, upstream failures, framing, streaming. */
class ProxyBehaviourTest {
  @TempDir static Path dir;
  static EchoUpstream upstream;
  static GatewayHarness gw;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    upstream = new EchoUpstream();
    String u = upstream.url();
    ApiConfig users = api("users", "/users", u);
    ApiConfig stripped =
        ApiConfigBuilder.from(users)
            .name("v1")
            .path("/api/v1")
            .upstreams(u + "/base")
            .stripPath(true)
            .build();
    ApiConfig impatient =
        ApiConfigBuilder.from(users)
            .name("impatient")
            .path("/impatient")
            .timeout(Duration.ofMillis(300))
            .build();
    ApiConfig down = api("down", "/down", "http://127.0.0.1:" + freePort());
    gw = new GatewayHarness(dir, List.of(users, stripped, impatient, down));
    key = gw.issue(gw.developer("Ada", DeveloperStatus.ACTIVE), List.of("*"), KeyStatus.ACTIVE)[0];
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
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
  void upstreamReceivesExactlyTheCanonicalPath() throws Exception {
    HttpResponse<String> r = gw.get("/users//a/./b/../c/%7Eme?q=%2F", "X-API-Key", key);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(upstream.last().uri()).isEqualTo("/users/a/c/~me?q=%2F");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/users/%2e%2e/%2e%2e/etc",
        "/users/a%2Fb",
        "/users/a%5cb",
        "/users/a;jsessionid=1",
        "/users/a%00b",
        "/users/a%0d%0aX:1",
        "/../users"
      })
  void badPathsAre400BeforeAnyKeyCheck(String path) throws Exception {
    String raw = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + key + "\r\n\r\n";

    String response = RawHttp.exchange(gw.port(), raw);

    assertThat(response).startsWith("HTTP/1.1 400");
    assertThat(response).contains("\"code\":\"path_invalid\"").doesNotContain(key);
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void absoluteFormTargetMustMatchHost() throws Exception {
    String raw =
        "GET http://evil.example/users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
            + key
            + "\r\n\r\n";

    assertThat(RawHttp.exchange(gw.port(), raw)).startsWith("HTTP/1.1 400");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void unknownPathIs404RouteNotFound() throws Exception {
    HttpResponse<String> r = gw.get("/nothing/here", "X-API-Key", key);

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("route_not_found");
    assertThat(gw.get("/usersX", "X-API-Key", key).statusCode()).isEqualTo(404);
  }

  @Test
  void stripPathRemovesThePrefixAndPrependsTheUpstreamPath() throws Exception {
    assertThat(gw.get("/api/v1/items/7?z=1", "X-API-Key", key).statusCode()).isEqualTo(200);
    assertThat(upstream.last().uri()).isEqualTo("/base/items/7?z=1");
  }

  @Test
  void upstreamDownIs502() throws Exception {
    HttpResponse<String> r = gw.get("/down", "X-API-Key", key);

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("upstream_unavailable");
  }

  @Test
  void slowUpstreamIs504() throws Exception {
    HttpResponse<String> r = gw.get("/impatient/slow", "X-API-Key", key);

    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("upstream_timeout");
  }

  @Test
  void upstreamStatusAndHeadersComeBack() throws Exception {
    HttpResponse<String> r = gw.get("/users/status/418", "X-API-Key", key);

    assertThat(r.statusCode()).isEqualTo(418);
    assertThat(r.body()).isEqualTo("{\"status\":418}");
  }

  @Test
  void hopByHopResponseHeadersStopAtTheGatewayInAnySpelling() throws Exception {
    HttpResponse<String> r = gw.get("/users/hop-by-hop", "X-API-Key", key);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().map().keySet())
        .doesNotContain("x-hop", "keep_alive", "keep-alive", "proxy-authenticate", "trailer");
    assertThat(r.headers().firstValue("x-end-to-end")).contains("kept");
    assertThat(r.headers().firstValue("x_custom_name")).contains("kept as spelled");
    assertThat(r.body()).isEqualTo("{\"ok\":true}");
  }

  @Test
  void theUpstreamsReasonPhraseReachesTheClientAndTheUsualOneStaysUsual() throws Exception {
    String own =
        "GET /users/reason HTTP/1.1\r\nHost: x\r\nX-API-Key: "
            + key
            + "\r\nConnection: close\r\n\r\n";
    String usual =
        "GET /users/ok HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\r\nConnection: close\r\n\r\n";

    assertThat(RawHttp.exchange(gw.port(), own)).startsWith("HTTP/1.1 200 Fine Indeed\r\n");
    assertThat(RawHttp.exchange(gw.port(), usual)).startsWith("HTTP/1.1 200 OK\r\n");
  }

  @Test
  void largeBodiesStreamBothWays() throws Exception {
    HttpResponse<byte[]> down =
        gw.send(
            gw.request("/users/big/5000000").header("X-API-Key", key).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(down.statusCode()).isEqualTo(200);
    assertThat(down.body()).hasSize(5_000_000);

    byte[] payload = new byte[3_000_000];
    HttpResponse<String> up =
        gw.send(
            gw.request("/users/upload")
                .header("X-API-Key", key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build());
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(upstream.last().body().length()).isEqualTo(3_000_000);
  }

  @Test
  void authenticatedResponsesArePrivateUnlessTheUpstreamSaysOtherwise() throws Exception {
    HttpResponse<String> plain = gw.get("/users/x", "X-API-Key", key);
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().allValues("cache-control")).containsExactly("private");

    HttpResponse<String> own = gw.get("/users/cache-control/max-age=60", "X-API-Key", key);
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(own.headers().allValues("cache-control")).containsExactly("max-age=60");
  }

  @Test
  void theUpstreamReceivesOneRequestBuiltForItNeverTheClientsHeadersAsSent() throws Exception {
    HttpResponse<String> r =
        gw.get(
            "/users/x?api_key=" + key + "&q=1",
            "X-API-Key",
            key,
            "X_API_Key",
            key,
            "Authorization",
            "Bearer " + key,
            "X_Developer_Id",
            "dev_forged",
            "X-Forwarded-For",
            "203.0.113.9");

    assertThat(r.statusCode()).isEqualTo(200);
    EchoUpstream.Received got = upstream.last();
    assertThat(got.uri()).isEqualTo("/users/x?q=1");
    got.headers().forEach(h -> assertThat(h.getValue()).as(h.getKey()).doesNotContain(key));
    assertThat(got.headers().names()).noneMatch(n -> n.equalsIgnoreCase("x_developer_id"));
    assertThat(got.header("x-developer-id")).startsWith("dev_t");
    assertThat(got.header("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(got.header("x-anonymous")).isNull();
  }

  @Test
  void contentLengthWithTransferEncodingIsRefused() throws Exception {
    String raw =
        "POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
            + key
            + "\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";

    assertThat(RawHttp.exchange(gw.port(), raw)).startsWith("HTTP/1.1 400");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void duplicateContentLengthIsRefused() throws Exception {
    String raw =
        "POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
            + key
            + "\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc";

    assertThat(RawHttp.exchange(gw.port(), raw)).startsWith("HTTP/1.1 400");
    assertThat(upstream.received()).isEmpty();
  }

  /** Found by RequestFramingFuzzTest: Netty folds them into the first one before HTTP/1.1. */
  @Test
  void duplicateContentLengthIsRefusedOnHttp10Too() throws Exception {
    String raw =
        "POST /users HTTP/1.0\r\nHost: 127.0.0.1\r\nX-API-Key: "
            + key
            + "\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde";

    assertThat(RawHttp.exchange(gw.port(), raw)).containsPattern("^HTTP/1\\.[01] 400 ");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void unknownTransferEncodingIsRefused() throws Exception {
    String raw =
        "POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
            + key
            + "\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n";

    assertThat(RawHttp.exchange(gw.port(), raw)).startsWith("HTTP/1.1 400");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void badChunkSizeIsRefusedAndNoRequestCompletesUpstream() throws Exception {
    String raw =
        "POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
            + key
            + "\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n";

    assertThat(RawHttp.exchange(gw.port(), raw)).startsWith("HTTP/1.1 400");
    // a request forwarded before the bad chunk would arrive before this later one
    assertThat(gw.get("/users/after", "X-API-Key", key).statusCode()).isEqualTo(200);
    assertThat(upstream.received())
        .extracting(EchoUpstream.Received::uri)
        .containsExactly("/users/after");
  }
}
