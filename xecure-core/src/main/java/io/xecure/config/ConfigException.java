package io.xecure.config;

import java.util.List;

/**
 * Invalid configuration: every problem found, each {@code "<path>: <message>"}, e.g. {@code
 * apis[1].upstream: not an absolute http(s) URL, got "localhost:9000"}. The message joins them with
 * newlines, one per line, so start-up can print it as is. No message holds a secret (tokens,
 * peppers, passwords) or a stack trace of the parser.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems), null, false, false);
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
