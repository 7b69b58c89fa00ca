package io.xecure.service;

import java.util.List;

/**
 * A runtime change to an API or plan that does not validate: every problem at once, each {@code
 * "<field path>: <message>"} as the configuration loader words them ({@code cors.origins[0]: must
 * be * or an origin ...}). Safe to show: no message holds a secret.
 */
public final class ConfigRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ConfigRejectedException(List<String> problems) {
    super(String.join("; ", problems), null, false, false);
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
