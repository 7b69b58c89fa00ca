package io.xecure.routing;

import org.jspecify.annotations.Nullable;

/**
 * The one canonicaliser (SPEC §5 step 1), used by routing, access rules and forwarding alike.
 * TODO(helper): implement.
 */
public final class PathCanonicaliser {
  private PathCanonicaliser() {}

  /**
   * @param target the request target as received (origin-form {@code /a/b?q} or absolute-form)
   * @param host the Host header, for checking an absolute-form target against it
   */
  public static CanonicalTarget canonicalise(String target, @Nullable String host) {
    int q = target.indexOf('?');
    return q < 0
        ? CanonicalTarget.of(target, null)
        : CanonicalTarget.of(target.substring(0, q), target.substring(q + 1));
  }
}
