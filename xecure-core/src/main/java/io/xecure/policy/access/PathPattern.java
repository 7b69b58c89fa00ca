package io.xecure.policy.access;

import io.xecure.routing.CanonicalTarget;
import io.xecure.routing.PathCanonicaliser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A compiled access-rule path: literal segments, {@code *} for exactly one segment and {@code **}
 * for any number of segments, zero included. Compiled once when the route table is built; matching
 * walks the canonical path in place and allocates nothing.
 *
 * <p>The pattern is put through the same canonicaliser as requests, so {@code /a/%7euser}, {@code
 * /users/%40me} and {@code /a//b} mean what a request for them would mean (an escaped {@code *} is
 * refused: decoded, it would read as a wildcard); matching is case-sensitive, like routing and like
 * the path the upstream receives. One trailing slash is ignored on both sides: {@code /users/**}
 * matches {@code /users}, {@code /users/} and {@code /users/1}; {@code /users/*} matches {@code
 * /users/1} and {@code /users/1/} but not {@code /users/}. A path that differs from another only by
 * a trailing slash therefore always falls under the same rule, so adding a slash never reaches a
 * different, weaker rule.
 */
final class PathPattern {
  private static final byte LITERAL = 0;
  private static final byte ONE = 1;
  private static final byte ANY = 2;

  private final String text;
  private final byte[] kinds;
  private final String[] literals; // the segment text where kinds[i] is LITERAL

  private PathPattern(String text, byte[] kinds, String[] literals) {
    this.text = text;
    this.kinds = kinds;
    this.literals = literals;
  }

  /**
   * Compiles {@code pattern}.
   *
   * @throws IllegalArgumentException when it is not a path the canonicaliser accepts (it could
   *     never match a request), or has a {@code *} that is not a whole segment
   */
  static PathPattern compile(String pattern) {
    CanonicalTarget canonical = PathCanonicaliser.canonicalise(pattern, null);
    String path = canonical.path();
    if (path == null || !pattern.startsWith("/")) {
      throw new IllegalArgumentException(
          "access path " + pattern + " is not a valid path: " + canonical.problem());
    }
    if (canonical.rawQuery() != null) {
      throw new IllegalArgumentException("access path " + pattern + " must not contain '?'");
    }
    if (pattern.toUpperCase(Locale.ROOT).contains("%2A")) {
      // canonical paths hold '*' decoded: an escaped one would silently become a wildcard
      throw new IllegalArgumentException("access path " + pattern + " must not contain %2A");
    }
    List<String> segments = new ArrayList<>();
    int end = withoutTrailingSlash(path);
    for (int from = 1; from < end; ) {
      int to = segmentEnd(path, from, end);
      String segment = path.substring(from, to);
      if (segment.contains("*") && !segment.equals("*") && !segment.equals("**")) {
        throw new IllegalArgumentException(
            "access path " + pattern + ": * and ** must be whole segments");
      }
      segments.add(segment);
      from = to + 1;
    }
    byte[] kinds = new byte[segments.size()];
    for (int i = 0; i < kinds.length; i++) {
      String segment = segments.get(i);
      kinds[i] = segment.equals("**") ? ANY : segment.equals("*") ? ONE : LITERAL;
    }
    return new PathPattern(pattern, kinds, segments.toArray(String[]::new));
  }

  /**
   * Whether the canonical {@code path} matches. Greedy with one backtracking point (the last {@code
   * **} seen), as in glob matching: at most (segments × pattern segments) steps.
   */
  boolean matches(String path) {
    int end = withoutTrailingSlash(path);
    int at = 1; // start of the current path segment; at >= end: no segment left
    int p = 0;
    int anyAt = -1;
    int anyPattern = -1;
    while (at < end) {
      if (p < kinds.length && kinds[p] == ANY) {
        anyPattern = p++;
        anyAt = at;
        continue;
      }
      int to = segmentEnd(path, at, end);
      if (p < kinds.length && segmentMatches(p, path, at, to)) {
        p++;
        at = to + 1;
      } else if (anyPattern >= 0) {
        // let the last ** take one more segment and retry what follows it
        anyAt = segmentEnd(path, anyAt, end) + 1;
        at = anyAt;
        p = anyPattern + 1;
      } else {
        return false;
      }
    }
    while (p < kinds.length && kinds[p] == ANY) {
      p++;
    }
    return p == kinds.length;
  }

  private boolean segmentMatches(int p, String path, int from, int to) {
    if (kinds[p] == ONE) {
      return to > from;
    }
    String literal = literals[p];
    return literal.length() == to - from && path.regionMatches(from, literal, 0, to - from);
  }

  private static int withoutTrailingSlash(String path) {
    int end = path.length();
    return end > 1 && path.charAt(end - 1) == '/' ? end - 1 : end;
  }

  private static int segmentEnd(String path, int from, int end) {
    int slash = path.indexOf('/', from);
    return slash < 0 || slash > end ? end : slash;
  }

  @Override
  public String toString() {
    return text;
  }
}
