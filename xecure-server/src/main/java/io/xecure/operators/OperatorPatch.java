package io.xecure.operators;

import io.xecure.model.OperatorRole;
import org.jspecify.annotations.Nullable;

/** The fields a PATCH changes; null leaves a field as it is. */
public record OperatorPatch(
    @Nullable String name,
    @Nullable OperatorRole role,
    @Nullable Boolean disabled,
    @Nullable String password) {}
