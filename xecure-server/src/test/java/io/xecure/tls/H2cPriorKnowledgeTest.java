package io.xecure.tls;

import static io.xecure.testing.GatewayHarness.api;
import static io.xecure.testing.LimitsConfigBuilder.limits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import io.xecure.config.GatewayConfig;
import io.xecure.config.LimitsConfig;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.Curl;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.GatewayHarness;
import io.xecure.testing.RawHttp;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gateway.h2c}: a cleartext listener that also speaks HTTP/2 to a client opening with its
 * connection preface (prior knowledge), with the same policies and refusals; HTTP/1.1 on the same
 * port as before, an upgrade still answered in HTTP/1.1, a half-sent preface cut off.
 */
class H2cPriorKnowledgeTest {
  @TempDir static Path dir;
  static EchoUpstream upstream;
  static GatewayHarness gw;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    upstream = new EchoUpstream();
    GatewayConfig c = GatewayHarness.config(dir, List.of(api("users", "/users", upstream.url())));
    LimitsConfig limits = limits().headerTimeout(Duration.ofSeconds(1)).build();
    gw = new GatewayHarness(dir, c.withGateway(c.gateway().withLimits(limits).withH2c(true)));
    key = gw.issue(gw.developer("Ada", DeveloperStatus.ACTIVE), List.of("*"), KeyStatus.ACTIVE)[0];
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
  void aClientWithPriorKnowledgeIsProxiedOverHttp2() throws Exception {
    Answer ok = curl("/users/1", "X-API-Key: " + key);

    assertThat(ok.versionAndStatus()).isEqualTo("2 200");
    assertThat(ok.body()).isEqualTo("{\"ok\":true}");
    EchoUpstream.Received received = upstream.last();
    assertThat(received.uri()).isEqualTo("/users/1");
    assertThat(received.header("x-forwarded-proto")).isEqualTo("http");
    assertThat(received.header("x-api-key")).isNull();
  }

  @Test
  void aWrongKeyIsRefusedOverHttp2() throws Exception {
    Answer refused = curl("/users/1", "X-API-Key: xk_wrong");

    assertThat(refused.versionAndStatus()).isEqualTo("2 401");
    assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("key_invalid");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void http11AndAnUpgradeRequestAreAnsweredInHttp11OnTheSamePort() throws Exception {
    for (HttpClient.Version version :
        List.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)) {
      // the JDK's client asks for HTTP/2 in cleartext with Upgrade: h2c
      HttpResponse<String> r =
          HttpClient.newBuilder()
              .version(version)
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(gw.url("/users/2")))
                      .header("X-API-Key", key)
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(upstream.last().header("upgrade")).isNull();
    }
  }

  @Test
  void aConnectionThatStopsInsideThePrefaceIsClosedAtTheHeaderTimeout() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gw.port())) {
      socket.setSoTimeout(8_000);
      OutputStream out = socket.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long start = System.nanoTime();
      InputStream in = socket.getInputStream();

      assertThat(in.read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void thePrefaceFollowedByAnHttp11RequestIsClosedAndNothingReachesTheUpstream() throws Exception {
    // the whole preface, then no SETTINGS frame but a request meant for an HTTP/1.1 reader
    RawHttp.Reply reply =
        RawHttp.untilClosed(
            gw.port(),
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nGET /users/smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "X-API-Key: "
                + key
                + "\r\n\r\n");

    // at most a GOAWAY frame: never an HTTP/1.1 answer
    assertThat(reply.closed()).isTrue();
    assertThat(reply.text()).doesNotContain("HTTP/1.1");
    assertThat(upstream.received()).isEmpty();
    assertThat(curl("/users/4", "X-API-Key: " + key).versionAndStatus()).isEqualTo("2 200");
  }

  @Test
  void aRequestLineThatBeginsLikeThePrefaceIsHttp11() throws Exception {
    // "P" as in the preface, then a request line of HTTP/1.1
    RawHttp.Reply reply =
        RawHttp.untilClosed(
            gw.port(),
            "PUT /users/3 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
                + key
                + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi");

    assertThat(reply.text()).startsWith("HTTP/1.1 200");
    assertThat(upstream.last().method()).isEqualTo("PUT");
    assertThat(upstream.last().body().toString()).isEqualTo("hi");
  }

  private record Answer(String versionAndStatus, String body) {}

  /** GET {@code path} with curl speaking HTTP/2 from the first byte (prior knowledge). */
  private static Answer curl(String path, String header) throws Exception {
    assumeTrue(Curl.speaksHttp2(), "curl with HTTP/2 not found");
    Path body = Files.createTempFile(dir, "body", ".txt");
    List<String> command =
        new ArrayList<>(
            List.of(
                "curl",
                "--http2-prior-knowledge",
                "--silent",
                "--show-error",
                "--max-time",
                "10",
                "--header",
                header,
                "--output",
                body.toString(),
                "--write-out",
                "%{http_version} %{http_code}",
                gw.url(path)));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return new Answer(out.trim(), Files.readString(body));
  }
}
