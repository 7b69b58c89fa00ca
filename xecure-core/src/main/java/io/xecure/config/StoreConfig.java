package io.xecure.config;

import org.jspecify.annotations.Nullable;

/** A JDBC URL ({@code jdbc:h2:...} or {@code jdbc:postgresql:...}) and optional credentials. */
public record StoreConfig(String url, @Nullable String user, @Nullable String password) {}
