package io.xecure.policy.access;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One access rule, compiled: upper-case methods (empty: any), the path pattern and the scopes all
 * required. Methods are compared ignoring case: a {@code delete} request is judged as the DELETE
 * some upstreams take it for, rather than slipping past a rule for DELETE to a weaker one.
 */
record Rule(Set<String> methods, PathPattern path, List<String> scopes) {

  static Rule of(AccessRule rule) {
    Set<String> methods =
        rule.methods().stream()
            .map(m -> m.toUpperCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    return new Rule(methods, PathPattern.compile(rule.path()), List.copyOf(rule.scopes()));
  }

  /** Whether the rule applies; {@code method} must already be upper-case. */
  boolean applies(String method, String canonicalPath) {
    return (methods.isEmpty() || methods.contains(method)) && path.matches(canonicalPath);
  }
}
