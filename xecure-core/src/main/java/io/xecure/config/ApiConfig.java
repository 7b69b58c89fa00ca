package io.xecure.config;

import io.xecure.policy.access.AccessRule;
import io.xecure.policy.cors.CorsConfig;
import io.xecure.policy.keyauth.KeyAuthConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One API: a canonical path prefix and its upstream targets (round-robin when several).
 *
 * @param path canonical prefix starting with '/', without a trailing slash unless it is "/"
 * @param upstreams absolute http(s) URLs, at least one; a URL's path is prepended on forwarding
 */
public record ApiConfig(
    String name,
    String path,
    List<URI> upstreams,
    boolean stripPath,
    Duration timeout,
    KeyAuthConfig keyAuth,
    @Nullable String defaultPlan,
    @Nullable CorsConfig cors,
    List<AccessRule> access) {}
