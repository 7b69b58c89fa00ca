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
   * building the normal form.
   */
  public static boolean sameAs(String name, String normal) {
    int n = name.length();
    if (n != normal.length()) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      if (c > 0x7f) {
        return compute(name).equals(normal); // as Locale.ROOT lower-cases beyond ASCII
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
