package io.xecure.policy.cors;

import java.util.List;

/** Per-API CORS: allowed origins ("*" for any), methods, request headers, preflight max-age. */
public record CorsConfig(
    List<String> origins, List<String> methods, List<String> headers, long maxAgeSeconds) {}
