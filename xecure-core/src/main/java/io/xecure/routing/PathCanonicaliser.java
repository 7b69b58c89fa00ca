package io.xecure.routing;

import org.jspecify.annotations.Nullable;

/**
 * The one canonicaliser (SPEC §5 step 1), used by routing, access rules and forwarding alike, so
 * that no two of them can disagree about which resource a request names, and the upstream is sent
 * exactly the path they judged.
 *
 * <p>The canonical path is the one spelling of the octets an upstream decodes from the path, so
 * that two targets an upstream would treat alike ({@code /users/@me}, {@code /users/%40me}) are the
 * same string to the access rules:
 *
 * <ul>
 *   <li>every character RFC 3986 allows in a path segment (pchar: unreserved, sub-delims, ':' and
 *       '@') appears literally: an escape of one is decoded ({@code %40} to {@code @}, {@code %2B}
 *       to {@code +}, {@code %7E} to {@code ~});
 *   <li>every other octet appears as an escape with upper-case hex: {@code %25}, {@code %20},
 *       {@code %3F}, {@code %23}, non-ASCII UTF-8 bytes, and the printable ASCII a path segment may
 *       not hold literally ({@code " < > [ ] ^ ` { | }}), which is encoded when sent literally;
 *   <li>repeated slashes are collapsed, dot segments (literal or encoded) resolved as in RFC 3986
 *       §5.2.4, refusing to climb above the root; case and a trailing slash are preserved.
 * </ul>
 *
 * The raw query is passed on untouched. Decoding stops at one level: {@code %2540} is {@code %25}
 * followed by {@code 40}, data rather than an '@'.
 *
 * <p>It refuses, with a short public problem text that never echoes the input: an encoded slash, a
 * backslash or {@code ;} (literal or encoded), control characters (literal or encoded), literal
 * non-ASCII or space, a fragment, a malformed escape, a dot segment above the root, an
 * asterisk-form or relative target, an absolute-form target whose authority is not the Host header,
 * and targets over {@value #MAX_TARGET_LENGTH} chars.
 *
 * <p>It runs for every request: one pass over the chars, a StringBuilder only once the path differs
 * from the input, and the input String itself when it is a canonical path without a query. The
 * canonical path is at most three times as long as the target (a literal char that is encoded), and
 * a canonical path is its own canonical form.
 */
public final class PathCanonicaliser {
  /** Longest accepted request target, query included. */
  public static final int MAX_TARGET_LENGTH = 8192;

  private static final CanonicalTarget TOO_LONG = CanonicalTarget.invalid("path too long");
  private static final CanonicalTarget NOT_ORIGIN_FORM =
      CanonicalTarget.invalid("path must start with '/'");
  private static final CanonicalTarget HOST_MISMATCH =
      CanonicalTarget.invalid("absolute-form target does not match Host");
  private static final CanonicalTarget FRAGMENT =
      CanonicalTarget.invalid("fragment in request target");
  private static final CanonicalTarget BAD_ESCAPE =
      CanonicalTarget.invalid("malformed percent-encoding");
  private static final CanonicalTarget ENCODED_SLASH =
      CanonicalTarget.invalid("encoded slash in path");
  private static final CanonicalTarget BACKSLASH = CanonicalTarget.invalid("backslash in path");
  private static final CanonicalTarget SEMICOLON = CanonicalTarget.invalid("semicolon in path");
  private static final CanonicalTarget CONTROL =
      CanonicalTarget.invalid("control character in path");
  private static final CanonicalTarget NON_ASCII =
      CanonicalTarget.invalid("non-ASCII character in path");
  private static final CanonicalTarget SPACE = CanonicalTarget.invalid("space in path");
  private static final CanonicalTarget CLIMB =
      CanonicalTarget.invalid("dot segment above the root");
  private static final CanonicalTarget BAD_QUERY =
      CanonicalTarget.invalid("invalid character in query");

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** Indexed by ASCII char: whether a canonical path holds it literally: RFC 3986 pchar. */
  private static final boolean[] PCHAR = new boolean[0x80];

  static {
    String pchar =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~" + "!$&'()*+,=" + ":@";
    for (int i = 0; i < pchar.length(); i++) {
      PCHAR[pchar.charAt(i)] = true;
    }
  }

  private PathCanonicaliser() {}

