package io.xecure.net.limits;

import static io.xecure.testing.Clients.connect;
import static io.xecure.testing.Clients.send;
import static io.xecure.testing.LimitsConfigBuilder.limits;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.config.LimitsConfig;
import io.xecure.events.RequestEvent;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.policy.keyauth.KeyAuthConfig;
import io.xecure.testing.ApiConfigBuilder;
import io.xecure.testing.Clients;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import io.xecure.testing.GatewayHarness;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * buffered_bodies: bodies read to find a body key share one budget. With room for one 60 kB body, a
 * second one while the first is held is answered 503 overloaded, and once the first is done the
 * budget is whole again.
 */
class BufferedBodiesTest {
  private static final int BODY = 60_000;
  private static final LimitsConfig LIMITS =
      limits().bufferedBodies(100_000).maxUpstreamConnections(8).build();

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
                ApiConfigBuilder.api("forms", "/forms", upstream.url())
                    .keyAuth(
                        new KeyAuthConfig(
                            GatewayHarness.locations("body:api_key"), true, false, 64 * 1024))
                    .build()),
            LIMITS);
    var developer = gw.developer("ada", DeveloperStatus.ACTIVE);
    key = gw.issue(developer, List.of("forms"), KeyStatus.ACTIVE)[0];
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  @Test
  void aBodyBeyondTheBudgetIsAnswered503OverloadedUntilTheHeldOnesAreDone() throws Exception {
    String body = body(key);
    try (Socket held = connect(gw.port())) {
      // the first body arrives in part: its 60 kB stay reserved while it is read
      send(held, head(body.length()) + body.substring(0, 100));
      Eventually.until("the first body is being read", () -> budgetUsed() >= BODY);

      String refused;
      try (Socket second = connect(gw.port())) {
        send(second, head(body.length()) + body);
        refused = Clients.until(second, "}");
      }
      assertThat(refused).startsWith("HTTP/1.1 503 ");
      assertThat(refused.toLowerCase(java.util.Locale.ROOT))
          .contains("retry-after: 1")
          .contains("content-type: application/problem+json");
      assertThat(refused).contains("\"code\":\"overloaded\"");
      RequestEvent event = Clients.event(gw, Clients.requestId(refused));
      assertThat(event.code()).isEqualTo("overloaded");
      assertThat(event.status()).isEqualTo(503);

      send(held, body.substring(100));
      assertThat(Clients.until(held, "}")).startsWith("HTTP/1.1 200 ");
    }

    Eventually.until("the budget given back", () -> budgetUsed() == 0);
    try (Socket third = connect(gw.port())) {
      send(third, head(body.length()) + body);
      assertThat(Clients.until(third, "}")).startsWith("HTTP/1.1 200 ");
    }
    assertThat(upstream.received()).hasSize(2);
  }

  private static double budgetUsed() {
    String scrape = gw.gateway().metrics().scrape();
    var m =
        java.util.regex.Pattern.compile("(?m)^xecure_buffered_bodies_bytes (\\S+)").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  private static String head(int length) {
    return "POST /forms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: "
        + length
        + "\r\n\r\n";
  }

  /** A JSON body of exactly BODY bytes holding the key. */
  private static String body(String key) {
    String start = "{\"api_key\":\"" + key + "\",\"pad\":\"";
    String end = "\"}";
    return start + "x".repeat(BODY - start.length() - end.length()) + end;
  }
}
