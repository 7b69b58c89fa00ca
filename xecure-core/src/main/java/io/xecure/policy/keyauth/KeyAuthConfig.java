package io.xecure.policy.keyauth;

import java.util.List;

/**
 * Where to find the key and what to do with it (SPEC §3, §5 step 2).
 *
 * @param in locations tried in order
 * @param maxBody bytes of body read to find a body key, when no other location had one; beyond that
 *     413
 */
public record KeyAuthConfig(
    List<KeyLocation> in, boolean hideCredentials, boolean anonymous, long maxBody) {

  public static final long DEFAULT_MAX_BODY = 1024 * 1024;

  public boolean readsBody() {
    for (KeyLocation l : in) {
      if (l.kind() == KeyLocation.Kind.BODY) {
        return true;
      }
    }
    return false;
  }
}