  /**
   * Canonicalises a request target. Never throws for any input; a refusal is a value with {@link
   * CanonicalTarget#problem()} set, to be answered with 400 path_invalid.
   *
   * @param target the request target as received (origin-form {@code /a/b?q} or absolute-form
   *     {@code http://host/a/b?q})
   * @param host the Host header, which an absolute-form target's authority must equal; null when
   *     the request had none, which refuses every absolute-form target
   */
  public static CanonicalTarget canonicalise(String target, @Nullable String host) {
    if (target.length() > MAX_TARGET_LENGTH) {
      return TOO_LONG;
    }
    if (target.startsWith("/")) {
      return new Scan(target, 0).run();
    }
    return absoluteForm(target, host);
  }

  /**
   * Checks the authority against Host before looking at the path, so that a proxy-style request
   * cannot name one site in its target and be routed as another.
   */
  private static CanonicalTarget absoluteForm(String target, @Nullable String host) {
    int authorityStart;
    int defaultPort;
    if (target.regionMatches(true, 0, "http://", 0, 7)) {
      authorityStart = 7;
      defaultPort = 80;
    } else if (target.regionMatches(true, 0, "https://", 0, 8)) {
      authorityStart = 8;
      defaultPort = 443;
    } else {
      return NOT_ORIGIN_FORM;
    }
    int authorityEnd = authorityStart;
    while (authorityEnd < target.length() && "/?#".indexOf(target.charAt(authorityEnd)) < 0) {
      authorityEnd++;
    }
    if (host == null
        || !Authority.matches(target, authorityStart, authorityEnd, host, defaultPort)) {
      return HOST_MISMATCH;
    }
    if (authorityEnd == target.length() || target.charAt(authorityEnd) == '?') {
      // RFC 9112 §3.2.2: an absolute-form with an empty path means "/".
      return Scan.withQuery("/", target, authorityEnd);
    }
    if (target.charAt(authorityEnd) == '#') {
      return FRAGMENT;
    }
    return new Scan(target, authorityEnd).run();
  }

  /** Compares host name (case-insensitive) and port, an absent or empty port being the default. */
  private static final class Authority {
    private Authority() {}

    static boolean matches(String target, int from, int to, String host, int defaultPort) {
      // RFC 9110 §4.2.4: userinfo in an http(s) URI is an error.
      if (from == to || target.lastIndexOf('@', to - 1) >= from) {
        return false;
      }
      int targetColon = portColon(target, from, to);
      int hostColon = portColon(host, 0, host.length());
      int targetPort = port(target, targetColon, to, defaultPort);
      int hostPort = port(host, hostColon, host.length(), defaultPort);
      int nameLength = (targetColon < 0 ? to : targetColon) - from;
      int hostNameLength = hostColon < 0 ? host.length() : hostColon;
      return targetPort >= 0
          && targetPort == hostPort
          && nameLength == hostNameLength
          && target.regionMatches(true, from, host, 0, nameLength);
    }

    /** The ':' before the port, or -1; an IPv6 literal's colons are inside its brackets. */
    private static int portColon(String s, int from, int to) {
      int colon = s.lastIndexOf(':', to - 1);
      int bracket = s.lastIndexOf(']', to - 1);
      return colon < from || colon < bracket ? -1 : colon;
    }

