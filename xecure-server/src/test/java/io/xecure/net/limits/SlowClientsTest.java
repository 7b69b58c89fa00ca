package io.xecure.net.limits;

import static io.xecure.testing.Clients.connect;
import static io.xecure.testing.Clients.send;
import static io.xecure.testing.Clients.untilClosed;
import static io.xecure.testing.LimitsConfigBuilder.tight;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.config.LimitsConfig;
import io.xecure.events.RequestEvent;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.ApiConfigBuilder;
import io.xecure.testing.Clients;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.GatewayHarness;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients through the real listeners (SPEC §9): a head that trickles in, a body that stops, a
 * kept-alive connection left idle, a target over max_uri; on the data port and the admin port.
 */
class SlowClientsTest {
  private static final LimitsConfig LIMITS =
      tight()
          // one pooled upstream connection: a stalled body must give it back
          .maxUpstreamConnections(1)
          .build();

  @TempDir static Path dir;
  static EchoUpstream upstream;
  static GatewayHarness gw;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    upstream = new EchoUpstream();
    gw =
        new GatewayHarness(
            dir,
            List.of(
                ApiConfigBuilder.api("users", "/users", upstream.url())
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                // a short timeout: it gets 504 if the one pooled connection is not given back
                ApiConfigBuilder.api("quick", "/quick", upstream.url())
                    .timeout(Duration.ofSeconds(3))
                    .build()),
            LIMITS);
    var developer = gw.developer("ada", DeveloperStatus.ACTIVE);
    key = gw.issue(developer, List.of("users", "quick"), KeyStatus.ACTIVE)[0];
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  @Test
  void aHeadDrippedALineAtATimeIsCutOffAtTheDeadlineWith408AndRecorded() throws Exception {
    String reply;
    try (Socket socket = connect(gw.port())) {
      send(socket, "GET /users/dripping HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      // a line every 200 ms: no single read is slow, the head as a whole is
      Thread dripper = Clients.drip(socket, 200);
      reply = untilClosed(socket);
      dripper.interrupt();
    }

    assertThat(reply).startsWith("HTTP/1.1 408 ");
    assertThat(reply.toLowerCase(java.util.Locale.ROOT))
        .contains("connection: close")
        .contains("content-type: application/problem+json");
    assertThat(reply).contains("\"code\":\"request_timeout\"");
    RequestEvent event = Clients.event(gw, Clients.requestId(reply));
    assertThat(event.status()).isEqualTo(408);
    assertThat(event.code()).isEqualTo("request_timeout");
    assertThat(event.method()).isEqualTo("GET");
    assertThat(event.path()).isEqualTo("/users/dripping");
    assertThat(upstream.received()).noneMatch(r -> r.uri().contains("dripping"));
  }

  @Test
  void onAKeptAliveConnectionTheDeadlineRunsFromTheNextHeadsFirstByte() throws Exception {
    String reply;
    try (Socket socket = connect(gw.port())) {
      send(socket, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /users/second HTTP/1.1\r\n");
      Thread dripper = Clients.drip(socket, 200);
      reply = untilClosed(socket);
      dripper.interrupt();
    }

    // the first request answered, the second cut off: not closed as idle without a word
    assertThat(reply).startsWith("HTTP/1.1 200 ").contains("HTTP/1.1 408 ");
    RequestEvent event =
        Clients.event(gw, Clients.requestId(reply.substring(reply.indexOf("HTTP/1.1 408 "))));
    assertThat(event.code()).isEqualTo("request_timeout");
    assertThat(event.path()).isEqualTo("/users/second");
  }

  @Test
  void aConnectionThatSendsNothingIsClosedWithoutAnAnswer() throws Exception {
    try (Socket socket = connect(gw.port())) {
      assertThat(untilClosed(socket)).isEmpty();
    }
    assertThat(gw.gateway().metrics().scrape())
        .containsPattern(
            "xecure_connections_timeouts_total\\{limit=\"header_timeout\",listener=\"gateway\"\\}"
                + " [1-9]");
  }

  @Test
  void aBodyThatStopsIsAnswered408AndItsUpstreamConnectionGivenBack() throws Exception {
    String reply;
    try (Socket socket = connect(gw.port())) {
      send(
          socket,
          "POST /users/stalled HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
              + key
              + "\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n0123456789");
      reply = untilClosed(socket);
    }

    assertThat(reply).startsWith("HTTP/1.1 408 ");
    assertThat(reply.toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
    assertThat(reply).contains("\"code\":\"request_timeout\"");
    RequestEvent event = Clients.event(gw, Clients.requestId(reply));
    assertThat(event.code()).isEqualTo("request_timeout");
    assertThat(event.reason()).isEqualTo("body_idle_timeout");
    assertThat(event.keyId()).isNotNull();

    // the only pooled upstream connection was waiting for that body: it must be free again
    HttpResponse<String> next = gw.get("/quick/after-stall", "X-API-Key", key);
    assertThat(next.statusCode()).isEqualTo(200);
  }

  @Test
  void aKeptAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (Socket socket = connect(gw.port())) {
      send(socket, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      String reply = untilClosed(socket);
      // answered, kept alive, then closed with nothing more said
      assertThat(reply).startsWith("HTTP/1.1 200 ").endsWith("{\"status\":\"ok\"}");
      assertThat(reply.toLowerCase(java.util.Locale.ROOT)).doesNotContain("connection: close");
    }
  }

  @Test
  void aTargetOverMaxUriIsAnswered414AndRecorded() throws Exception {
    String reply;
    try (Socket socket = connect(gw.port())) {
      // 1050 bytes: over max_uri (1 KiB), within the request line's room for method and version
      send(socket, "GET /users/" + "a".repeat(1043) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      reply = untilClosed(socket);
    }
    assertThat(reply).startsWith("HTTP/1.1 414 ").contains("\"code\":\"uri_too_long\"");
    assertThat(reply.toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
    assertThat(Clients.event(gw, Clients.requestId(reply)).code()).isEqualTo("uri_too_long");
  }

  @Test
  void aHeadOverMaxHeaderSizeIsAnswered431() throws Exception {
    String reply;
    try (Socket socket = connect(gw.port())) {
      send(
          socket,
          "GET /users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(5000) + "\r\n\r\n");
      reply = untilClosed(socket);
    }
    assertThat(reply).startsWith("HTTP/1.1 431 ").contains("\"code\":\"header_too_large\"");
  }

  @Test
  void theAdminListenerCutsOffADrippedHeadWith408ProblemJson() throws Exception {
    String reply;
    try (Socket socket = connect(gw.gateway().adminPort())) {
      send(socket, "GET /admin/developers HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      Thread dripper = Clients.drip(socket, 200);
      reply = untilClosed(socket);
      dripper.interrupt();
    }
    assertThat(reply).startsWith("HTTP/1.1 408 ");
    assertThat(reply.toLowerCase(java.util.Locale.ROOT))
        .contains("connection: close")
        .contains("content-type: application/problem+json");
    assertThat(reply).contains("\"code\":\"request_timeout\"");
    assertThat(gw.gateway().metrics().scrape())
        .containsPattern(
            "xecure_connections_timeouts_total\\{limit=\"header_timeout\",listener=\"admin\"\\}"
                + " [1-9]");
  }

  @Test
  void theAdminListenerHasTheSameHeadLimitsAndIdleTimeout() throws Exception {
    String tooLong;
    try (Socket socket = connect(gw.gateway().adminPort())) {
      send(socket, "GET /admin/" + "a".repeat(1100) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      tooLong = untilClosed(socket);
    }
    // a request line beyond the decoder's bound: Netty answers as HTTP/1.0
    assertThat(tooLong).startsWith("HTTP/1.0 414 ").contains("\"code\":\"uri_too_long\"");

    try (Socket socket = connect(gw.gateway().adminPort())) {
      send(socket, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(untilClosed(socket)).startsWith("HTTP/1.1 200 ");
    }
  }

  @Test
  void theAdminListenerAnswersAStalledBody408() throws Exception {
    String reply;
    try (Socket socket = connect(gw.gateway().adminPort())) {
      send(
          socket,
          "POST /admin/developers HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
              + gw.gateway().adminToken()
              + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":");
      reply = untilClosed(socket);
    }
    assertThat(reply).startsWith("HTTP/1.1 408 ").contains("\"code\":\"request_timeout\"");
  }
}
