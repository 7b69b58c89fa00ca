package io.xecure.config;

import static io.xecure.config.ConfigErrorsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code gateway.limits}: defaults, values, overrides and every problem at once. */
class LimitsConfigTest {
  @Test
  void defaultsToSpecSection9() throws ConfigException {
    LimitsConfig limits = ConfigLoader.parse("", Map.of()).gateway().limits();

    assertThat(limits).isEqualTo(LimitsConfig.DEFAULT);
    assertThat(limits.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(limits.bodyIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(limits.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(limits.maxHeaderSize()).isEqualTo(16 * 1024);
    assertThat(limits.maxUri()).isEqualTo(8 * 1024);
    assertThat(limits.maxConnections()).isEqualTo(10_000);
    assertThat(limits.responseWriteTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(limits.bufferedBodies()).isEqualTo(64L * 1024 * 1024);
    assertThat(limits.maxUpstreamConnections()).isEqualTo(512);
  }

  @Test
  void readsEveryField() throws ConfigException {
    LimitsConfig limits =
        ConfigLoader.parse(
                """
                gateway:
                  limits:
                    header_timeout: 5s
                    body_idle_timeout: 20s
                    idle_timeout: 2m
                    max_header_size: 32KiB
                    max_uri: 4096
                    max_connections: 500
                    response_write_timeout: 30s
                    buffered_bodies: 16MiB
                    max_upstream_connections: 64
                """,
                Map.of())
            .gateway()
            .limits();

    assertThat(limits)
        .isEqualTo(
            new LimitsConfig(
                Duration.ofSeconds(5),
                Duration.ofSeconds(20),
                Duration.ofMinutes(2),
                32 * 1024,
                4096,
                500,
                Duration.ofSeconds(30),
                16L * 1024 * 1024,
                64));
    assertThat(limits.shortestTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void environmentOverridesEachValue() throws ConfigException {
    LimitsConfig limits =
        ConfigLoader.parse(
                "gateway: { port: 8080 }",
                Map.of(
                    "XECURE_GATEWAY_LIMITS_MAX_CONNECTIONS", "20000",
                    "XECURE_GATEWAY_LIMITS_HEADER_TIMEOUT", "3s"))
            .gateway()
            .limits();

    assertThat(limits.maxConnections()).isEqualTo(20_000);
    assertThat(limits.headerTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(limits.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void reportsEveryBadValueWithItsPath() {
    assertThat(
            problems(
                """
                gateway:
                  limits:
                    header_timeout: 0s
                    body_idle_timeout: 2h
                    idle_timeout: soon
                    max_header_size: 100
                    max_uri: 2MiB
                    max_connections: 0
                    response_write_timeout: -1s
                    buffered_bodies: lots
                    max_upstream_connections: 100001
                    max_body: 1
                """))
        .containsExactlyInAnyOrder(
            "gateway.limits.header_timeout: must be a positive duration such as 500ms, 30s, 5m,"
                + " 24h or 7d, got \"0s\"",
            "gateway.limits.body_idle_timeout: must be a positive duration of at most 1h, got"
                + " \"2h\"",
            "gateway.limits.idle_timeout: must be a positive duration such as 500ms, 30s, 5m, 24h"
                + " or 7d, got \"soon\"",
            "gateway.limits.max_header_size: must be a size from 1KiB to 1MiB, got \"100\"",
            "gateway.limits.max_uri: must be a size from 1KiB to 1MiB, got \"2MiB\"",
            "gateway.limits.max_connections: must be an integer from 1 to 1000000, got \"0\"",
            "gateway.limits.response_write_timeout: must be a positive duration such as 500ms,"
                + " 30s, 5m, 24h or 7d, got \"-1s\"",
            "gateway.limits.buffered_bodies: must be a size such as 512KiB, 1MiB or 10MB (1 byte"
                + " to 1GiB), got \"lots\"",
            "gateway.limits.max_upstream_connections: must be an integer from 1 to 100000, got"
                + " \"100001\"",
            "gateway.limits.max_body: unknown field");
  }
}
