package io.xecure.policy.keyauth;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code ; name=value} parameters of a header value such as Content-Type or Content-Disposition
 * (RFC 9110 §5.6.6): a value is a token or a quoted-string with backslash escapes. One pass over
 * the text.
 */
final class Parameters {
  record Parameter(String name, String value) {}

  private Parameters() {}

  /**
   * The parameters in {@code [from, to)} of {@code s}, where {@code from} is at or before the first
   * {@code ;}. Null when the text is not a parameter list, or names one parameter twice (two
   * readers could each believe another one).
   */
  static @Nullable List<Parameter> parse(CharSequence s, int from, int to) {
    List<Parameter> out = new ArrayList<>(2);
    Set<String> seen = new HashSet<>();
    int i = from;
    while (i < to && s.charAt(i) != ';') {
      i++; // the media type or disposition type before the first ';'
    }
    while (i < to) {
      i++; // the ';'
      i = skipSpace(s, i, to);
      int nameStart = i;
      while (i < to && s.charAt(i) != '=' && s.charAt(i) != ';') {
        i++;
      }
      String name = s.subSequence(nameStart, trimEnd(s, nameStart, i)).toString();
      if (i == to || s.charAt(i) == ';') {
        if (!name.isEmpty()) {
          return null; // a name without a value
        }
        continue; // an empty parameter (";;" or a trailing ";")
      }
      i = skipSpace(s, i + 1, to);
      StringBuilder value = new StringBuilder();
      if (i < to && s.charAt(i) == '"') {
        i++;
        boolean closed = false;
        while (i < to) {
          char c = s.charAt(i++);
          if (c == '"') {
            closed = true;
            break;
          }
          if (c == '\\' && i < to) {
            c = s.charAt(i++);
          }
          value.append(c);
        }
        if (!closed) {
          return null;
        }
        i = skipSpace(s, i, to);
        if (i < to && s.charAt(i) != ';') {
          return null;
        }
      } else {
        int valueStart = i;
        while (i < to && s.charAt(i) != ';') {
          i++;
        }
        value.append(s, valueStart, trimEnd(s, valueStart, i));
      }
      if (name.isEmpty() || !seen.add(name.toLowerCase(Locale.ROOT))) {
        return null;
      }
      out.add(new Parameter(name, value.toString()));
    }
    return out;
  }

  /** The value of {@code name} (case-insensitive), or null. */
  static @Nullable String value(List<Parameter> params, String name) {
    for (Parameter p : params) {
      if (p.name().equalsIgnoreCase(name)) {
        return p.value();
      }
    }
    return null;
  }

  private static int skipSpace(CharSequence s, int i, int to) {
    while (i < to && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static int trimEnd(CharSequence s, int from, int to) {
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    return to;
  }
}
