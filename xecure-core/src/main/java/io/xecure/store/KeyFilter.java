package io.xecure.store;

import io.xecure.model.KeyStatus;
import org.jspecify.annotations.Nullable;

/** Filters of {@code GET /admin/keys}; null means any. */
public record KeyFilter(@Nullable String developerId, @Nullable KeyStatus status) {
  public static final KeyFilter ALL = new KeyFilter(null, null);
}
