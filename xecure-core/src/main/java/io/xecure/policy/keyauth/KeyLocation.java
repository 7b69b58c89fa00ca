package io.xecure.policy.keyauth;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One place to look for a key: {@code header:NAME}, {@code bearer}, {@code query:NAME} or {@code
 * body:FIELD}. Header names are kept lower-case (HTTP header names are case-insensitive).
 */
public record KeyLocation(Kind kind, String name) {
  public enum Kind {
    HEADER,
    BEARER,
    QUERY,
    BODY
  }

  /** Parses the config form; null when it is not one of the four forms. */
  public static @Nullable KeyLocation parse(String spec) {
    String s = spec.trim();
    if (s.equalsIgnoreCase("bearer")) {
      return new KeyLocation(Kind.BEARER, "authorization");
    }
    int colon = s.indexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      return null;
    }
    String name = s.substring(colon + 1).trim();
    if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != ':')) {
      return null;
    }
    return switch (s.substring(0, colon).trim().toLowerCase(Locale.ROOT)) {
      case "header" -> new KeyLocation(Kind.HEADER, name.toLowerCase(Locale.ROOT));
      case "query" -> new KeyLocation(Kind.QUERY, name);
      case "body" -> new KeyLocation(Kind.BODY, name);
      default -> null;
    };
  }

  @Override
  public String toString() {
    return kind == Kind.BEARER ? "bearer" : kind.name().toLowerCase(Locale.ROOT) + ":" + name;
  }
}
