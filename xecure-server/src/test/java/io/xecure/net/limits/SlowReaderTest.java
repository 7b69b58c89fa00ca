package io.xecure.net.limits;

import static io.xecure.testing.LimitsConfigBuilder.limits;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.config.LimitsConfig;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.ApiConfigBuilder;
import io.xecure.testing.Clients;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import io.xecure.testing.GatewayHarness;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients with a valid key that do not read their responses cannot hold the upstream pool
 * (response_write_timeout): with two pooled connections and two such clients, a normal client still
 * gets its answer, not a 504.
 */
class SlowReaderTest {
  private static final int POOL = 2;
  private static final LimitsConfig LIMITS =
      limits().responseWriteTimeout(Duration.ofMillis(500)).maxUpstreamConnections(POOL).build();

  /** Far more than the socket buffers between the upstream and a client that reads nothing. */
  private static final int BIG = 32 * 1024 * 1024;

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
                // the slow readers' API waits long for its upstream: no upstream timeout saves us
                ApiConfigBuilder.api("downloads", "/big", upstream.url())
                    .timeout(Duration.ofSeconds(60))
                    .build(),
                // the normal client's API, on the same upstream and so the same pool, gives up
                // after 3 s: 504 while the slow readers hold both connections
                ApiConfigBuilder.api("users", "/users", upstream.url())
                    .timeout(Duration.ofSeconds(3))
                    .build()),
            LIMITS);
    var developer = gw.developer("ada", DeveloperStatus.ACTIVE);
    key = gw.issue(developer, List.of("downloads", "users"), KeyStatus.ACTIVE)[0];
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  @Test
  void slowReadersAreDisconnectedAndTheirUpstreamConnectionsFreed() throws Exception {
    List<Socket> readers = new ArrayList<>();
    try {
      for (int i = 0; i < POOL; i++) {
        Socket socket = Clients.connect(gw.port(), 4096);
        Clients.send(
            socket,
            "GET /big/" + BIG + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + key + "\r\n\r\n");
        readers.add(socket);
      }
      Eventually.until(
          "both downloads reached the upstream",
          () ->
              upstream.received().stream().filter(r -> r.uri().startsWith("/big/")).count()
                  == POOL);

      // reading nothing, both are cut off once their sockets stay full for 500 ms
      Eventually.until(
          "both slow readers disconnected", Duration.ofSeconds(30), () -> writeTimeouts() >= POOL);

      HttpResponse<String> normal = gw.get("/users/normal", "X-API-Key", key);

      assertThat(normal.statusCode()).isEqualTo(200);
      for (Socket reader : readers) {
        assertThat(Clients.untilClosed(reader).length())
            .as("the slow reader's response was cut off")
            .isLessThan(BIG);
      }
    } finally {
      for (Socket reader : readers) {
        reader.close();
      }
    }
  }

  private static double writeTimeouts() {
    var m =
        java.util.regex.Pattern.compile(
                "(?m)^xecure_connections_timeouts_total\\{limit=\"response_write_timeout\","
                    + "listener=\"gateway\"\\} (\\S+)")
            .matcher(gw.gateway().metrics().scrape());
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }
}
