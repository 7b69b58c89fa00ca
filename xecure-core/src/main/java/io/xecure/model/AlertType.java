package io.xecure.model;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The anomalies of SPEC §7, by their wire name ({@code brute_force}, ...). */
public enum AlertType {
  /** One client IP presented so many invalid keys that the brute-force guard blocked it. */
  BRUTE_FORCE,
  /** A key's requests in one minute far above its own moving baseline. */
  USAGE_SPIKE,
  /** A key used from unusually many distinct client networks within a window. */
  KEY_SHARED,
  /** A key (or developer) has used a set share of its plan's quota window. */
  QUOTA_NEAR,
  /** A scanner reported a key's plaintext as leaked; the key was revoked. */
  KEY_LEAKED,
  /**
   * Redis (cluster mode) did not answer a node in time: the node limits on its own, at each limit
   * divided by the live nodes, until Redis answers again.
   */
  LIMITER_DEGRADED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type of a wire name, or null when there is none. */
  public static @Nullable AlertType of(String wire) {
    for (AlertType t : values()) {
      if (t.wire().equals(wire)) {
        return t;
      }
    }
    return null;
  }
}
