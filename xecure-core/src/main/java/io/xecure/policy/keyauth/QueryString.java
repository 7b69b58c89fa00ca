package io.xecure.policy.keyauth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reading and removing one field of an {@code application/x-www-form-urlencoded} string (a query
 * string or a form body), leaving every other pair byte-for-byte as sent.
 *
 * <p>Both operations are one left-to-right pass: every character is read a bounded number of times
 * (once to find the pair's end, at most once more to match or decode it), so a hostile string such
 * as {@code a&a&a…} costs time linear in its length. The text is a {@link CharSequence} of bytes
 * (ISO-8859-1, one char per byte), as the request line and a body are read.
 *
 * <p>Values are taken exactly: {@code +} is a space and {@code %XX} a byte, the bytes are UTF-8,
 * and nothing is trimmed. A broken escape or invalid UTF-8 decodes to U+FFFD, which no key holds,
 * so such a value is a presented but malformed key, never silently something else.
 */
final class QueryString {
  private QueryString() {}

  /** Adds to {@code out} every decoded value of a pair named {@code name}, in order. */
  static void values(CharSequence query, String name, List<String> out) {
    int n = query.length();
    int start = 0;
    while (start <= n) {
      int end = start;
      int eq = -1;
      while (end < n) {
        char c = query.charAt(end);
        if (c == '&') {
          break;
        }
        if (c == '=' && eq < 0) {
          eq = end;
        }
        end++;
      }
      if (eq >= 0 && nameMatches(query, start, eq, name)) {
        out.add(decode(query, eq + 1, end));
      }
      start = end + 1;
    }
  }

  /**
   * {@code query} without any pair named {@code name} (with or without a value); null when nothing
   * is left. Empty pairs ({@code a&&b}) are dropped too.
   */
  static @Nullable String without(CharSequence query, String name) {
    int n = query.length();
    StringBuilder kept = new StringBuilder(n);
    int start = 0;
    while (start <= n) {
      int end = start;
      int nameEnd = -1;
      while (end < n) {
        char c = query.charAt(end);
        if (c == '&') {
          break;
        }
        if (c == '=' && nameEnd < 0) {
          nameEnd = end;
        }
        end++;
      }
      if (end > start && !nameMatches(query, start, nameEnd < 0 ? end : nameEnd, name)) {
        if (kept.length() > 0) {
          kept.append('&');
        }
        kept.append(query, start, end);
      }
      start = end + 1;
    }
    return kept.length() == 0 ? null : kept.toString();
  }

  /** Whether the raw name in {@code [start, end)} decodes to {@code name}. */
  private static boolean nameMatches(CharSequence query, int start, int end, String name) {
    boolean plain = end - start == name.length();
    for (int i = start; plain && i < end; i++) {
      if (query.charAt(i) != name.charAt(i - start)) {
        plain = false;
      }
    }
    if (plain) {
      return true;
    }
    // an encoded name is at least as long as its decoded form, and at most three bytes per byte
    int length = end - start;
    if (length < name.length() || length > 12 * name.length()) {
      return false;
    }
    for (int i = start; i < end; i++) {
      char c = query.charAt(i);
      if (c == '%' || c == '+') {
        return name.equals(decode(query, start, end));
      }
    }
    return false;
  }

  /** Decodes {@code [start, end)}: '+' is a space, %XX a byte, the bytes UTF-8. */
  static String decode(CharSequence s, int start, int end) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(end - start);
    boolean broken = false;
    int i = start;
    while (i < end) {
      char c = s.charAt(i);
      if (c == '+') {
        bytes.write(' ');
        i++;
      } else if (c == '%') {
        int hi = i + 2 < end ? hex(s.charAt(i + 1)) : -1;
        int lo = hi >= 0 ? hex(s.charAt(i + 2)) : -1;
        if (lo < 0) {
          broken = true;
          bytes.write('%');
          i++;
        } else {
          bytes.write(hi << 4 | lo);
          i += 3;
        }
      } else if (c > 0xFF) {
        broken = true;
        i++;
      } else {
        bytes.write(c);
        i++;
      }
    }
    String decoded = bytes.toString(StandardCharsets.UTF_8);
    return broken ? decoded + '\uFFFD' : decoded;
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
