package io.xecure.policy.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xecure.config.ApiConfig;
import io.xecure.config.BadValue;
import io.xecure.config.Section;
import io.xecure.config.Values;
import io.xecure.pipeline.Policy;
import io.xecure.policy.PolicyDefinition;
import io.xecure.policy.PolicyJson;
import io.xecure.policy.PolicyServices;
import java.util.Set;
import java.util.TreeSet;

/**
 * rate-limit's settings: an API's {@code default_plan}. The policy is on for every API, since a
 * key's own plan applies wherever it calls. The plans themselves are the top-level {@code plans}
 * mapping, bound by {@link PlanParser} and written by {@link #toJson(PlanConfig)}.
 */
public final class RateLimitDefinition implements PolicyDefinition<RateLimitConfig> {
  public static final RateLimitDefinition INSTANCE = new RateLimitDefinition();

  private static final ObjectNode SCHEMA =
      PolicyJson.parse("{\"default_plan\": {\"type\": \"string\"}}");

  private RateLimitDefinition() {}

  @Override
  public String id() {
    return RateLimitPolicy.ID;
  }

  @Override
  public int order() {
    return RateLimitPolicy.ORDER;
  }

  @Override
  public RateLimitConfig parse(Section api, ParseContext context) {
    String defaultPlan = api.optional("default_plan", v -> plan(v, context.planNames()));
    return defaultPlan == null ? RateLimitConfig.NONE : new RateLimitConfig(defaultPlan);
  }

  private static String plan(JsonNode value, Set<String> planNames) throws BadValue {
    String name = Values.text(value);
    if (!planNames.contains(name)) {
      String known =
          planNames.isEmpty()
              ? "no plans are defined"
              : "plans: " + String.join(", ", new TreeSet<>(planNames));
      throw new BadValue("unknown plan " + BadValue.quote(name) + " (" + known + ")");
    }
    return name;
  }

  @Override
  public void toJson(RateLimitConfig settings, ObjectNode api) {
    if (settings.defaultPlan() != null) {
      api.put("default_plan", settings.defaultPlan());
    }
  }

  @Override
  public ObjectNode schema() {
    return SCHEMA.deepCopy();
  }

  @Override
  public Policy create(RateLimitConfig settings, ApiConfig api, PolicyServices services) {
    return new RateLimitPolicy(services.plans(), settings.defaultPlan(), services.limiter());
  }

  /**
   * A plan as JSON, in the shape {@link PlanParser} reads back to an equal plan; an absent rate or
   * quota is left out.
   */
  public static ObjectNode toJson(PlanConfig plan) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    PlanConfig.Rate rate = plan.rate();
    if (rate != null) {
      json.putObject("rate").put("limit", rate.limit()).put("per", Values.format(rate.per()));
    }
    PlanConfig.Quota quota = plan.quota();
    if (quota != null) {
      json.putObject("quota").put("limit", quota.limit()).put("per", PolicyJson.lower(quota.per()));
    }
    json.put("limit_by", PolicyJson.lower(plan.limitBy()));
    return json;
  }
}
