package io.xecure.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xecure.policy.access.AccessRule;
import io.xecure.policy.keyauth.KeyAuthConfig;
import io.xecure.policy.keyauth.KeyLocation;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.policy.ratelimit.PlanConfig.LimitBy;
import io.xecure.policy.ratelimit.PlanConfig.Quota;
import io.xecure.policy.ratelimit.PlanConfig.QuotaWindow;
import io.xecure.policy.ratelimit.PlanConfig.Rate;
import io.xecure.testing.ApiConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void apiJsonShape() throws Exception {
    JsonNode json = ConfigJson.toJson(ConfigLoaderTest.expectedUsersApi());

    assertThat(json.toString())
        .isEqualTo(
            JSON.readTree(
                    """
                {"name":"users","path":"/users","upstream":["http://127.0.0.1:9000"],
                 "strip_path":false,"timeout":"30s",
                 "key_auth":{"in":["header:x-api-key","bearer","query:api_key","body:api_key"],
                             "hide_credentials":true,"anonymous":false,"max_body":1048576},
                 "default_plan":"free",
                 "cors":{"origins":["https://app.example.com"],"methods":["GET","POST"],
                         "headers":["X-API-Key"],"max_age":600},
                 "access":[{"methods":["GET","HEAD"],"path":"/users/**","scopes":["users:read"]},
                           {"methods":["POST","PUT","PATCH","DELETE"],"path":"/users/**",
                            "scopes":["users:write"]}]}
                """)
                .toString());
  }

  @Test
  void apiRoundTrips() throws ConfigException {
    ApiConfig users = ConfigLoaderTest.expectedUsersApi();
    ApiConfig minimal =
        ApiConfigBuilder.api("min", "/", "https://a:1/x")
            .upstreams("https://a:1/x", "http://b")
            .stripPath(true)
            .timeout(Duration.ofMillis(1500))
            .keyAuth(
                new KeyAuthConfig(
                    List.of(new KeyLocation(KeyLocation.Kind.BODY, "k")), false, true, 7))
            .access(new AccessRule(List.of(), "/**", List.of("*")))
            .build();

    for (ApiConfig api : List.of(users, minimal)) {
      assertThat(ConfigLoader.parseApi(ConfigJson.toJson(api), Set.of("free"), "api"))
          .isEqualTo(api);
    }
  }

  @Test
  void planRoundTrips() throws ConfigException {
    List<PlanConfig> plans =
        List.of(
            new PlanConfig(new Rate(10, Duration.ofSeconds(1)), null, LimitBy.KEY),
            new PlanConfig(null, new Quota(100, QuotaWindow.HOUR), LimitBy.DEVELOPER),
            new PlanConfig(
                new Rate(5, Duration.ofDays(1)), new Quota(1, QuotaWindow.MINUTE), LimitBy.KEY));

    for (PlanConfig plan : plans) {
      assertThat(ConfigLoader.parsePlan(ConfigJson.toJson(plan), "plan")).isEqualTo(plan);
    }
    assertThat(ConfigJson.toJson(plans.get(2)).toString())
        .isEqualTo(
            "{\"rate\":{\"limit\":5,\"per\":\"1d\"},\"quota\":{\"limit\":1,\"per\":\"minute\"},"
                + "\"limit_by\":\"key\"}");
  }

  @Test
  void durationsFormatToTheirShortestExactUnit() {
    assertThat(
            List.of(
                    Duration.ZERO,
                    Duration.ofMillis(250),
                    Duration.ofSeconds(90),
                    Duration.ofMinutes(2),
                    Duration.ofHours(36),
                    Duration.ofDays(7))
                .stream()
                .map(Values::format))
        .containsExactly("0s", "250ms", "90s", "2m", "36h", "7d");
  }

  @Test
  void parseApiReportsWithTheGivenPrefixAndIgnoresTheEnvironment() throws Exception {
    JsonNode body =
        JSON.readTree(
            """
            {"name": "users", "path": "users", "upstream": "http://h", "default_plan": "gold",
             "key_auth": {"in": ["cookie:x"]}, "extra": 1}
            """);

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> ConfigLoader.parseApi(body, Set.of("free"), "api"));

    assertThat(e.problems())
        .containsExactly(
            "api.path: must start with /, got \"users\"",
            "api.key_auth.in[0]: expected header:NAME, bearer, query:NAME or body:FIELD, got"
                + " \"cookie:x\"",
            "api.default_plan: unknown plan \"gold\" (plans: free)",
            "api.extra: unknown field");
  }

  @Test
  void parseWithoutPrefix() throws Exception {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> ConfigLoader.parsePlan(JSON.readTree("{\"rate\": {\"limit\": -1}}"), ""));

    assertThat(e.problems())
        .containsExactly("rate.limit: must be a positive integer, got -1", "rate.per: required");
    assertThat(
            catchThrowableOfType(
                    ConfigException.class,
                    () -> ConfigLoader.parseApi(JSON.readTree("[]"), Set.of(), ""))
                .problems())
        .containsExactly("(root): expected a mapping, got a list");
  }
}
