package io.xecure.events;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One data-plane decision (SPEC §7). {@code path} is already redacted (a query-string key is
 * replaced); no field ever holds a plaintext key.
 *
 * @param outcome {@code granted} or {@code denied}
 * @param code the problem code of a denial (e.g. {@code key_invalid}), null when granted
 * @param reason the exact cause of a key denial ({@code unknown}, {@code revoked}, ...), or null
 */
public record RequestEvent(
    Instant time,
    String requestId,
    String node,
    @Nullable String api,
    String method,
    String path,
    int status,
    String outcome,
    @Nullable String code,
    @Nullable String reason,
    @Nullable String keyId,
    @Nullable String developerId,
    String clientIp,
    @Nullable String userAgent,
    long latencyMicros,
    long upstreamLatencyMicros) {}
