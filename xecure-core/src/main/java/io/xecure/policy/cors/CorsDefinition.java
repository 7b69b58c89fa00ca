package io.xecure.policy.cors;

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
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** cors's settings: an API's optional {@code cors} mapping; without it the policy is off. */
public final class CorsDefinition implements PolicyDefinition<CorsConfig> {
  public static final CorsDefinition INSTANCE = new CorsDefinition();

  private static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "POST");
  private static final long DEFAULT_MAX_AGE = 600;

  private static final ObjectNode SCHEMA =
      PolicyJson.parse(
          """
          {"cors": {"type": "object", "properties": {
            "origins": {"type": "array", "items": {"type": "string"}},
            "methods": {"type": "array", "items": {"type": "string"}},
            "headers": {"type": "array", "items": {"type": "string"}},
            "max_age": {"type": "integer", "description": "seconds"}}}}
          """);

  private CorsDefinition() {}

  @Override
  public String id() {
    return CorsPolicy.ID;
  }

  @Override
  public int order() {
    return CorsPolicy.ORDER;
  }

  @Override
  public @Nullable CorsConfig parse(Section api, ParseContext context) {
    Section cors = api.optionalSection("cors");
    if (cors == null) {
      return null;
    }
    List<String> origins = cors.nonEmptyList("origins", CorsDefinition::origin);
    if (origins == null) {
      cors.problems().add(cors.path("origins"), "required");
    }
    List<String> methods = cors.list("methods", DEFAULT_METHODS, Values::method);
    List<String> headers = cors.list("headers", List.of(), Values::headerName);
    long maxAge = cors.get("max_age", DEFAULT_MAX_AGE, Values::seconds);
    cors.finish();
    return origins == null
        ? null
        : new CorsConfig(List.copyOf(origins), List.copyOf(methods), List.copyOf(headers), maxAge);
  }

  /** "*" or scheme://host[:port], lower-cased as browsers send it in the Origin header. */
  private static String origin(JsonNode value) throws BadValue {
    String text = Values.text(value).trim();
    if (text.equals("*")) {
      return text;
    }
    try {
      URI uri = new URI(text);
      boolean bare =
          uri.getScheme() != null
              && uri.getHost() != null
              && uri.getRawUserInfo() == null
              && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
              && uri.getRawQuery() == null
              && uri.getRawFragment() == null;
      if (bare) {
        return text.toLowerCase(Locale.ROOT);
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw BadValue.got("must be * or an origin such as https://app.example.com", value);
  }

  @Override
  public void toJson(CorsConfig cors, ObjectNode api) {
    ObjectNode json = api.putObject("cors");
    json.set("origins", PolicyJson.strings(cors.origins()));
    json.set("methods", PolicyJson.strings(cors.methods()));
    json.set("headers", PolicyJson.strings(cors.headers()));
    json.put("max_age", cors.maxAgeSeconds());
  }

  @Override
  public ObjectNode schema() {
    return SCHEMA.deepCopy();
  }

  @Override
  public Policy create(CorsConfig cors, ApiConfig api, PolicyServices services) {
    return new CorsPolicy(cors);
  }
}
