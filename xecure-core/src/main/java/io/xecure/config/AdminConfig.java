package io.xecure.config;

import org.jspecify.annotations.Nullable;

/** The admin listener; a null token means "generate one at start-up and print it once". */
public record AdminConfig(int port, String bind, @Nullable String token) {}
