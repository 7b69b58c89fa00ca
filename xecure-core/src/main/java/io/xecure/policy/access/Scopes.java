package io.xecure.policy.access;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Whether held scopes cover required ones. A held {@code *} holds every scope; a held scope ending
 * in {@code :*} holds every scope that begins with what comes before the {@code *} ({@code users:*}
 * holds {@code users:read} and {@code users:admin:delete}, not {@code users} nor {@code usersx:a}).
 * Any other held scope holds only itself; a {@code *} elsewhere in it is an ordinary character.
 */
final class Scopes {
  static final String ALL = "*";

  private Scopes() {}

  /** The first of {@code required} that {@code held} does not hold, or null when all are held. */
  static @Nullable String firstMissing(Set<String> held, List<String> required) {
    for (int i = 0; i < required.size(); i++) {
      String scope = required.get(i);
      if (!holds(held, scope)) {
        return scope;
      }
    }
    return null;
  }

  static boolean holds(Set<String> held, String required) {
    if (held.contains(required) || held.contains(ALL)) {
      return true;
    }
    for (String scope : held) {
      int prefix = scope.length() - 1;
      if (prefix >= 2
          && scope.charAt(prefix) == '*'
          && scope.charAt(prefix - 1) == ':'
          && required.length() > prefix
          && required.regionMatches(0, scope, 0, prefix)) {
        return true;
      }
    }
    return false;
  }
}