    /** The port number, the default when absent or empty, -1 when not a valid port. */
    private static int port(String s, int colon, int to, int defaultPort) {
      if (colon < 0 || colon + 1 == to) {
        return defaultPort;
      }
      if (to - colon - 1 > 5) {
        return -1;
      }
      int port = 0;
      for (int i = colon + 1; i < to; i++) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
          return -1;
        }
        port = port * 10 + (c - '0');
      }
      return port <= 0xFFFF ? port : -1;
    }
  }

  /**
   * One pass over the path, segment by segment. While the output equals the input read so far it is
   * not written anywhere; the first difference copies that prefix into {@link #out}.
   */
  private static final class Scan {
    private final String target;
    private final int start;
    private int pos;
    private @Nullable StringBuilder out;
    // The current segment as output: its length and how many of those chars are '.'.
    private int segLength;
    private int segDots;

    /** {@code start} is the index of the path's leading '/'. */
    Scan(String target, int start) {
      this.target = target;
      this.start = start;
      this.pos = start + 1;
    }

    CanonicalTarget run() {
      int length = target.length();
      while (pos < length) {
        char c = target.charAt(pos);
        if (c == '?') {
          break;
        }
        CanonicalTarget problem = c == '/' ? endSegment(false) : c == '%' ? escape() : literal(c);
        if (problem != null) {
          return problem;
        }
      }
      CanonicalTarget problem = endSegment(true);
      if (problem != null) {
        return problem;
      }
      return withQuery(path(), target, pos);
    }

    private String path() {
      if (out != null) {
        return out.toString();
      }
      return start == 0 && pos == target.length() ? target : target.substring(start, pos);
    }

    /** Checks the query, which is forwarded as it is, for what cannot be in a request line. */
    static CanonicalTarget withQuery(String path, String target, int question) {
      if (question == target.length()) {
        return CanonicalTarget.of(path, null);
      }
      for (int i = question + 1; i < target.length(); i++) {
        char c = target.charAt(i);
        if (c == '#') {
          return FRAGMENT;
        }
        if (c <= ' ' || c == 0x7F) {
          return BAD_QUERY;
        }
      }
      return CanonicalTarget.of(path, target.substring(question + 1));
    }

    private @Nullable CanonicalTarget literal(char c) {
      if (c < ' ' || c == 0x7F) {
        return CONTROL;
      }
      if (c > 0x7F) {
        return NON_ASCII;
      }
      switch (c) {
        case '\\':
          return BACKSLASH;
        case ';':
          return SEMICOLON;
        case '#':
          return FRAGMENT;
        case ' ':
          return SPACE;
        default:
          if (pchar(c)) {
            if (out != null) {
              out.append(c);
            }
            counted(c);
          } else {
            // '"', '<', '{' and the like: upstreams read them as their escape, so they are one
            out().append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            segLength += 3;
          }
          pos++;
          return null;
      }
    }

    private @Nullable CanonicalTarget escape() {
      int hi = pos + 2 < target.length() ? hex(target.charAt(pos + 1)) : -1;
      int lo = hi < 0 ? -1 : hex(target.charAt(pos + 2));
      if (lo < 0) {
        return BAD_ESCAPE;
      }
      char decoded = (char) (hi << 4 | lo);
      if (pchar(decoded)) {
        out().append(decoded);
        pos += 3;
        counted(decoded);
        return null;
      }
      CanonicalTarget refused = refusedEscape(decoded);
      if (refused != null) {
        return refused;
      }
      // The digits are valid hex here, so anything from 'a' up is lower case.
      boolean lowerHex = target.charAt(pos + 1) >= 'a' || target.charAt(pos + 2) >= 'a';
      if (out != null || lowerHex) {
        out().append('%').append(HEX[hi]).append(HEX[lo]);
      }
      pos += 3;
      segLength += 3;
      return null;
    }

    private static @Nullable CanonicalTarget refusedEscape(char decoded) {
      if (decoded < ' ' || decoded == 0x7F) {
        return CONTROL;
      }
      switch (decoded) {
        case '/':
          return ENCODED_SLASH;
        case '\\':
          return BACKSLASH;
        case ';':
          return SEMICOLON;
        default:
          return null;
      }
    }

    /**
     * Ends the segment before {@link #pos}, which is at a '/' or at the end of the path. The output
     * before the segment always ends with '/', so an empty or dot segment writes nothing.
     */
    private @Nullable CanonicalTarget endSegment(boolean last) {
      boolean dotSegment = segLength > 0 && segLength <= 2 && segDots == segLength;
      if (dotSegment) {
        StringBuilder b = out();
        b.setLength(b.length() - segLength);
        if (segLength == 2) {
          if (b.length() == 1) {
            return CLIMB;
          }
          b.setLength(b.lastIndexOf("/", b.length() - 2) + 1);
        }
      } else if (segLength == 0 && !last) {
        out(); // a repeated slash: diverge from the input and drop it
      } else if (!last && out != null) {
        out.append('/');
      }
      segLength = 0;
      segDots = 0;
      if (!last) {
        pos++;
      }
      return null;
    }

    private void counted(char c) {
      segLength++;
      if (c == '.') {
        segDots++;
      }
    }

    /** The output, created from the input read so far the first time the two differ. */
    private StringBuilder out() {
      StringBuilder b = out;
      if (b == null) {
        b = new StringBuilder(target.length() - start);
        b.append(target, start, pos);
        out = b;
      }
      return b;
    }

    private static int hex(char c) {
      if (c >= '0' && c <= '9') {
        return c - '0';
      }
      if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
      }
      if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
      }
      return -1;
    }

    /**
     * RFC 3986 pchar less ';' (refused before this is asked): unreserved, the other sub-delims, ':'
     * and '@'. These are what a canonical path holds literally.
     */
    private static boolean pchar(char c) {
      return c < PCHAR.length && PCHAR[c];
    }
  }
}
