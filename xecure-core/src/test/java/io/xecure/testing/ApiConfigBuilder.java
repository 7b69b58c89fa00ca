package io.xecure.testing;

import io.xecure.config.ApiConfig;
import io.xecure.policy.PolicyDefinition;
import io.xecure.policy.PolicySettings;
import io.xecure.policy.access.AccessDefinition;
import io.xecure.policy.access.AccessRule;
import io.xecure.policy.bruteforce.BruteForceDefinition;
import io.xecure.policy.cors.CorsConfig;
import io.xecure.policy.cors.CorsDefinition;
import io.xecure.policy.keyauth.KeyAuthConfig;
import io.xecure.policy.keyauth.KeyAuthDefinition;
import io.xecure.policy.keyauth.KeyLocation;
import io.xecure.policy.ratelimit.RateLimitConfig;
import io.xecure.policy.ratelimit.RateLimitDefinition;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Builds an {@link ApiConfig} with the configuration file's defaults for everything a test does not
 * set: so {@code api("users", "/users", url).build()} equals what the loader makes of an API that
 * gives only its name, path and upstream.
 */
public final class ApiConfigBuilder {
  private String name;
  private String path;
  private List<URI> upstreams;
  private boolean stripPath;
  private Duration timeout = Duration.ofSeconds(30);
  private KeyAuthConfig keyAuth =
      new KeyAuthConfig(
          List.of(new KeyLocation(KeyLocation.Kind.HEADER, "x-api-key")),
          true,
          false,
          KeyAuthConfig.DEFAULT_MAX_BODY);
  private @Nullable String defaultPlan;
  private @Nullable CorsConfig cors;
  private List<AccessRule> access = List.of();
  private @Nullable String upstreamCa;

  private ApiConfigBuilder(String name, String path, List<URI> upstreams) {
    this.name = name;
    this.path = path;
    this.upstreams = upstreams;
  }

  /** An API with one upstream and every other value at its default. */
  public static ApiConfigBuilder api(String name, String path, String upstream) {
    return new ApiConfigBuilder(name, path, List.of(URI.create(upstream)));
  }

  /** A builder holding every value of {@code api}, to change some of them. */
  public static ApiConfigBuilder from(ApiConfig api) {
    ApiConfigBuilder b = new ApiConfigBuilder(api.name(), api.path(), api.upstreams());
    b.stripPath = api.stripPath();
    b.timeout = api.timeout();
    b.keyAuth = api.keyAuth();
    b.defaultPlan = api.defaultPlan();
    b.cors = api.cors();
    b.access = api.access();
    b.upstreamCa = api.upstreamCa();
    return b;
  }

  public ApiConfigBuilder name(String name) {
    this.name = name;
    return this;
  }

  public ApiConfigBuilder path(String path) {
    this.path = path;
    return this;
  }

  public ApiConfigBuilder upstreams(String... urls) {
    this.upstreams = Arrays.stream(urls).map(URI::create).toList();
    return this;
  }

  public ApiConfigBuilder stripPath(boolean stripPath) {
    this.stripPath = stripPath;
    return this;
  }

  public ApiConfigBuilder timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  public ApiConfigBuilder keyAuth(KeyAuthConfig keyAuth) {
    this.keyAuth = keyAuth;
    return this;
  }

  /** key-auth reading the given locations ({@code header:X-API-Key}, {@code bearer}, ...). */
  public ApiConfigBuilder keyIn(String... locations) {
    List<KeyLocation> in =
        Arrays.stream(locations).map(KeyLocation::parse).map(Objects::requireNonNull).toList();
    this.keyAuth =
        new KeyAuthConfig(in, keyAuth.hideCredentials(), keyAuth.anonymous(), keyAuth.maxBody());
    return this;
  }

  public ApiConfigBuilder defaultPlan(@Nullable String plan) {
    this.defaultPlan = plan;
    return this;
  }

  public ApiConfigBuilder cors(@Nullable CorsConfig cors) {
    this.cors = cors;
    return this;
  }

  /** A PEM bundle that https upstreams are verified against (null: the system trust store). */
  public ApiConfigBuilder upstreamCa(@Nullable String pemFile) {
    this.upstreamCa = pemFile;
    return this;
  }

  public ApiConfigBuilder access(AccessRule... rules) {
    this.access = List.of(rules);
    return this;
  }

  public ApiConfig build() {
    PolicySettings policies =
        PolicySettings.builder()
            .put(KeyAuthDefinition.INSTANCE, keyAuth)
            .put(
                RateLimitDefinition.INSTANCE,
                defaultPlan == null ? RateLimitConfig.NONE : new RateLimitConfig(defaultPlan))
            .put(CorsDefinition.INSTANCE, cors)
            .put(AccessDefinition.INSTANCE, access)
            .put(BruteForceDefinition.INSTANCE, PolicyDefinition.Always.ON)
            .build();
    return new ApiConfig(name, path, upstreams, stripPath, timeout, policies, upstreamCa);
  }
}
