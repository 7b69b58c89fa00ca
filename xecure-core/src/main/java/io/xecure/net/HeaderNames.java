package io.xecure.net;

import java.util.Locale;

/**
 * Header names as proxies and frameworks compare them: case-insensitively and with {@code _} for
 * {@code -} (CGI, PHP, Django, nginx with underscores_in_headers all read {@code X_API_Key} as
 * {@code X-API-Key}). Every check of a client-sent header name that the upstream could read
 * differently goes through {@link #normalise}.
 */
public final class HeaderNames {
  private HeaderNames() {}

  /** Lower case, {@code _} as {@code -}: the form every spelling of one header shares. */
  public static String normalise(String name) {
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
