package io.xecure.service;

import io.xecure.model.DeveloperStatus;
import org.jspecify.annotations.Nullable;

/** A change to a developer; null fields stay as they are. */
public record DeveloperPatch(
    @Nullable String name, @Nullable String email, @Nullable DeveloperStatus status) {}
