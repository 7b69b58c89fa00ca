package io.xecure.policy.keyauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xecure.config.ApiConfig;
import io.xecure.config.BadValue;
import io.xecure.config.Section;
import io.xecure.config.Values;
import io.xecure.pipeline.Policy;
import io.xecure.policy.PolicyDefinition;
import io.xecure.policy.PolicyJson;
import io.xecure.policy.PolicyServices;
import java.util.List;
import java.util.Set;

/** key-auth's settings: the {@code key_auth} mapping of an API, always present (SPEC §3). */
public final class KeyAuthDefinition implements PolicyDefinition<KeyAuthConfig> {
  public static final KeyAuthDefinition INSTANCE = new KeyAuthDefinition();

  private static final List<KeyLocation> DEFAULT_IN =
      List.of(new KeyLocation(KeyLocation.Kind.HEADER, "x-api-key"));

  private static final ObjectNode SCHEMA =
      PolicyJson.parse(
          """
          {"key_auth": {"type": "object", "properties": {
            "in": {"type": "array", "items": {"type": "string"}},
            "hide_credentials": {"type": "boolean"},
            "anonymous": {"type": "boolean"},
            "max_body": {"type": "integer", "description": "bytes"}}}}
          """);

  private KeyAuthDefinition() {}

  @Override
  public String id() {
    return KeyAuthPolicy.ID;
  }

  @Override
  public int order() {
    return KeyAuthPolicy.ORDER;
  }

  @Override
  public KeyAuthConfig parse(Section api, ParseContext context) {
    Section keyAuth = api.section("key_auth");
    List<KeyLocation> in = keyAuth.nonEmptyList("in", KeyAuthDefinition::keyLocation);
    boolean hide = keyAuth.get("hide_credentials", true, Values::bool);
    boolean anonymous = keyAuth.get("anonymous", false, Values::bool);
    long maxBody = keyAuth.get("max_body", KeyAuthConfig.DEFAULT_MAX_BODY, Values::size);
    keyAuth.finish();
    return new KeyAuthConfig(in == null ? DEFAULT_IN : List.copyOf(in), hide, anonymous, maxBody);
  }

  private static KeyLocation keyLocation(JsonNode value) throws BadValue {
    KeyLocation location = KeyLocation.parse(Values.text(value));
    if (location == null) {
      throw BadValue.got("expected header:NAME, bearer, query:NAME or body:FIELD", value);
    }
    return location;
  }

  @Override
  public void toJson(KeyAuthConfig keyAuth, ObjectNode api) {
    ObjectNode json = api.putObject("key_auth");
    json.set("in", PolicyJson.strings(keyAuth.in().stream().map(KeyLocation::toString).toList()));
    json.put("hide_credentials", keyAuth.hideCredentials());
    json.put("anonymous", keyAuth.anonymous());
    json.put("max_body", keyAuth.maxBody());
  }

  @Override
  public ObjectNode schema() {
    return SCHEMA.deepCopy();
  }

  @Override
  public Set<String> alwaysWritten() {
    return Set.of("key_auth");
  }

  @Override
  public Policy create(KeyAuthConfig keyAuth, ApiConfig api, PolicyServices services) {
    return new KeyAuthPolicy(keyAuth, services.verifier(), services.clock(), services.bodies());
  }
}
