package io.xecure.policy.access;

import io.vertx.core.Future;
import io.xecure.keys.IndexedKey;
import io.xecure.net.Cidr;
import io.xecure.pipeline.Exchange;
import io.xecure.pipeline.Policy;
import io.xecure.pipeline.PolicyChain;
import io.xecure.problem.ProblemCode;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * access (SPEC §5 steps 3-4): a key pinned to {@code allowed_cidrs} is used from one of them, the
 * key is granted this API, and the first access rule matching the method and canonical path has all
 * its scopes held by the key. An API with rules refuses a request that matches none.
 *
 * <p>The pinning check comes first: from outside its networks a key reveals nothing else about
 * itself, not even whether it is granted this API. Refusals name only this API or the scope the
 * matching rule requires, never the key's other rights.
 *
 * <p>Anonymous callers (key_auth.anonymous) have no grants or networks to check and hold no scopes:
 * a rule that requires scopes answers them 401 key_missing, as a key could satisfy it; a request
 * that no rule allows is 403 insufficient_scope for everyone.
 *
 * <p>The method is the request line's: method-override headers and the {@code _method} parameter
 * are never considered (and are removed before forwarding; the parameter by key-auth, which reads
 * the query and the body). Methods are compared ignoring case (see {@link Rule}); HEAD is not
 * implied by GET, rules list it when they mean it.
 */
public final class AccessPolicy implements Policy {
  public static final String ID = "access";

  /**
   * After key-auth, whose key it judges; before the limits, so that a refused request spends no
   * rate or quota.
   */
  public static final int ORDER = 200;

  /** Longest method-and-path text a refusal repeats back. */
  private static final int MAX_SHOWN = 200;

  private final String api;
  private final Rule[] rules;

  /**
   * Resolves the API's rules once, for the life of the route snapshot.
   *
   * @throws IllegalArgumentException when a rule's path is not a valid pattern
   */
  public AccessPolicy(String api, List<AccessRule> access) {
    this.api = api;
    this.rules = new Rule[access.size()];
    for (int i = 0; i < rules.length; i++) {
      rules[i] = Rule.of(access.get(i));
    }
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
    Denial denial =
        check(
            exchange.key(),
            exchange.request().method().name(),
            exchange.path(),
            exchange.clientIp());
    if (denial != null) {
      return exchange.refuse(denial.code(), denial.detail(), denial.reason());
    }
    return chain.proceed(exchange);
  }

  /** Why a request is refused: the public problem and the exact reason for the audit record. */
  public record Denial(ProblemCode code, String detail, String reason) {}

  /**
   * The whole access decision for a caller ({@code key} null: anonymous) on the canonical {@code
   * path}: null when allowed.
   */
  public @Nullable Denial check(
      @Nullable IndexedKey key, String requestMethod, String path, String clientIp) {
    if (key != null) {
      if (key.pinned() && !allowedFrom(key, clientIp)) {
        return new Denial(
            ProblemCode.IP_NOT_ALLOWED,
            "This key may not be used from this client address.",
            "ip_not_allowed");
      }
      if (!key.grants(api)) {
        return new Denial(
            ProblemCode.INSUFFICIENT_SCOPE,
            "This key is not granted the API '" + api + "'.",
            "api_not_granted");
      }
    }
    if (rules.length == 0) {
      return null;
    }
    String method = requestMethod.toUpperCase(Locale.ROOT);
    Rule rule = firstApplying(method, path);
    if (rule == null) {
      return new Denial(
          ProblemCode.INSUFFICIENT_SCOPE,
          "No access rule allows " + shown(method, path) + ".",
          "no_rule");
    }
    if (rule.scopes().isEmpty()) {
      return null;
    }
    if (key == null) {
      return new Denial(
          ProblemCode.KEY_MISSING,
          "An API key with scope '" + rule.scopes().get(0) + "' is required for this request.",
          "anonymous");
    }
    String missing = Scopes.firstMissing(key.scopes(), rule.scopes());
    if (missing != null) {
      return new Denial(
          ProblemCode.INSUFFICIENT_SCOPE, "Missing scope '" + missing + "'.", "scope_missing");
    }
    return null;
  }

  private static boolean allowedFrom(IndexedKey key, String clientIp) {
    byte[] address = Cidr.address(clientIp);
    return address != null && key.allowsFrom(address);
  }

  private @Nullable Rule firstApplying(String method, String path) {
    for (Rule rule : rules) {
      if (rule.applies(method, path)) {
        return rule;
      }
    }
    return null;
  }

  private static String shown(String method, String path) {
    String text = method + " " + path;
    return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
  }
}
