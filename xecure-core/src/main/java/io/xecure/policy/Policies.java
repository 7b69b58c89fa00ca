package io.xecure.policy;

import io.xecure.config.ApiConfig;
import io.xecure.pipeline.Policy;
import io.xecure.policy.access.AccessDefinition;
import io.xecure.policy.bruteforce.BruteForceDefinition;
import io.xecure.policy.cors.CorsDefinition;
import io.xecure.policy.keyauth.KeyAuthDefinition;
import io.xecure.policy.ratelimit.RateLimitDefinition;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The one list of policies. Adding a policy is one package and one line here. */
public final class Policies {
  /**
   * Every policy, in the order its fields appear in an API's configuration and JSON (key_auth,
   * default_plan, cors, access); the chain runs them by {@link PolicyDefinition#order()}.
   */
  public static final List<PolicyDefinition<?>> ALL =
      List.of(
          KeyAuthDefinition.INSTANCE,
          RateLimitDefinition.INSTANCE,
          CorsDefinition.INSTANCE,
          AccessDefinition.INSTANCE,
          BruteForceDefinition.INSTANCE);

  private Policies() {}

  /** The policies of one API, each built from its settings; the pipeline orders them. */
  public static List<Policy> create(ApiConfig api, PolicyServices services) {
    List<Policy> policies = new ArrayList<>(ALL.size());
    for (PolicyDefinition<?> definition : ALL) {
      Policy policy = create(definition, api, services);
      if (policy != null) {
        policies.add(policy);
      }
    }
    return policies;
  }

  private static <C> @Nullable Policy create(
      PolicyDefinition<C> definition, ApiConfig api, PolicyServices services) {
    C settings = api.policies().get(definition);
    return settings == null ? null : definition.create(settings, api, services);
  }
}
