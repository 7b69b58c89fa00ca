package io.xecure.net.limits;

import static io.xecure.testing.Clients.connect;
import static io.xecure.testing.Clients.send;
import static io.xecure.testing.LimitsConfigBuilder.limits;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.config.LimitsConfig;
import io.xecure.testing.Clients;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import io.xecure.testing.GatewayHarness;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** max_connections through the real listener: beyond the cap a new connection is closed at once. */
class ConnectionCapTest {
  private static final LimitsConfig CAP_OF_TWO =
      limits()
          .headerTimeout(Duration.ofSeconds(30))
          .maxConnections(2)
          .maxUpstreamConnections(8)
          .build();

  @TempDir static Path dir;
  static EchoUpstream upstream;
  static GatewayHarness gw;

  @BeforeAll
  static void start() throws Exception {
    upstream = new EchoUpstream();
    gw =
        new GatewayHarness(
            dir, List.of(GatewayHarness.api("users", "/users", upstream.url())), CAP_OF_TWO);
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  @Test
  void beyondTheCapANewConnectionIsClosedAndCountedWhileTheAdminPortStillAnswers()
      throws Exception {
    try (Socket first = connect(gw.port());
        Socket second = connect(gw.port())) {
      assertThat(health(first)).startsWith("HTTP/1.1 200 ");
      assertThat(health(second)).startsWith("HTTP/1.1 200 ");

      try (Socket third = connect(gw.port())) {
        assertThat(closedUnanswered(third)).isTrue();
      }
      assertThat(gw.gateway().metrics().scrape())
          .contains("xecure_connections_refused_total{listener=\"gateway\"} 1.0")
          .contains("xecure_connections_open{listener=\"gateway\"} 2.0");

      // the admin listener counts its own connections
      try (Socket admin = connect(gw.gateway().adminPort())) {
        assertThat(health(admin)).startsWith("HTTP/1.1 200 ");
      }

      // the kept-alive connections are still served
      assertThat(health(first)).startsWith("HTTP/1.1 200 ");
    }

    // once they are closed, new connections are admitted again
    Eventually.until(
        "a connection admitted after others closed",
        () -> {
          try (Socket again = connect(gw.port())) {
            return health(again).startsWith("HTTP/1.1 200 ");
          } catch (SocketException e) {
            return false;
          }
        });
  }

  /** One GET /health on a kept-alive connection: the head and body of the answer. */
  private static String health(Socket socket) throws Exception {
    send(socket, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    return Clients.until(socket, "}");
  }

  /** Whether the gateway closed the connection without a byte, whatever was sent. */
  private static boolean closedUnanswered(Socket socket) throws Exception {
    try {
      send(socket, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      return socket.getInputStream().read() < 0;
    } catch (SocketException e) {
      return true;
    }
  }
}
