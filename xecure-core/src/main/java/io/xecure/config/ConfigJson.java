package io.xecure.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xecure.policy.Policies;
import io.xecure.policy.PolicyDefinition;
import io.xecure.policy.PolicyJson;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.policy.ratelimit.RateLimitDefinition;

/**
 * APIs and plans as JSON for the admin API, in the snake_case shape that {@link
 * ConfigLoader#parseApi} and {@link ConfigLoader#parsePlan} read back to equal records. Every field
 * is written, defaults included, so a GET shows what is in force; absent optional values
 * (default_plan, cors, a plan's rate or quota) are left out. Durations are strings ("30s"), sizes
 * and max_age are numbers (bytes, seconds), upstream is always a list. Each policy writes its own
 * fields (see {@link PolicyDefinition#toJson}).
 */
public final class ConfigJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ConfigJson() {}

  public static ObjectNode toJson(ApiConfig api) {
    ObjectNode json = JSON.objectNode();
    json.put("name", api.name());
    json.put("path", api.path());
    json.set(
        "upstream", PolicyJson.strings(api.upstreams().stream().map(Object::toString).toList()));
    json.put("strip_path", api.stripPath());
    json.put("timeout", Values.format(api.timeout()));
    if (api.upstreamCa() != null) {
      json.put("upstream_ca", api.upstreamCa());
    }
    for (PolicyDefinition<?> definition : Policies.ALL) {
      write(definition, api, json);
    }
    return json;
  }

  private static <C> void write(PolicyDefinition<C> definition, ApiConfig api, ObjectNode json) {
    C settings = api.policies().get(definition);
    if (settings != null) {
      definition.toJson(settings, json);
    }
  }

  public static ObjectNode toJson(PlanConfig plan) {
    return RateLimitDefinition.toJson(plan);
  }
}
