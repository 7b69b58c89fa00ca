package io.xecure.policy.keyauth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a {@code multipart/form-data} body (RFC 2046 §5.1.1, RFC 7578), found in one linear
 * pass: the delimiters by a Knuth-Morris-Pratt search that never reads a byte twice, each part's
 * headers only within that part. The body is a {@link CharSequence} of bytes (ISO-8859-1), so
 * offsets are byte offsets.
 *
 * <p>The framing is taken strictly, since the upstream's parser may differ from this one: a body
 * without its close delimiter, a delimiter line with text after the boundary, a part whose headers
 * do not end in a blank line, or a part with two Content-Disposition headers (or two {@code name}s)
 * does not parse, and then the body has no fields at all. A part with no headers is legal and
 * simply has no name.
 */
final class Multipart {
  /**
   * One part.
   *
   * @param start offset of its delimiter ({@code --boundary})
   * @param end offset of the next delimiter: {@code [start, end)} is the part with its delimiter
   * @param valueStart offset of its content
   * @param valueEnd offset after its content (before the CRLF of the next delimiter)
   * @param name its Content-Disposition name, or null
   * @param file whether the part is a file (has a filename)
   */
  record Part(
      int start, int end, int valueStart, int valueEnd, @Nullable String name, boolean file) {
    /** The content as UTF-8 text. */
    String value(String raw) {
      return new String(
          raw.substring(valueStart, valueEnd).getBytes(StandardCharsets.ISO_8859_1),
          StandardCharsets.UTF_8);
    }
  }

  /** RFC 2046: a boundary is 1 to 70 characters. */
  static final int MAX_BOUNDARY = 70;

  private Multipart() {}

  /** The parts of {@code body}, or null when its framing is not well-formed multipart. */
  static @Nullable List<Part> parse(CharSequence body, String boundary) {
    if (boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
      return null;
    }
    String delimiter = "\r\n--" + boundary;
    int[] failure = failure(delimiter);
    int n = body.length();
    int at;
    if (startsWith(body, 0, delimiter, 2)) {
      at = 0;
    } else {
      int found = find(body, 0, delimiter, failure);
      if (found < 0) {
        return null;
      }
      at = found + 2;
    }
    List<Part> parts = new ArrayList<>();
    while (true) {
      int p = at + delimiter.length() - 2;
      if (p + 1 < n && body.charAt(p) == '-' && body.charAt(p + 1) == '-') {
        return parts; // the close delimiter; what follows is the epilogue
      }
      while (p < n && (body.charAt(p) == ' ' || body.charAt(p) == '\t')) {
        p++; // transport padding
      }
      if (p + 1 >= n || body.charAt(p) != '\r' || body.charAt(p + 1) != '\n') {
        return null;
      }
      int headers = p + 2;
      int next = find(body, headers, delimiter, failure);
      if (next < 0) {
        return null;
      }
      Part part = part(body, at, headers, next);
      if (part == null) {
        return null;
      }
      parts.add(part);
      at = next + 2;
    }
  }

  /** The part whose headers start at {@code headers} and whose content ends at {@code next}. */
  private static @Nullable Part part(CharSequence body, int at, int headers, int next) {
    if (next == headers) {
      return new Part(at, next + 2, next, next, null, false); // an empty part
    }
    int blank; // where the last header line's text ends
    int valueStart;
    if (isCrlf(body, headers)) {
      blank = headers;
      valueStart = headers + 2;
    } else {
      blank = -1;
      for (int i = headers; i + 4 <= next; i++) {
        if (isCrlf(body, i) && isCrlf(body, i + 2)) {
          blank = i;
          break;
        }
      }
      if (blank < 0) {
        return null; // headers without the blank line that ends them
      }
      valueStart = blank + 4;
    }
    String name = null;
    boolean file = false;
    boolean disposition = false;
    int line = headers;
    while (line < blank) {
      int eol = line;
      while (eol < blank && body.charAt(eol) != '\r' && body.charAt(eol) != '\n') {
        eol++;
      }
      if (eol < blank && !isCrlf(body, eol)) {
        return null; // a bare CR or LF: another parser could split the lines elsewhere
      }
      int colon = line;
      while (colon < eol && body.charAt(colon) != ':') {
        colon++;
      }
      if (colon < eol && isContentDisposition(body, line, colon)) {
        if (disposition) {
          return null; // two dispositions: two readers could take two names
        }
        disposition = true;
        List<Parameters.Parameter> params = Parameters.parse(body, colon + 1, eol);
        if (params == null) {
          return null;
        }
        name = Parameters.value(params, "name");
        file = Parameters.value(params, "filename") != null;
      }
      line = eol + 2;
    }
    return new Part(at, next + 2, valueStart, next, name, file);
  }

  private static boolean isCrlf(CharSequence s, int i) {
    return i + 1 < s.length() && s.charAt(i) == '\r' && s.charAt(i + 1) == '\n';
  }

  private static boolean isContentDisposition(CharSequence s, int from, int to) {
    String wanted = "content-disposition";
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    if (to - from != wanted.length()) {
      return false;
    }
    for (int i = 0; i < wanted.length(); i++) {
      if (Character.toLowerCase(s.charAt(from + i)) != wanted.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(CharSequence s, int at, String pattern, int patternFrom) {
    int length = pattern.length() - patternFrom;
    if (at + length > s.length()) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (s.charAt(at + i) != pattern.charAt(patternFrom + i)) {
        return false;
      }
    }
    return true;
  }

  /** KMP failure function: the longest proper border of each prefix of {@code pattern}. */
  private static int[] failure(String pattern) {
    int[] f = new int[pattern.length()];
    int k = 0;
    for (int i = 1; i < pattern.length(); i++) {
      while (k > 0 && pattern.charAt(i) != pattern.charAt(k)) {
        k = f[k - 1];
      }
      if (pattern.charAt(i) == pattern.charAt(k)) {
        k++;
      }
      f[i] = k;
    }
    return f;
  }

  /** The first offset at or after {@code from} where {@code pattern} starts, or -1. */
  private static int find(CharSequence s, int from, String pattern, int[] failure) {
    int k = 0;
    int m = pattern.length();
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      while (k > 0 && c != pattern.charAt(k)) {
        k = failure[k - 1];
      }
      if (c == pattern.charAt(k)) {
        k++;
      }
      if (k == m) {
        return i - m + 1;
      }
    }
    return -1;
  }
}
