package io.xecure.routing;

import org.jspecify.annotations.Nullable;

/**
 * The result of canonicalising a request target: either a canonical path and the raw query, or the
 * reason it was refused (the public detail of a 400 path_invalid).
 */
public record CanonicalTarget(
    @Nullable String path, @Nullable String rawQuery, @Nullable String problem) {

  public static CanonicalTarget of(String path, @Nullable String rawQuery) {
    return new CanonicalTarget(path, rawQuery, null);
  }

  public static CanonicalTarget invalid(String problem) {
    return new CanonicalTarget(null, null, problem);
  }

  public boolean valid() {
    return problem == null;
  }
}
