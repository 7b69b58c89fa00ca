package io.xecure.admin;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses the short durations operators write: {@code 0}, {@code 90s}, {@code 30m}, {@code 24h},
 * {@code 7d}.
 */
final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?");

  private Durations() {}

  static @Nullable Duration parse(String text) {
    Matcher m = SHORT.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2);
    if (unit == null) {
      return n == 0 ? Duration.ZERO : null; // a bare number is ambiguous unless it is 0
    }
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
