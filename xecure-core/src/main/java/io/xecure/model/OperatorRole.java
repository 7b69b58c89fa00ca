package io.xecure.model;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What an operator may do on the admin API (SPEC §10). Each role can do all that the one before it
 * can: an {@link #AUDITOR} reads everything, events included, and changes nothing; an {@link
 * #OPERATOR} also manages developers, keys and alerts; an {@link #OWNER} also manages operators and
 * changes APIs and plans at run time.
 */
public enum OperatorRole {
  AUDITOR,
  OPERATOR,
  OWNER;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this role may do what {@code required} may. */
  public boolean covers(OperatorRole required) {
    return compareTo(required) >= 0;
  }

  /** The role named {@code wire} ({@code owner}, {@code operator}, {@code auditor}), or null. */
  public static @Nullable OperatorRole parse(String wire) {
    for (OperatorRole role : values()) {
      if (role.wire().equals(wire)) {
        return role;
      }
    }
    return null;
  }
}
