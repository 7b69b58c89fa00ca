package io.xecure.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.ApiConfigBuilder;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.GatewayHarness;
import io.xecure.testing.MemoryStore;
import io.xecure.testing.RawHttp;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No listener speaks cleartext HTTP/2: a request asking to upgrade to h2c (as the JDK HttpClient
 * does on every new http:// connection) is answered as HTTP/1.1, its upgrade ignored. A CI run once
 * read a console file as HTTP/2 frames through the admin test fixture's listener, which then took
 * the upgrade (Vert.x's default) where the gateway's listeners ignore it.
 */
class H2cUpgradeTest {
  /** A SETTINGS payload as the JDK client sends it, base64url: push off, 100 streams. */
  private static final String UPGRADE =
      "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
          + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n";

  @TempDir static Path dir;
  static EchoUpstream upstream;
  static GatewayHarness gw;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    upstream = new EchoUpstream();
    gw =
        new GatewayHarness(
            dir, List.of(ApiConfigBuilder.api("users", "/users", upstream.url()).build()));
    key =
        gw.issue(gw.developer("ada", DeveloperStatus.ACTIVE), List.of("users"), KeyStatus.ACTIVE)[
            0];
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  @Test
  void theAdminPortServesAConsoleFileAsHttp11ToAnH2cUpgrade() throws Exception {
    assertServesTheConsoleFileUnupgraded(gw.gateway().adminPort());
  }

  @Test
  void theAdminFixtureListenerDoesTheSame() throws Exception {
    try (AdminFixture admin = new AdminFixture(new MemoryStore())) {
      assertServesTheConsoleFileUnupgraded(admin.base.getPort());
    }
  }

  @Test
  void theDataPortAnswersAndProxiesAsHttp11ToAnH2cUpgrade() throws Exception {
    String health =
        RawHttp.exchange(
            gw.port(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + UPGRADE + "\r\n");
    assertThat(health).startsWith("HTTP/1.1 200 ").endsWith("{\"status\":\"ok\"}");

    String proxied =
        RawHttp.exchange(
            gw.port(),
            "GET /users/h2c HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
                + key
                + "\r\n"
                + UPGRADE
                + "\r\n");
    assertThat(proxied).startsWith("HTTP/1.1 200 ").doesNotContain("101 Switching Protocols");
    assertThat(upstream.last().uri()).isEqualTo("/users/h2c");
  }

  private static void assertServesTheConsoleFileUnupgraded(int port) throws Exception {
    String reply =
        RawHttp.exchange(
            port, "GET /console/common.js HTTP/1.1\r\nHost: 127.0.0.1\r\n" + UPGRADE + "\r\n");

    assertThat(reply).startsWith("HTTP/1.1 200 ").doesNotContain("101 Switching Protocols");
    assertThat(reply.toLowerCase(java.util.Locale.ROOT)).doesNotContain("upgrade: h2c");
    assertThat(reply.substring(reply.indexOf("\r\n\r\n") + 4)).isEqualTo(consoleFile("common.js"));
  }

  private static String consoleFile(String name) throws Exception {
    try (InputStream in =
        Objects.requireNonNull(H2cUpgradeTest.class.getResourceAsStream("/console/" + name))) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
