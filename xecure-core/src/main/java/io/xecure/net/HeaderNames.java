package io.xecure.net;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Header names as proxies and frameworks compare them: case-insensitively and with {@code _} for
 * {@code -} (CGI, PHP, Django, nginx with underscores_in_headers all read {@code X_API_Key} as
 * {@code X-API-Key}). Every check of a client-sent header name that the upstream could read
 * differently goes through {@link #normalise}.
 */
public final class HeaderNames {
  /**
   * The normal forms of names seen, since the same few names come with every request; bounded, so
   * that a client sending ever new names cannot grow it (past the bound names are computed).
   */
  private static final int CACHED_NAMES = 4096;

  private static final int CACHED_LENGTH = 64;
  private static final ConcurrentHashMap<String, String> NORMALISED = new ConcurrentHashMap<>();

  private HeaderNames() {}

  /** Lower case, {@code _} as {@code -}: the form every spelling of one header shares. */
  public static String normalise(String name) {
    if (name.length() > CACHED_LENGTH) {
      return compute(name);
    }
    String known = NORMALISED.get(name);
    if (known != null) {
      return known;
    }
    String normal = compute(name);
    if (NORMALISED.size() < CACHED_NAMES) {
      NORMALISED.putIfAbsent(name, normal);
    }
    return normal;
  }

  /**
   * Whether {@code name} normalises to {@code normal} (itself a {@link #normalise}d name), without
   * building the normal form: for a {@code String} or a codec's {@code AsciiString} alike.
   */
  public static boolean sameAs(CharSequence name, String normal) {
    return name.length() == normal.length() && matchesAt(name, normal, true);
  }

  /** Whether {@code name} normalises to a name that starts with {@code normalPrefix}. */
  public static boolean startsWith(CharSequence name, String normalPrefix) {
    return name.length() >= normalPrefix.length() && matchesAt(name, normalPrefix, false);
  }

  /** Whether {@code name} (whole, or its start) normalises to {@code normal}. */
  private static boolean matchesAt(CharSequence name, String normal, boolean whole) {
    for (int i = 0; i < normal.length(); i++) {
      char c = name.charAt(i);
      if (c > 0x7f) {
        // as Locale.ROOT lower-cases beyond ASCII
        String normalName = compute(name.toString());
        return whole ? normalName.equals(normal) : normalName.startsWith(normal);
      }
      if (c == '_') {
        c = '-';
      } else if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if (c != normal.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static String compute(String name) {
    boolean plain = true;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_' || (c >= 'A' && c <= 'Z')) {
        plain = false;
        break;
      }
    }
    return plain ? name : name.toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
