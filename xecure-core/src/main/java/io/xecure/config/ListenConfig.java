package io.xecure.config;

import java.time.Duration;
import java.util.List;

/**
 * The data-plane listener.
 *
 * @param trustedProxies CIDRs whose {@code X-Forwarded-For} is believed
 * @param shutdownGrace how long SIGTERM waits for in-flight requests
 */
public record ListenConfig(
    int port, String bind, List<String> trustedProxies, Duration shutdownGrace) {}
