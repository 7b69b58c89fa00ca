package io.xecure.config;

import org.jspecify.annotations.Nullable;

/** Event recording: the JSON-lines file (null: none), and whether to record at all. */
public record EventsConfig(boolean enabled, @Nullable String file) {}
