package io.xecure.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xecure.policy.access.AccessRule;
import io.xecure.policy.cors.CorsConfig;
import io.xecure.policy.keyauth.KeyAuthConfig;
import io.xecure.policy.keyauth.KeyLocation;
import io.xecure.policy.keyauth.KeyLocation.Kind;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.policy.ratelimit.PlanConfig.LimitBy;
import io.xecure.policy.ratelimit.PlanConfig.Quota;
import io.xecure.policy.ratelimit.PlanConfig.QuotaWindow;
import io.xecure.policy.ratelimit.PlanConfig.Rate;
import io.xecure.testing.ApiConfigBuilder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  /** SPEC §3, verbatim. */
  static final String SPEC_EXAMPLE =
      """
      gateway: { port: 8080, bind: 0.0.0.0 }
      admin:   { port: 8081, bind: 127.0.0.1, token: ${XECURE_ADMIN_TOKEN} }
      store:   { url: "jdbc:h2:file:./data/xecure" }   # or jdbc:postgresql://host/db
      cluster: { redis: "redis://127.0.0.1:6379" }      # optional; absent = single node
      keys:    { prefix: "xk_", pepper: ${XECURE_KEY_PEPPER} }
      plans:
        free: { rate: { limit: 10, per: 1s }, quota: { limit: 10000, per: month } }
        pro:  { rate: { limit: 1000, per: 1s } }
      apis:
        - name: users
          path: /users                     # longest prefix wins
          upstream: http://127.0.0.1:9000  # or a list of targets, round-robin, with health checks
          strip_path: false
          timeout: 30s
          key_auth:
            in: [ "header:X-API-Key", "bearer", "query:api_key", "body:api_key" ]   # tried in this order
            hide_credentials: true         # default true: the key never reaches the upstream
            anonymous: false               # true: no key = anonymous developer, limits still apply
          default_plan: free
          cors: { origins: [ "https://app.example.com" ], methods: [GET, POST], headers: [X-API-Key], max_age: 600 }
          access:                          # optional; first matching rule applies
            - { methods: [GET, HEAD], path: "/users/**", scopes: [ "users:read" ] }
            - { methods: [POST, PUT, PATCH, DELETE], path: "/users/**", scopes: [ "users:write" ] }
      """;

  @Test
  void specExampleParsesToTheExpectedRecords() throws ConfigException {
    GatewayConfig config =
        ConfigLoader.parse(
            SPEC_EXAMPLE,
            Map.of(
                "XECURE_ADMIN_TOKEN", "0123456789abcdef0123456789abcdef",
                "XECURE_KEY_PEPPER", "pepper-from-env-0123"));

    assertThat(config.gateway())
        .isEqualTo(new ListenConfig(8080, "0.0.0.0", List.of(), Duration.ofSeconds(10)));
    assertThat(config.admin())
        .isEqualTo(new AdminConfig(8081, "127.0.0.1", "0123456789abcdef0123456789abcdef"));
    assertThat(config.store()).isEqualTo(new StoreConfig("jdbc:h2:file:./data/xecure", null, null));
    assertThat(config.cluster()).isEqualTo(new ClusterConfig("redis://127.0.0.1:6379"));
    assertThat(config.keys()).isEqualTo(new KeysConfig("xk_", "pepper-from-env-0123"));
    assertThat(config.events()).isEqualTo(new EventsConfig(true, null));
    assertThat(config.plans())
        .containsExactly(
            Map.entry(
                "free",
                new PlanConfig(
                    new Rate(10, Duration.ofSeconds(1)),
                    new Quota(10000, QuotaWindow.MONTH),
                    LimitBy.KEY)),
            Map.entry(
                "pro", new PlanConfig(new Rate(1000, Duration.ofSeconds(1)), null, LimitBy.KEY)));
    assertThat(config.apis()).containsExactly(expectedUsersApi());
  }

  static ApiConfig expectedUsersApi() {
    return ApiConfigBuilder.api("users", "/users", "http://127.0.0.1:9000")
        .keyAuth(
            new KeyAuthConfig(
                List.of(
                    new KeyLocation(Kind.HEADER, "x-api-key"),
                    new KeyLocation(Kind.BEARER, "authorization"),
                    new KeyLocation(Kind.QUERY, "api_key"),
                    new KeyLocation(Kind.BODY, "api_key")),
                true,
                false,
                1024 * 1024))
        .defaultPlan("free")
        .cors(
            new CorsConfig(
                List.of("https://app.example.com"),
                List.of("GET", "POST"),
                List.of("X-API-Key"),
                600))
        .access(
            new AccessRule(List.of("GET", "HEAD"), "/users/**", List.of("users:read")),
            new AccessRule(
                List.of("POST", "PUT", "PATCH", "DELETE"), "/users/**", List.of("users:write")))
        .build();
  }

  @Test
  void specExampleWithoutTheEnvironmentLeavesTokenAndPepperUnset() throws ConfigException {
    GatewayConfig config = ConfigLoader.parse(SPEC_EXAMPLE, Map.of());

    assertThat(config.admin().token()).isNull();
    assertThat(config.keys().pepper()).isNull();
  }

  @Test
  void emptyFileIsAllDefaults() throws ConfigException {
    GatewayConfig config = ConfigLoader.parse("# nothing yet\n", Map.of());

    assertThat(config)
        .isEqualTo(
            new GatewayConfig(
                new ListenConfig(8080, "0.0.0.0", List.of(), Duration.ofSeconds(10)),
                new AdminConfig(8081, "127.0.0.1", null),
                new StoreConfig("jdbc:h2:file:./data/xecure", null, null),
                new ClusterConfig(null),
                new KeysConfig("xk_", null),
                new EventsConfig(true, null),
                Map.of(),
                List.of()));
  }

  @Test
  void apiDefaults() throws ConfigException {
    GatewayConfig config =
        ConfigLoader.parse(
            """
            apis:
              - name: orders
                path: /
                upstream: HTTPS://orders.internal:8443/v1
            """,
            Map.of());

    assertThat(config.apis())
        .containsExactly(
            ApiConfigBuilder.api("orders", "/", "https://orders.internal:8443/v1").build());
  }

  @Test
  void corsDefaultsAndAccessRuleWithoutMethods() throws ConfigException {
    GatewayConfig config =
        ConfigLoader.parse(
            """
            apis:
              - name: a
                path: /a
                upstream: http://localhost:9000
                cors: { origins: "*", max_age: 10m }
                access:
                  - { path: /a/*/x, scopes: [a:read] }
            """,
            Map.of());

    ApiConfig api = config.apis().get(0);
    assertThat(api.cors())
        .isEqualTo(new CorsConfig(List.of("*"), List.of("GET", "HEAD", "POST"), List.of(), 600));
    assertThat(api.access())
        .containsExactly(new AccessRule(List.of(), "/a/*/x", List.of("a:read")));
  }

  @Test
  void fullSchemaWithEveryOptionSet() throws ConfigException {
    GatewayConfig config =
        ConfigLoader.parse(
            """
            gateway:
              port: 0
              bind: "::"
              trusted_proxies: [10.0.0.0/8, 192.168.1.7, "fd00::/8", "::1"]
              shutdown_grace: 500ms
            admin: { port: 9001, bind: 0.0.0.0, token: "an-admin-token-of-32-characters!" }
            store: { url: "jdbc:postgresql://db/xecure", user: xecure, password: secret }
            cluster: { redis: "rediss://cache:6380" }
            keys: { prefix: "acme_live_", pepper: "p-0123456789abcdef" }
            events: { enabled: false, file: /var/log/xecure/events.jsonl }
            plans:
              team: { quota: { limit: 5, per: day }, limit_by: developer }
            apis:
              - name: reports
                path: /reports/v2
                upstream: [ "http://10.0.0.1:8080", "http://10.0.0.2:8080/base" ]
                strip_path: true
                timeout: 2m
                key_auth: { in: [ "query:key" ], hide_credentials: false, anonymous: true, max_body: 512KiB }
                default_plan: team
                access:
                  - { methods: [get], path: /reports/v2/**, scopes: [reports:read] }
            """,
            Map.of());

    assertThat(config.gateway())
        .isEqualTo(
            new ListenConfig(
                0,
                "::",
                List.of("10.0.0.0/8", "192.168.1.7/32", "fd00::/8", "::1/128"),
                Duration.ofMillis(500)));
    assertThat(config.admin())
        .isEqualTo(new AdminConfig(9001, "0.0.0.0", "an-admin-token-of-32-characters!"));
    assertThat(config.store())
        .isEqualTo(new StoreConfig("jdbc:postgresql://db/xecure", "xecure", "secret"));
    assertThat(config.cluster().redis()).isEqualTo("rediss://cache:6380");
    assertThat(config.keys()).isEqualTo(new KeysConfig("acme_live_", "p-0123456789abcdef"));
    assertThat(config.events()).isEqualTo(new EventsConfig(false, "/var/log/xecure/events.jsonl"));
    assertThat(config.plans())
        .containsExactly(
            Map.entry(
                "team", new PlanConfig(null, new Quota(5, QuotaWindow.DAY), LimitBy.DEVELOPER)));
    ApiConfig api = config.apis().get(0);
    assertThat(api.upstreams())
        .containsExactly(
            URI.create("http://10.0.0.1:8080"), URI.create("http://10.0.0.2:8080/base"));
    assertThat(api.stripPath()).isTrue();
    assertThat(api.timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(api.keyAuth())
        .isEqualTo(
            new KeyAuthConfig(List.of(new KeyLocation(Kind.QUERY, "key")), false, true, 524288));
    assertThat(api.access())
        .containsExactly(new AccessRule(List.of("GET"), "/reports/v2/**", List.of("reports:read")));
  }

  @Test
  void cleartextHttp2IsOffWithoutH2c() throws ConfigException {
    assertThat(ConfigLoader.parse("", Map.of()).gateway().h2c()).isFalse();
    assertThat(ConfigLoader.parse("gateway: { h2c: true }", Map.of()).gateway().h2c()).isTrue();
  }

  @Test
  void bracketedIpv6BindIsUnwrapped() throws ConfigException {
    GatewayConfig config =
        ConfigLoader.parse("gateway: { bind: \"[::1]\" }\nadmin: { bind: \"[::1]\" }", Map.of());

    assertThat(config.gateway().bind()).isEqualTo("::1");
    assertThat(config.admin().bind()).isEqualTo("::1");
  }

  @Test
  void durationsAndSizes() throws ConfigException {
    String yaml =
        """
        gateway: { shutdown_grace: %s }
        apis:
          - { name: a, path: /a, upstream: "http://h", key_auth: { max_body: %s } }
        """;
    Object[][] cases = {
      {"45", "100", Duration.ofSeconds(45), 100L},
      {"5m", "10MB", Duration.ofMinutes(5), 10_000_000L},
      {"24h", "1MiB", Duration.ofHours(24), 1048576L},
      {"7d", "1GiB", Duration.ofDays(7), 1073741824L},
      {"0s", "2KB", Duration.ZERO, 2000L},
      {"250ms", "3kib", Duration.ofMillis(250), 3072L},
    };
    for (Object[] c : cases) {
      GatewayConfig config = ConfigLoader.parse(yaml.formatted(c[0], c[1]), Map.of());
      assertThat(config.gateway().shutdownGrace()).as("%s", c[0]).isEqualTo(c[2]);
      assertThat(config.apis().get(0).keyAuth().maxBody()).as("%s", c[1]).isEqualTo(c[3]);
    }
  }

  @Test
  void loadsAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("xecure.yaml");
    Files.writeString(file, "gateway: { port: 9999 }\n");

    assertThat(ConfigLoader.load(file, Map.of()).gateway().port()).isEqualTo(9999);
  }

  @Test
  void missingFileIsOneProblem(@TempDir Path dir) {
    Path file = dir.resolve("absent.yaml");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ": no such file");
  }

  @Test
  void accessLogIsOnByDefaultAndSwitchable() throws ConfigException {
    assertThat(ConfigLoader.parse("", Map.of()).events().accessLog()).isTrue();
    assertThat(ConfigLoader.parse("events: { access_log: false }", Map.of()).events())
        .isEqualTo(new EventsConfig(true, null, false));
    assertThat(
            ConfigLoader.parse(
                    "events: { access_log: true }", Map.of("XECURE_EVENTS_ACCESS_LOG", "false"))
                .events()
                .accessLog())
        .isFalse();
    assertThatThrownBy(() -> ConfigLoader.parse("events: { access_log: maybe }", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("events.access_log: ");
  }

  @Test
  void metricsTokenIsOptionalAndDecidesWhetherMetricsNeedOne() throws ConfigException {
    AdminConfig open = ConfigLoader.parse("", Map.of()).admin();
    assertThat(open.metricsToken()).isNull();
    assertThat(open.metricsNeedToken()).isFalse();

    AdminConfig withToken =
        ConfigLoader.parse(
                "admin: { metrics_token: ${M} }", Map.of("M", "metrics-token-0123456789"))
            .admin();
    assertThat(withToken)
        .isEqualTo(new AdminConfig(8081, "127.0.0.1", null, "metrics-token-0123456789"));
    assertThat(withToken.metricsNeedToken()).isTrue();

    AdminConfig exposed =
        ConfigLoader.parse(
                "admin: { bind: 0.0.0.0, token: an-admin-token-of-32-characters! }", Map.of())
            .admin();
    assertThat(exposed.metricsNeedToken()).isTrue();

    assertThatThrownBy(() -> ConfigLoader.parse("admin: { metrics_token: short }", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin.metrics_token: must be at least 16 characters");
  }
}
