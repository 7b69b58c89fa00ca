package io.xecure.config;

import org.jspecify.annotations.Nullable;

/** Key format and hashing: prefix of generated keys; pepper for HMAC (null: plain SHA-256). */
public record KeysConfig(String prefix, @Nullable String pepper) {}
