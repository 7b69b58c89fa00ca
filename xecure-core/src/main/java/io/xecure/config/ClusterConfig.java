package io.xecure.config;

import org.jspecify.annotations.Nullable;

/** Cluster mode: a Redis URL, or null for a single node. */
public record ClusterConfig(@Nullable String redis) {}
