package io.xecure.policy.keyauth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reading and removing one field of an {@code application/x-www-form-urlencoded} string (a query
 * string or a form body), leaving every other pair byte-for-byte as sent.
 */
final class QueryString {
  private QueryString() {}

  /** Adds to {@code out} every decoded value of {@code name}. */
  static void values(String query, String name, List<String> out) {
    int start = 0;
    int n = query.length();
    while (start <= n) {
      int amp = query.indexOf('&', start);
      int end = amp < 0 ? n : amp;
      int eq = query.indexOf('=', start);
      if (eq >= 0 && eq < end && nameMatches(query, start, eq, name)) {
        String value = decode(query.substring(eq + 1, end));
        if (value != null) {
          out.add(value);
        }
      }
      if (amp < 0) {
        break;
      }
      start = amp + 1;
    }
  }

  /** {@code query} without any pair named {@code name}; null when nothing is left. */
  static @Nullable String without(String query, String name) {
    StringBuilder kept = new StringBuilder(query.length());
    int start = 0;
    int n = query.length();
    while (start <= n) {
      int amp = query.indexOf('&', start);
      int end = amp < 0 ? n : amp;
      int eq = query.indexOf('=', start);
      int nameEnd = eq >= 0 && eq < end ? eq : end;
      if (!nameMatches(query, start, nameEnd, name) && end > start) {
        if (kept.length() > 0) {
          kept.append('&');
        }
        kept.append(query, start, end);
      }
      if (amp < 0) {
        break;
      }
      start = amp + 1;
    }
    return kept.length() == 0 ? null : kept.toString();
  }

  private static boolean nameMatches(String query, int start, int end, String name) {
    String raw = query.substring(start, end);
    if (raw.equals(name)) {
      return true;
    }
    if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
      return false;
    }
    return name.equals(decode(raw));
  }

  private static @Nullable String decode(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null; // a malformed escape is no key
    }
  }
}
