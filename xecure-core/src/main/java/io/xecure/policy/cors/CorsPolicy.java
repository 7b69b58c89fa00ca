package io.xecure.policy.cors;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.xecure.pipeline.ClientRequest;
import io.xecure.pipeline.Exchange;
import io.xecure.pipeline.Policy;
import io.xecure.pipeline.PolicyChain;
import io.xecure.problem.ProblemCode;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * cors (SPEC §5): for an API with {@code cors}, the gateway answers CORS preflights itself and
 * marks the responses to allowed origins, refusals included, so that a browser app can read a 401.
 *
 * <p>A preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method})
 * needs no key and never reaches the upstream. Allowed (origin, method and every requested header
 * configured): 204 with the {@code Access-Control-Allow-*} headers. Otherwise: 403 {@code
 * cors_rejected} without any CORS header, so the browser blocks the call as it would on any
 * negative answer, while the operator sees a denial with its code in the events instead of a
 * "granted" preflight that mysteriously fails in the browser.
 *
 * <p>Any other request goes on down the chain (it still needs its key). When its {@code Origin} is
 * allowed, the response carries {@code Access-Control-Allow-Origin} and {@code
 * Access-Control-Expose-Headers}; from another origin it carries none, and the browser keeps the
 * response from the page. Every response of the API carries {@code Vary: Origin}, since whether it
 * allows the page depends on the origin. The headers are set before the chain goes on, so the
 * problem of a later refusal carries them; the forwarder drops the upstream's own CORS headers on
 * such an API, so that the browser sees one answer, the gateway's.
 */
public final class CorsPolicy implements Policy {
  public static final String ID = "cors";

  /** Before key-auth: a preflight carries no key, and a refusal must carry the CORS headers. */
  public static final int ORDER = 50;

  /**
   * Response headers a page may read beyond the CORS-safelisted ones: the limits, the retry time
   * and the id to quote to support.
   */
  static final String EXPOSED =
      "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, X-Request-Id";

  private static final String PREFLIGHT_VARY =
      "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

  private final CorsConfig config;
  private final boolean anyOrigin;
  private final boolean wildcard;
  private final Set<String> headers = new HashSet<>();
  private final String allowMethods;
  private final String allowHeaders;
  private final String maxAge;

  public CorsPolicy(CorsConfig config) {
    this.config = config;
    this.anyOrigin = config.origins().contains("*");
    this.wildcard = config.origins().equals(List.of("*"));
    config.headers().forEach(h -> headers.add(h.toLowerCase(Locale.ROOT)));
    this.allowMethods = String.join(", ", config.methods());
    this.allowHeaders = String.join(", ", config.headers());
    this.maxAge = Long.toString(config.maxAgeSeconds());
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int order() {
    return ORDER;
  }

  @Override
  public Future<Void> apply(Exchange exchange, PolicyChain chain) {
    ClientRequest request = exchange.request();
    String origin = request.getHeader("origin");
    String requestedMethod = request.getHeader("access-control-request-method");
    if (origin != null && requestedMethod != null && request.method() == HttpMethod.OPTIONS) {
      return preflight(exchange, origin, requestedMethod);
    }
    MultiMap out = exchange.response().headers();
    out.add("vary", "Origin");
    if (origin != null && allows(origin)) {
      out.set("access-control-allow-origin", wildcard ? "*" : origin);
      out.set("access-control-expose-headers", EXPOSED);
    }
    return chain.proceed(exchange);
  }

  private Future<Void> preflight(Exchange exchange, String origin, String method) {
    MultiMap out = exchange.response().headers();
    out.set("vary", PREFLIGHT_VARY);
    if (!allows(origin)) {
      return exchange.refuse(
          ProblemCode.CORS_REJECTED,
          "This origin may not call this API from a browser.",
          "cors_origin");
    }
    if (!config.methods().contains(method.trim())) {
      return exchange.refuse(
          ProblemCode.CORS_REJECTED,
          "This method may not be used on this API from a browser.",
          "cors_method");
    }
    String unlisted =
        unlistedHeader(exchange.request().getHeader("access-control-request-headers"));
    if (unlisted != null) {
      return exchange.refuse(
          ProblemCode.CORS_REJECTED,
          "The request header " + unlisted + " may not be sent to this API from a browser.",
          "cors_header");
    }
    out.set("access-control-allow-origin", wildcard ? "*" : origin);
    out.set("access-control-allow-methods", allowMethods);
    if (!allowHeaders.isEmpty()) {
      out.set("access-control-allow-headers", allowHeaders);
    }
    out.set("access-control-max-age", maxAge);
    return exchange.answer(204);
  }

  /** Browsers send the serialised origin, scheme and host in lower case, as the config keeps it. */
  private boolean allows(String origin) {
    return anyOrigin || config.origins().contains(origin.trim().toLowerCase(Locale.ROOT));
  }

  /** The first requested header that is not configured, or null when all are. */
  private @Nullable String unlistedHeader(@Nullable String requested) {
    if (requested == null) {
      return null;
    }
    for (String name : requested.split(",")) {
      String header = name.trim().toLowerCase(Locale.ROOT);
      // only a token can be a header name; anything else is not echoed back
      if (!header.isEmpty() && !headers.contains(header)) {
        return header.matches("[!#$%&'*+.^_`|~0-9a-z-]{1,64}") ? header : "(invalid name)";
      }
    }
    return null;
  }
}
