package io.xecure.config;

import io.xecure.policy.PolicySettings;
import io.xecure.policy.access.AccessDefinition;
import io.xecure.policy.access.AccessRule;
import io.xecure.policy.cors.CorsConfig;
import io.xecure.policy.cors.CorsDefinition;
import io.xecure.policy.keyauth.KeyAuthConfig;
import io.xecure.policy.keyauth.KeyAuthDefinition;
import io.xecure.policy.ratelimit.RateLimitDefinition;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One API: a canonical path prefix, its upstream targets (round-robin when several) and the
 * settings of each policy that is on for it (see {@link io.xecure.policy.Policies}).
 *
 * @param path canonical prefix starting with '/', without a trailing slash unless it is "/"
 * @param upstreams absolute http(s) URLs, at least one; a URL's path is prepended on forwarding
 * @param policies each policy's settings; key-auth's are always there: no API is open by omission
 * @param upstreamCa a PEM bundle that https upstreams are verified against instead of the system
 *     trust store; null: the system trust store
 */
public record ApiConfig(
    String name,
    String path,
    List<URI> upstreams,
    boolean stripPath,
    Duration timeout,
    PolicySettings policies,
    @Nullable String upstreamCa) {

  /** An API whose https upstreams are verified against the system trust store. */
  public ApiConfig(
      String name,
      String path,
      List<URI> upstreams,
      boolean stripPath,
      Duration timeout,
      PolicySettings policies) {
    this(name, path, upstreams, stripPath, timeout, policies, null);
  }

  public ApiConfig {
    if (policies.get(KeyAuthDefinition.INSTANCE) == null) {
      throw new IllegalArgumentException("API " + name + " has no key_auth settings");
    }
  }

  /** key-auth's settings. */
  public KeyAuthConfig keyAuth() {
    return Objects.requireNonNull(policies.get(KeyAuthDefinition.INSTANCE));
  }

  /** The CORS settings, or null when the API answers no CORS itself. */
  public @Nullable CorsConfig cors() {
    return policies.get(CorsDefinition.INSTANCE);
  }

  /** The access rules, in order (empty: none). */
  public List<AccessRule> access() {
    List<AccessRule> rules = policies.get(AccessDefinition.INSTANCE);
    return rules == null ? List.of() : rules;
  }

  /** The plan of requests whose key names none, or null. */
  public @Nullable String defaultPlan() {
    var limits = policies.get(RateLimitDefinition.INSTANCE);
    return limits == null ? null : limits.defaultPlan();
  }
}
