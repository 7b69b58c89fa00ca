package io.xecure.tls;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.config.LimitsConfig;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.GatewayHarness;
import io.xecure.testing.TestCertificates;
import io.xecure.testing.TestCertificates.Ca;
import io.xecure.testing.TestCertificates.Issued;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 to clients (ALPN over TLS) through a real gateway and upstream: bodies with and without a
 * declared length, many streams at once on one connection, bodiless answers, and the request as the
 * HTTP/1.1 upstream receives it.
 */
class Http2ProxyTest {
  @TempDir static Path dir;
  static Ca ca;
  static EchoUpstream upstream;
  static GatewayHarness gw;
  static String key;
  static HttpClient h2;

  @BeforeAll
  static void start() throws Exception {
    ca = TestCertificates.ca(dir, "ca");
    Issued edge = ca.issue(dir, "edge", "localhost");
    upstream = new EchoUpstream();
    gw =
        GatewayHarness.overTls(
            dir, List.of(api("users", "/users", upstream.url())), edge, LimitsConfig.DEFAULT);
    key = gw.issue(gw.developer("Ada", DeveloperStatus.ACTIVE), List.of("*"), KeyStatus.ACTIVE)[0];
    h2 =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .sslContext(TestCertificates.client(ca))
            .connectTimeout(Duration.ofSeconds(10))
            .build();
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

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("https://localhost:" + gw.port() + path))
        .timeout(Duration.ofSeconds(10));
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    HttpResponse<String> r = h2.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
    return r;
  }

  @Test
  void aBodyReachesTheUpstreamWholeWithOrWithoutADeclaredLength() throws Exception {
    String body = "{\"name\":\"" + "x".repeat(100_000) + "\"}";
    HttpResponse<String> declared =
        send(
            request("/users")
                .header("X-API-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(declared.statusCode()).isEqualTo(200);
    assertThat(upstream.last().body().toString()).isEqualTo(body);
    assertThat(upstream.last().header("content-length")).isEqualTo(Integer.toString(body.length()));

    upstream.clear();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    // a stream of unknown length: HTTP/2 frames it with no content-length at all
    HttpResponse<String> undeclared =
        send(
            request("/users")
                .header("X-API-Key", key)
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build());
    assertThat(undeclared.statusCode()).isEqualTo(200);
    assertThat(upstream.last().method()).isEqualTo("POST");
    assertThat(upstream.last().body().toString()).isEqualTo(body);
  }

  @Test
  void manyStreamsOnOneConnectionAreEachAnsweredAndABigResponseArrivesWhole() throws Exception {
    String wrong = gw.gateway().keyFormat().generate();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String path = i % 10 == 0 ? "/users/big/300000" : "/users/" + i;
      answers.add(
          h2.sendAsync(
              request(path).header("X-API-Key", i % 20 == 19 ? wrong : key).build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    int valid = 0;
    for (int i = 0; i < answers.size(); i++) {
      HttpResponse<String> r = answers.get(i).get(20, TimeUnit.SECONDS);
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      if (i % 20 == 19) {
        assertThat(r.statusCode()).as("request %d, wrong key", i).isEqualTo(401);
        assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("key_invalid");
      } else {
        valid++;
        assertThat(r.statusCode()).as("request %d", i).isEqualTo(200);
        if (i % 10 == 0) {
          assertThat(r.body()).hasSize(300_000);
        } else {
          assertThat(r.body()).isEqualTo("{\"ok\":true}");
        }
      }
    }
    assertThat(upstream.received()).hasSize(valid);
  }

  @Test
  void headAndNoContentAnswersCarryNoBody() throws Exception {
    HttpResponse<String> head =
        send(
            request("/users/1")
                .header("X-API-Key", key)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(upstream.last().method()).isEqualTo("HEAD");

    HttpResponse<String> none = send(request("/users/status/204").header("X-API-Key", key).build());
    assertThat(none.statusCode()).isEqualTo(204);
    assertThat(none.body()).isEmpty();
  }

  @Test
  void theUpstreamGetsOneCookieHeaderAndNoneOfHttp2sOwn() throws Exception {
    HttpResponse<String> r =
        send(
            request("/users/cookies")
                .header("X-API-Key", key)
                .header("Cookie", "a=1")
                .header("Cookie", "b=2")
                .build());
    assertThat(r.statusCode()).isEqualTo(200);
    EchoUpstream.Received received = upstream.last();
    assertThat(received.headers().getAll("cookie")).containsExactly("a=1; b=2");
    assertThat(received.headers().names())
        .noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith("x-http2-"))
        .noneMatch(name -> name.startsWith(":"));
    assertThat(received.header("x-forwarded-proto")).isEqualTo("https");
  }

  @Test
  void aTargetOverMaxUriIsRefusedOnItsStreamAndTheConnectionServesOn() throws Exception {
    HttpResponse<String> tooLong =
        send(request("/users/" + "a".repeat(9000)).header("X-API-Key", key).build());
    assertThat(tooLong.statusCode()).isEqualTo(414);
    assertThat(tooLong.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(new JsonObject(tooLong.body()).getString("code")).isEqualTo("uri_too_long");
    assertThat(upstream.received()).isEmpty();

    HttpResponse<String> next = send(request("/users/1").header("X-API-Key", key).build());
    assertThat(next.statusCode()).isEqualTo(200);
  }
}
