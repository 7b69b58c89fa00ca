package io.xecure.config;

import static io.xecure.config.ConfigErrorsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code gateway.server}: which HTTP server carries the data plane. */
class ListenerServerConfigTest {
  @Test
  void defaultsToNettyAndReadsVertx() throws ConfigException {
    assertThat(ConfigLoader.parse("", Map.of()).gateway().server())
        .isEqualTo(ListenConfig.Server.NETTY);
    assertThat(ConfigLoader.parse("gateway:\n  server: vertx\n", Map.of()).gateway().server())
        .isEqualTo(ListenConfig.Server.VERTX);
  }

  @Test
  void refusesAnUnknownServer() {
    assertThat(problems("gateway:\n  server: jetty\n"))
        .containsExactly("gateway.server: must be vertx or netty, got \"jetty\"");
  }

  @Test
  void nettyTakesTlsLikeVertx() {
    // the files do not exist: their problems are the only ones, none is the server's
    assertThat(
            problems(
                """
                gateway:
                  server: netty
                  tls: { cert: /etc/x/cert.pem, key: /etc/x/key.pem }
                """))
        .isNotEmpty()
        .allMatch(problem -> problem.startsWith("gateway.tls."));
  }
}
