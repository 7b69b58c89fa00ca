package io.xecure.usage;

import java.time.Instant;

/** The latest use of a key seen by this node since the last flush: time and client IP. */
public record KeyUse(String keyId, Instant at, String ip) {}
