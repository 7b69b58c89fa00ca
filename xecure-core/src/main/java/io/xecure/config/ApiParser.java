package io.xecure.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.xecure.routing.CanonicalTarget;
import io.xecure.routing.PathCanonicaliser;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Binds one API: its route, upstreams, key-auth policy, CORS and access rules. */
final class ApiParser {
  /** RFC 3986 path characters, less '%' (prefixes are written decoded) and ';' (refused). */
  private static final Pattern PATH_CHARS = Pattern.compile("[A-Za-z0-9\\-._~!$&'()*+,=:@/]+");

  private static final List<KeyLocation> DEFAULT_IN =
      List.of(new KeyLocation(KeyLocation.Kind.HEADER, "x-api-key"));
  private static final List<String> DEFAULT_CORS_METHODS = List.of("GET", "HEAD", "POST");
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final long DEFAULT_MAX_AGE = 600;

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
    KeyAuthConfig keyAuth = keyAuth(api.section("key_auth"));
    String defaultPlan = api.optional("default_plan", v -> plan(v, planNames));
    Section corsSection = api.optionalSection("cors");
    CorsConfig cors = corsSection == null ? null : cors(corsSection);
    List<AccessRule> access = access(api);
    api.finish();
    if (name == null || path == null || upstreams == null || upstreams.isEmpty()) {
      return null;
    }
    return new ApiConfig(
        name, path, List.copyOf(upstreams), stripPath, timeout, keyAuth, defaultPlan, cors, access);
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

  private static KeyAuthConfig keyAuth(Section keyAuth) {
    List<KeyLocation> in = keyAuth.nonEmptyList("in", ApiParser::keyLocation);
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

  private static @Nullable CorsConfig cors(Section cors) {
    List<String> origins = cors.nonEmptyList("origins", ApiParser::origin);
    if (origins == null) {
      cors.problems().add(cors.path("origins"), "required");
    }
    List<String> methods = cors.list("methods", DEFAULT_CORS_METHODS, Values::method);
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

  private static List<AccessRule> access(Section api) {
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
    String path = rule.required("path", ApiParser::pattern);
    List<String> scopes = rule.nonEmptyList("scopes", ApiParser::scope);
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
}
