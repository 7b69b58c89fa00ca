package io.xecure.config;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Invalid configuration: every problem found, each {@code "<path>: <message>"}, e.g. {@code
 * apis[1].upstream: not an absolute http(s) URL, got "localhost:9000"}. The message joins them with
 * newlines, one per line, so start-up can print it as is. No message holds a secret (tokens,
 * peppers, passwords) or a stack trace of the parser.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /**
   * @param problems each {@code "<path>: <message>"}; control characters in them (a field name may
   *     hold any) are shown escaped, so that each stays one line
   */
  public ConfigException(List<String> problems) {
    super(String.join("\n", escaped(problems)), null, false, false);
    this.problems = escaped(problems);
  }

  public ConfigException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }

  private static List<String> escaped(List<String> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    return problems.stream().map(ConfigException::oneLine).toList();
  }

  /** {@code \n}, {@code \r}, {@code \t} and other control characters as escapes. */
  private static String oneLine(String problem) {
    @Nullable StringBuilder b = null;
    for (int i = 0; i < problem.length(); i++) {
      char c = problem.charAt(i);
      boolean control = c < ' ' || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
      if (control && b == null) {
        b = new StringBuilder(problem.length() + 8).append(problem, 0, i);
      }
      if (b != null) {
        switch (c) {
          case '\n' -> b.append("\\n");
          case '\r' -> b.append("\\r");
          case '\t' -> b.append("\\t");
          default -> {
            if (control) {
              b.append(String.format("\\u%04x", (int) c));
            } else {
              b.append(c);
            }
          }
        }
      }
    }
    return b == null ? problem : b.toString();
  }
}
