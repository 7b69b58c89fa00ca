package io.xecure.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.xecure.config.ApiConfig;
import io.xecure.config.ConfigJson;
import io.xecure.config.ConfigLoader;
import io.xecure.config.LimitsConfig;
import io.xecure.keys.KeyFormat;
import io.xecure.keys.KeyHasher;
import io.xecure.keys.KeyIndex;
import io.xecure.keys.KeyVerifier;
import io.xecure.pipeline.Pipeline;
import io.xecure.pipeline.Policy;
import io.xecure.policy.bruteforce.BruteForceConfig;
import io.xecure.policy.bruteforce.FailureTracker;
import io.xecure.policy.cors.CorsConfig;
import io.xecure.policy.keyauth.BodyBudget;
import io.xecure.policy.ratelimit.MemoryLimiterStore;
import io.xecure.testing.ApiConfigBuilder;
import io.xecure.testing.MutableClock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PoliciesTest {
  private final MutableClock clock = new MutableClock("2026-01-01T00:00:00Z");
  private final PolicyServices services =
      new PolicyServices(
          new KeyVerifier(new KeyFormat("xk_"), new KeyHasher(null), new KeyIndex()),
          clock,
          new FailureTracker(BruteForceConfig.DEFAULT, clock),
          new MemoryLimiterStore(clock),
          Map.of(),
          new BodyBudget(LimitsConfig.DEFAULT.bufferedBodies()));

  @Test
  void eachPolicyIsListedOnceAndBuildsWhatItsDefinitionSays() {
    ApiConfig api =
        ApiConfigBuilder.api("users", "/users", "http://127.0.0.1:9000")
            .cors(new CorsConfig(List.of("*"), List.of("GET"), List.of(), 600))
            .build();

    List<Policy> built = Policies.create(api, services);

    assertThat(built).hasSize(Policies.ALL.size());
    for (int i = 0; i < built.size(); i++) {
      assertThat(built.get(i).id()).isEqualTo(Policies.ALL.get(i).id());
      assertThat(built.get(i).order()).isEqualTo(Policies.ALL.get(i).order());
    }
    assertThat(Policies.ALL.stream().map(PolicyDefinition::id).distinct()).hasSize(built.size());
    assertThat(Policies.ALL.stream().map(PolicyDefinition::order).distinct()).hasSize(built.size());
  }

  @Test
  void theChainRunsCorsThenBruteForceThenKeyAuthThenAccessThenLimits() {
    ApiConfig api =
        ApiConfigBuilder.api("users", "/users", "http://127.0.0.1:9000")
            .cors(new CorsConfig(List.of("*"), List.of("GET"), List.of(), 600))
            .build();

    Pipeline pipeline =
        new Pipeline(Policies.create(api, services), exchange -> Future.succeededFuture());

    assertThat(pipeline.policies().stream().map(Policy::id))
        .containsExactly("cors", "brute-force", "key-auth", "access", "rate-limit");
  }

  @Test
  void aPolicyWithoutSettingsIsNotInTheChain() {
    ApiConfig api = ApiConfigBuilder.api("users", "/users", "http://127.0.0.1:9000").build();

    assertThat(Policies.create(api, services).stream().map(Policy::id)).doesNotContain("cors");
  }

  @Test
  void eachPolicyReadsBackWhatItWrites() throws Exception {
    ApiConfig api =
        ApiConfigBuilder.api("users", "/users", "http://127.0.0.1:9000")
            .keyIn("bearer", "query:api_key")
            .cors(new CorsConfig(List.of("https://a.example"), List.of("GET"), List.of(), 60))
            .defaultPlan("free")
            .build();

    ApiConfig read = ConfigLoader.parseApi(ConfigJson.toJson(api), Set.of("free"), "");

    for (PolicyDefinition<?> definition : Policies.ALL) {
      assertThat(read.policies().get(definition))
          .as(definition.id())
          .isEqualTo(api.policies().get(definition));
    }
  }
}
