package io.xecure.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xecure.policy.access.AccessRule;
import io.xecure.policy.cors.CorsConfig;
import io.xecure.policy.keyauth.KeyAuthConfig;
import io.xecure.policy.keyauth.KeyLocation;
import io.xecure.policy.ratelimit.PlanConfig;
import java.util.List;
import java.util.Locale;

/**
 * APIs and plans as JSON for the admin API, in the snake_case shape that {@link
 * ConfigLoader#parseApi} and {@link ConfigLoader#parsePlan} read back to equal records. Every field
 * is written, defaults included, so a GET shows what is in force; absent optional values
 * (default_plan, cors, a plan's rate or quota) are left out. Durations are strings ("30s"), sizes
 * and max_age are numbers (bytes, seconds), upstream is always a list.
 */
public final class ConfigJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ConfigJson() {}

  public static ObjectNode toJson(ApiConfig api) {
    ObjectNode json = JSON.objectNode();
    json.put("name", api.name());
    json.put("path", api.path());
    json.set("upstream", strings(api.upstreams().stream().map(Object::toString).toList()));
    json.put("strip_path", api.stripPath());
    json.put("timeout", Values.format(api.timeout()));
    json.set("key_auth", toJson(api.keyAuth()));
    if (api.defaultPlan() != null) {
      json.put("default_plan", api.defaultPlan());
    }
    if (api.cors() != null) {
      json.set("cors", toJson(api.cors()));
    }
    ArrayNode access = json.putArray("access");
    api.access().forEach(rule -> access.add(toJson(rule)));
    return json;
  }

  public static ObjectNode toJson(PlanConfig plan) {
    ObjectNode json = JSON.objectNode();
    PlanConfig.Rate rate = plan.rate();
    if (rate != null) {
      json.putObject("rate").put("limit", rate.limit()).put("per", Values.format(rate.per()));
    }
    PlanConfig.Quota quota = plan.quota();
    if (quota != null) {
      json.putObject("quota").put("limit", quota.limit()).put("per", lower(quota.per()));
    }
    json.put("limit_by", lower(plan.limitBy()));
    return json;
  }

  private static ObjectNode toJson(KeyAuthConfig keyAuth) {
    ObjectNode json = JSON.objectNode();
    json.set("in", strings(keyAuth.in().stream().map(KeyLocation::toString).toList()));
    json.put("hide_credentials", keyAuth.hideCredentials());
    json.put("anonymous", keyAuth.anonymous());
    json.put("max_body", keyAuth.maxBody());
    return json;
  }

  private static ObjectNode toJson(CorsConfig cors) {
    ObjectNode json = JSON.objectNode();
    json.set("origins", strings(cors.origins()));
    json.set("methods", strings(cors.methods()));
    json.set("headers", strings(cors.headers()));
    json.put("max_age", cors.maxAgeSeconds());
    return json;
  }

  private static ObjectNode toJson(AccessRule rule) {
    ObjectNode json = JSON.objectNode();
    json.set("methods", strings(rule.methods()));
    json.put("path", rule.path());
    json.set("scopes", strings(rule.scopes()));
    return json;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode array = JSON.arrayNode();
    values.forEach(array::add);
    return array;
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
