package io.xecure.tls;

import static io.xecure.testing.GatewayHarness.api;
import static io.xecure.testing.LimitsConfigBuilder.tight;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.config.LimitsConfig;
import io.xecure.events.RequestEvent;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import io.xecure.testing.GatewayHarness;
import io.xecure.testing.TestCertificates;
import io.xecure.testing.TestCertificates.Ca;
import io.xecure.testing.TestCertificates.Issued;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener's limits on HTTP/2 and on the TLS handshake before it: a connection that never
 * completes its handshake, an HTTP/2 connection left idle, a head over {@code max_header_size}.
 */
class Http2LimitsTest {
  private static final LimitsConfig LIMITS = tight().build();

  @TempDir static Path dir;
  static Ca ca;
  static EchoUpstream upstream;
  static GatewayHarness gw;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    ca = TestCertificates.ca(dir, "ca");
    Issued edge = ca.issue(dir, "edge", "localhost");
    upstream = new EchoUpstream();
    gw = GatewayHarness.overTls(dir, List.of(api("users", "/users", upstream.url())), edge, LIMITS);
    key = gw.issue(gw.developer("Ada", DeveloperStatus.ACTIVE), List.of("*"), KeyStatus.ACTIVE)[0];
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  /** Reads until the server closes; how long that took, or fails past {@code limit}. */
  private static Duration untilClosed(Socket socket, Duration limit) throws Exception {
    socket.setSoTimeout((int) limit.toMillis());
    long start = System.nanoTime();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    try {
      while (in.read(buffer) >= 0) {
        // frames the server sends (SETTINGS, GOAWAY) before it closes
      }
    } catch (java.net.SocketException e) {
      // reset rather than closed: closed all the same
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void aConnectionThatNeverCompletesItsHandshakeIsClosedAtTheHeaderTimeout() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gw.port())) {
      // TCP only: not one byte of a ClientHello
      assertThat(untilClosed(socket, Duration.ofSeconds(8))).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void anIdleHttp2ConnectionIsClosedAtTheIdleTimeout() throws Exception {
    SSLSocket socket = h2Socket();
    try (socket) {
      // the client preface and an empty SETTINGS frame, then nothing
      assertThat(untilClosed(socket, Duration.ofSeconds(8))).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void anHttp2ConnectionInUseOutlivesTheIdleTimeoutAndClosesOnceQuiet() throws Exception {
    SSLSocket socket = h2Socket();
    try (socket) {
      OutputStream out = socket.getOutputStream();
      // a PING every 300 ms for 2.4 s: more than twice the 1 s idle timeout, never 1 s quiet
      byte[] ping = {0, 0, 8, 6, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8};
      for (int i = 0; i < 8; i++) {
        out.write(ping);
        out.flush();
        Thread.sleep(300);
      }
      // still open: the server answers one more PING (a broken pipe here fails the test)
      out.write(ping);
      out.flush();
      Duration quiet = untilClosed(socket, Duration.ofSeconds(8));
      assertThat(quiet).isGreaterThan(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(5));
    }
  }

  /** An HTTP/2 connection over TLS, its client preface and an empty SETTINGS frame sent. */
  private static SSLSocket h2Socket() throws Exception {
    SSLSocket socket =
        (SSLSocket)
            TestCertificates.client(ca)
                .getSocketFactory()
                .createSocket(new Socket("127.0.0.1", gw.port()), "localhost", gw.port(), true);
    SSLParameters params = socket.getSSLParameters();
    params.setApplicationProtocols(new String[] {"h2"});
    socket.setSSLParameters(params);
    socket.startHandshake();
    assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
    OutputStream out = socket.getOutputStream();
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
    out.flush();
    return socket;
  }

  @Test
  void aHeadOverMaxHeaderSizeIsAnswered431OnItsStream() throws Exception {
    HttpClient h2 =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .sslContext(TestCertificates.client(ca))
            .build();
    HttpResponse<String> big =
        h2.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + gw.port() + "/users/1"))
                .header("X-API-Key", key)
                .header("X-Big", "b".repeat(5000))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(big.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(big.statusCode()).isEqualTo(431);
    assertThat(big.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(new JsonObject(big.body()).getString("code")).isEqualTo("header_too_large");
    assertThat(upstream.received()).isEmpty();
    String requestId = big.headers().firstValue("x-request-id").orElseThrow();
    Optional<RequestEvent> event =
        Eventually.await(
            "the refusal recorded",
            () ->
                gw.gateway().store().requestEvents(1000).stream()
                    .filter(e -> e.requestId().equals(requestId))
                    .findFirst(),
            Optional::isPresent);
    assertThat(event.orElseThrow().status()).isEqualTo(431);

    HttpResponse<String> small =
        h2.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + gw.port() + "/users/1"))
                .header("X-API-Key", key)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(small.statusCode()).isEqualTo(200);
  }
}
