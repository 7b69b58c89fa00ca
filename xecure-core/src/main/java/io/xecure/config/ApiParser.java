package io.xecure.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.xecure.policy.Policies;
import io.xecure.policy.PolicyDefinition;
import io.xecure.policy.PolicyDefinition.ParseContext;
import io.xecure.policy.PolicySettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Binds one API: its route and upstreams, and through each policy its settings. */
final class ApiParser {
  /** RFC 3986 path characters, less '%' (prefixes are written decoded) and ';' (refused). */
  private static final Pattern PATH_CHARS = Pattern.compile("[A-Za-z0-9\\-._~!$&'()*+,=:@/]+");

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private ApiParser() {}

  /** The API, or null when it has a problem (then reported). */
  static @Nullable ApiConfig parse(Section api, Set<String> planNames) {
    String name = api.required("name", Values::name);
    String path = api.required("path", ApiParser::prefix);
    List<URI> upstreams = api.nonEmptyList("upstream", ApiParser::upstream);
    if (upstreams == null) {
      api.problems().add(api.path("upstream"), "required");
    }
    boolean stripPath = api.get("strip_path", false, Values::bool);
    Duration timeout = api.get("timeout", DEFAULT_TIMEOUT, Values::positiveDuration);
    String upstreamCa = api.optional("upstream_ca", TlsParser::caFile);
    PolicySettings policies = policies(api, planNames);
    api.finish();
    if (name == null || path == null || upstreams == null || upstreams.isEmpty()) {
      return null;
    }
    return new ApiConfig(
        name, path, List.copyOf(upstreams), stripPath, timeout, policies, upstreamCa);
  }

  /** A route prefix must already be canonical: requests are matched after canonicalising. */
  private static String prefix(JsonNode value) throws BadValue {
    String path = Values.text(value);
    if (!path.startsWith("/")) {
      throw BadValue.got("must start with /", value);
    }
    if (path.contains("%")) {
      throw BadValue.got("must not contain %: write the path decoded", value);
    }
    if (!PATH_CHARS.matcher(path).matches()) {
      throw BadValue.got("must contain only letters, digits, / and -._~!$&'()*+,=:@", value);
    }
    if (path.contains("//")) {
      throw BadValue.got("must not contain //", value);
    }
    if (("/" + path + "/").matches(".*/\\.{1,2}/.*")) {
      throw BadValue.got("must not contain . or .. segments", value);
    }
    if (path.length() > 1 && path.endsWith("/")) {
      throw BadValue.got("must not end with / (unless it is exactly /)", value);
    }
    return path;
  }

  private static URI upstream(JsonNode value) throws BadValue {
    String text = Values.text(value).trim();
    String shown = Values.redact(text);
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw BadValue.got("not an absolute http(s) URL", shown);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean http = scheme.equals("http") || scheme.equals("https");
    if (!http || uri.getHost() == null || uri.getPort() > 65535) {
      throw BadValue.got("not an absolute http(s) URL", shown);
    }
    if (uri.getRawUserInfo() != null) {
      throw new BadValue("must not contain user info (credentials)");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw BadValue.got("must not have a query or fragment", shown);
    }
    // the forwarder compares schemes as written; URI schemes are case-insensitive
    return URI.create(scheme + text.substring(scheme.length()));
  }

  /** Each policy binds its own fields, in the order of {@link Policies#ALL}. */
  private static PolicySettings policies(Section api, Set<String> planNames) {
    ParseContext context = new ParseContext(planNames);
    PolicySettings.Builder settings = PolicySettings.builder();
    for (PolicyDefinition<?> definition : Policies.ALL) {
      bind(definition, api, context, settings);
    }
    return settings.build();
  }

  private static <C> void bind(
      PolicyDefinition<C> definition,
      Section api,
      ParseContext context,
      PolicySettings.Builder settings) {
    settings.put(definition, definition.parse(api, context));
  }
}
