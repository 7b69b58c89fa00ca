package io.xecure.policy.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xecure.config.ApiConfig;
import io.xecure.config.BadValue;
import io.xecure.config.Section;
import io.xecure.config.Values;
import io.xecure.pipeline.Policy;
import io.xecure.policy.PolicyDefinition;
import io.xecure.policy.PolicyJson;
import io.xecure.policy.PolicyServices;
import io.xecure.routing.CanonicalTarget;
import io.xecure.routing.PathCanonicaliser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * access's settings: an API's {@code access} rules, in order. The policy is on for every API (an
 * API without rules still checks a key's grants and networks).
 */
public final class AccessDefinition implements PolicyDefinition<List<AccessRule>> {
  public static final AccessDefinition INSTANCE = new AccessDefinition();

  private static final ObjectNode SCHEMA =
      PolicyJson.parse(
          """
          {"access": {"type": "array", "items": {"type": "object", "properties": {
            "methods": {"type": "array", "items": {"type": "string"}},
            "path": {"type": "string"},
            "scopes": {"type": "array", "items": {"type": "string"}}}}}}
          """);

  private AccessDefinition() {}

  @Override
  public String id() {
    return AccessPolicy.ID;
  }

  @Override
  public int order() {
    return AccessPolicy.ORDER;
  }

  @Override
  public List<AccessRule> parse(Section api, ParseContext context) {
    List<AccessRule> rules = new ArrayList<>();
    api.eachSection(
        "access",
        rule -> {
          AccessRule parsed = accessRule(rule);
          if (parsed != null) {
            rules.add(parsed);
          }
        });
    return List.copyOf(rules);
  }

  private static @Nullable AccessRule accessRule(Section rule) {
    List<String> methods = rule.list("methods", List.of(), Values::method);
    String path = rule.required("path", AccessDefinition::pattern);
    List<String> scopes = rule.nonEmptyList("scopes", AccessDefinition::scope);
    if (scopes == null) {
      rule.problems().add(rule.path("scopes"), "required");
    }
    rule.finish();
    return path == null || scopes == null
        ? null
        : new AccessRule(List.copyOf(methods), path, List.copyOf(scopes));
  }

  /** A path pattern over canonical paths: '*' is one whole segment, '**' any number of them. */
  private static String pattern(JsonNode value) throws BadValue {
    String path = Values.text(value).trim();
    if (!path.startsWith("/")) {
      throw BadValue.got("must start with /", value);
    }
    for (String segment : path.split("/", -1)) {
      if (segment.contains("*") && !segment.equals("*") && !segment.equals("**")) {
        throw BadValue.got("* and ** must be whole segments", value);
      }
    }
    if (!path.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
      throw BadValue.got("must not contain spaces or control characters", value);
    }
    // the access policy matches patterns against canonical paths: one the canonicaliser refuses
    // (an encoded slash, ';', a climb above the root) could never match a request
    CanonicalTarget canonical = PathCanonicaliser.canonicalise(path, null);
    if (!canonical.valid()) {
      throw BadValue.got("is not a valid path (" + canonical.problem() + ")", value);
    }
    if (canonical.rawQuery() != null) {
      throw BadValue.got("must not contain '?'", value);
    }
    // the canonical form decodes %2A to '*', which a pattern reads as a wildcard
    if (path.toUpperCase(Locale.ROOT).contains("%2A")) {
      throw BadValue.got("must not contain %2A: '*' is a wildcard segment", value);
    }
    return path;
  }

  private static String scope(JsonNode value) throws BadValue {
    String scope = Values.text(value).trim();
    if (scope.isEmpty() || !scope.chars().allMatch(c -> c > 0x20 && c != 0x7F)) {
      throw BadValue.got("must be a scope such as users:read, without spaces", value);
    }
    return scope;
  }

  @Override
  public void toJson(List<AccessRule> rules, ObjectNode api) {
    ArrayNode access = api.putArray("access");
    for (AccessRule rule : rules) {
      ObjectNode json = access.addObject();
      json.set("methods", PolicyJson.strings(rule.methods()));
      json.put("path", rule.path());
      json.set("scopes", PolicyJson.strings(rule.scopes()));
    }
  }

  @Override
  public ObjectNode schema() {
    return SCHEMA.deepCopy();
  }

  @Override
  public Set<String> alwaysWritten() {
    return Set.of("access");
  }

  @Override
  public Policy create(List<AccessRule> rules, ApiConfig api, PolicyServices services) {
    return new AccessPolicy(api.name(), rules);
  }
}
