package io.xecure.config;

import static io.xecure.config.ConfigErrorsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.policy.keyauth.KeyLocation;
import io.xecure.policy.ratelimit.PlanConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigEnvironmentTest {
  private static GatewayConfig parse(String yaml, Map<String, String> env) throws ConfigException {
    return ConfigLoader.parse(yaml, env);
  }

  @Test
  void substitutesVariablesInScalars() throws ConfigException {
    GatewayConfig config =
        parse(
            """
            gateway: { port: "${PORT}", bind: ${BIND:-127.0.0.1} }
            store:
              url: jdbc:postgresql://${DB_HOST}:${DB_PORT:-5432}/xecure
              user: ${DB_USER}
            keys: { prefix: "${PREFIX:-xk_}" }
            """,
            Map.of("PORT", "9090", "DB_HOST", "db.internal", "DB_USER", "gw"));

    assertThat(config.gateway().port()).isEqualTo(9090);
    assertThat(config.gateway().bind()).isEqualTo("127.0.0.1");
    assertThat(config.store().url()).isEqualTo("jdbc:postgresql://db.internal:5432/xecure");
    assertThat(config.store().user()).isEqualTo("gw");
    assertThat(config.keys().prefix()).isEqualTo("xk_");
  }

  @Test
  void unsetOrEmptyWholeValueIsAbsent() throws ConfigException {
    GatewayConfig config =
        parse("admin: { token: ${ADMIN_TOKEN} }\ngateway: { port: ${PORT} }\n", Map.of("PORT", ""));

    assertThat(config.admin().token()).isNull();
    assertThat(config.gateway().port()).isEqualTo(8080);
  }

  @Test
  void defaultReplacesAnEmptyValueAsInAShell() throws ConfigException {
    assertThat(parse("gateway: { port: ${PORT:-81} }", Map.of("PORT", "")).gateway().port())
        .isEqualTo(81);
  }

  @Test
  void unsetVariableInsideALongerValueIsAProblem() {
    assertThat(problems("store: { url: \"jdbc:postgresql://${DB_HOST}/xecure\" }"))
        .containsExactly("store.url: environment variable DB_HOST is not set");
  }

  @Test
  void invalidReferenceIsAProblem() {
    assertThat(problems("events: { file: \"/var/${1BAD}/x\" }"))
        .containsExactly(
            "events.file: invalid reference \"${1BAD}\", expected ${NAME} or ${NAME:-default}");
  }

  @Test
  void doubleDollarIsALiteral() throws ConfigException {
    assertThat(parse("store: { password: \"p$${NOT_A_VAR}\" }", Map.of()).store().password())
        .isEqualTo("p${NOT_A_VAR}");
  }

  @Test
  void substitutedValueIsNeverParsedAsYaml() throws ConfigException {
    GatewayConfig config =
        parse("admin: { token: ${T} }", Map.of("T", "x}, port: 1, y: {z: 0123456789abcdef"));

    assertThat(config.admin().token()).isEqualTo("x}, port: 1, y: {z: 0123456789abcdef");
    assertThat(config.admin().port()).isEqualTo(8081);
  }

  @Test
  void substitutedValueIsValidatedAtItsPath() {
    assertThat(problems("gateway: { port: ${PORT} }", Map.of("PORT", "http")))
        .containsExactly("gateway.port: must be an integer from 0 to 65535, got \"http\"");
  }

  @Test
  void overridesEveryScalarSection() throws ConfigException {
    GatewayConfig config =
        parse(
            "gateway: { port: 8080 }\n",
            Map.of(
                "XECURE_GATEWAY_PORT", "9000",
                "XECURE_GATEWAY_SHUTDOWN_GRACE", "1m",
                "XECURE_ADMIN_TOKEN", "0123456789abcdef0123456789abcdef",
                "XECURE_ADMIN_BIND", "0.0.0.0",
                "XECURE_STORE_URL", "jdbc:postgresql://db/x",
                "XECURE_STORE_PASSWORD", "pw",
                "XECURE_CLUSTER_REDIS", "redis://cache:6379",
                "XECURE_KEYS_PEPPER", "pepper-0123456789",
                "XECURE_EVENTS_FILE", "/tmp/events.jsonl",
                "XECURE_EVENTS_ENABLED", "false"));

    assertThat(config.gateway().port()).isEqualTo(9000);
    assertThat(config.gateway().shutdownGrace()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.admin())
        .isEqualTo(new AdminConfig(8081, "0.0.0.0", "0123456789abcdef0123456789abcdef"));
    assertThat(config.store()).isEqualTo(new StoreConfig("jdbc:postgresql://db/x", null, "pw"));
    assertThat(config.cluster().redis()).isEqualTo("redis://cache:6379");
    assertThat(config.keys().pepper()).isEqualTo("pepper-0123456789");
    assertThat(config.events()).isEqualTo(new EventsConfig(false, "/tmp/events.jsonl"));
  }

  @Test
  void overrideWinsOverTheFileAndItsSubstitution() throws ConfigException {
    GatewayConfig config =
        parse(
            "admin: { token: ${XECURE_ADMIN_TOKEN} }\nkeys: { pepper: ${XECURE_KEY_PEPPER} }\n",
            Map.of(
                "XECURE_ADMIN_TOKEN", "token-token-token-1",
                "XECURE_KEY_PEPPER", "from-file-reference",
                "XECURE_KEYS_PEPPER", "from-override-0123"));

    assertThat(config.admin().token()).isEqualTo("token-token-token-1");
    assertThat(config.keys().pepper()).isEqualTo("from-override-0123");
  }

  @Test
  void badOverrideIsReportedAtItsPath() {
    assertThat(problems("", Map.of("XECURE_GATEWAY_PORT", "abc")))
        .containsExactly("gateway.port: must be an integer from 0 to 65535, got \"abc\"");
  }

  @Test
  void overridesListsWholeOrByIndex() throws ConfigException {
    GatewayConfig config =
        parse(
            """
            apis:
              - name: a
                path: /a
                upstream: [ "http://one", "http://two" ]
                key_auth: { in: [ "header:X-Key", "bearer" ] }
            """,
            Map.of(
                "XECURE_GATEWAY_TRUSTED_PROXIES", "10.0.0.0/8, ::1",
                "XECURE_APIS_0_UPSTREAM_1", "http://three",
                "XECURE_APIS_0_KEY_AUTH_IN", "query:k"));

    assertThat(config.gateway().trustedProxies()).containsExactly("10.0.0.0/8", "::1/128");
    assertThat(config.apis().get(0).upstreams())
        .containsExactly(URI.create("http://one"), URI.create("http://three"));
    assertThat(config.apis().get(0).keyAuth().in())
        .containsExactly(new KeyLocation(KeyLocation.Kind.QUERY, "k"));
  }

  @Test
  void overridesApiAndPlanValuesWhereTheyExist() throws ConfigException {
    GatewayConfig config =
        parse(
            """
            plans:
              free-tier: { rate: { limit: 10, per: 1s } }
            apis:
              - { name: a, path: /a, upstream: "http://one" }
            """,
            Map.of(
                "XECURE_APIS_0_UPSTREAM", "http://two",
                "XECURE_APIS_0_TIMEOUT", "5s",
                "XECURE_APIS_0_KEY_AUTH_ANONYMOUS", "true",
                "XECURE_PLANS_FREE_TIER_RATE_LIMIT", "20",
                "XECURE_APIS_1_UPSTREAM", "http://nobody",
                "XECURE_PLANS_GOLD_RATE_LIMIT", "5",
                "XECURE_PLANS_FREE_TIER_QUOTA_LIMIT", "5",
                "XECURE_TEST_PG_URL", "not a config path"));

    ApiConfig api = config.apis().get(0);
    assertThat(api.upstreams()).containsExactly(URI.create("http://two"));
    assertThat(api.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(api.keyAuth().anonymous()).isTrue();
    assertThat(config.apis()).hasSize(1);
    assertThat(config.plans())
        .containsExactly(
            Map.entry(
                "free-tier",
                new PlanConfig(
                    new PlanConfig.Rate(20, Duration.ofSeconds(1)), null, PlanConfig.LimitBy.KEY)));
  }

  @Test
  void emptyOverrideUnsetsTheValue() throws ConfigException {
    GatewayConfig config =
        parse(
            "cluster: { redis: \"redis://cache\" }\ngateway: { port: 1, trusted_proxies: [\"::1\"] }",
            Map.of(
                "XECURE_CLUSTER_REDIS", "",
                "XECURE_GATEWAY_PORT", "",
                "XECURE_GATEWAY_TRUSTED_PROXIES", ""));

    assertThat(config.cluster().redis()).isNull();
    assertThat(config.gateway().port()).isEqualTo(8080);
    assertThat(config.gateway().trustedProxies()).isEmpty();
  }

  @Test
  void overridesAreLiteral() throws ConfigException {
    assertThat(
            parse("", Map.of("XECURE_STORE_PASSWORD", "${NOT_EXPANDED}", "NOT_EXPANDED", "x"))
                .store()
                .password())
        .isEqualTo("${NOT_EXPANDED}");
  }

  @Test
  void envNames() {
    assertThat(
            List.of(
                "admin.token",
                "apis[0].upstream",
                "apis[12].key_auth.in[1]",
                "plans.free-tier.rate.per"))
        .extracting(Section::envName)
        .containsExactly(
            "XECURE_ADMIN_TOKEN",
            "XECURE_APIS_0_UPSTREAM",
            "XECURE_APIS_12_KEY_AUTH_IN_1",
            "XECURE_PLANS_FREE_TIER_RATE_PER");
  }
}
