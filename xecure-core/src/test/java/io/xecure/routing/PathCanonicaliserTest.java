package io.xecure.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Random;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathCanonicaliserTest {
  private static final String TOO_LONG = "path too long";
  private static final String NOT_ORIGIN = "path must start with '/'";
  private static final String MISMATCH = "absolute-form target does not match Host";
  private static final String FRAGMENT = "fragment in request target";
  private static final String BAD_ESCAPE = "malformed percent-encoding";
  private static final String SLASH = "encoded slash in path";
  private static final String BACKSLASH = "backslash in path";
  private static final String SEMICOLON = "semicolon in path";
  private static final String CONTROL = "control character in path";
  private static final String NON_ASCII = "non-ASCII character in path";
  private static final String SPACE = "space in path";
  private static final String CLIMB = "dot segment above the root";
  private static final String BAD_QUERY = "invalid character in query";

  // A method source rather than @CsvSource: several targets hold control characters.
  static Stream<Arguments> cases() {
    return Stream.of(
        // origin-form and query
        valid("/", "/"),
        valid("/users", "/users"),
        valid("/users/", "/users/"),
        valid("/users/42/orders", "/users/42/orders"),
        valid("/Users/ABC/dEf", "/Users/ABC/dEf"),
        valid("/a?x=1&y=2", "/a", "x=1&y=2"),
        valid("/a?", "/a", ""),
        valid("/?q", "/", "q"),
        valid("/a?b/../c%2F;d\\e", "/a", "b/../c%2F;d\\e"),
        valid("/a?x=%zz", "/a", "x=%zz"),
        valid("/a?x=y?z", "/a", "x=y?z"),
        valid("/a?caf\u00e9", "/a", "caf\u00e9"),
        invalid("/a#frag", FRAGMENT),
        invalid("/a?x#frag", FRAGMENT),
        invalid("/a?x=1\r\nX: y", BAD_QUERY),
        invalid("/a?x y", BAD_QUERY),
        invalid("*", NOT_ORIGIN),
        invalid("", NOT_ORIGIN),
        invalid("a/b", NOT_ORIGIN),
        invalid("ftp://example.com/a", NOT_ORIGIN),
        // percent-decoding of every pchar (unreserved, sub-delims, ':', '@'), upper-case hex for
        // the rest, and the non-pchar a client sends literally encoded
        valid("/%41%42%43", "/ABC"),
        valid("/%61bc", "/abc"),
        valid("/a%2Db%5Fc%7Ed%2E", "/a-b_c~d."),
        valid("/%7e%7E", "/~~"),
        valid("/%30%39", "/09"),
        valid("/us%65rs/1", "/users/1"),
        valid("/a%3ab", "/a:b"),
        valid("/a%3Ab", "/a:b"),
        valid("/users/%40me", "/users/@me"),
        valid("/users/@me", "/users/@me"),
        valid("/%21%24%26%27%28%29%2A%2B%2C%3D%3A%40", "/!$&'()*+,=:@"),
        valid("/%2a%2b%2c%3d%3a", "/*+,=:"),
        valid("/a%2Bb+c", "/a+b+c"),
        valid("/%22%3C%3E%5B%5D%5E%60%7B%7C%7D", "/%22%3C%3E%5B%5D%5E%60%7B%7C%7D"),
        valid("/%22%3c%3e%5b%5d%5e%60%7b%7c%7d", "/%22%3C%3E%5B%5D%5E%60%7B%7C%7D"),
        valid("/a\"b<c>d[e]f^g`h{i|j}", "/a%22b%3Cc%3Ed%5Be%5Df%5Eg%60h%7Bi%7Cj%7D"),
        valid("/{id}/x", "/%7Bid%7D/x"),
        valid("/%80%ff", "/%80%FF"),
        valid("/caf%c3%a9", "/caf%C3%A9"),
        valid("/caf%C3%a9/x", "/caf%C3%A9/x"),
        valid("/a%20b", "/a%20b"),
        valid("/%25", "/%25"),
        valid("/a%40b%3Fc%23d", "/a@b%3Fc%23d"),
        valid("/a%3fb%23c", "/a%3Fb%23c"),
        // double encoding is data, not a slash or a dot
        valid("/a%252Fb", "/a%252Fb"),
        valid("/a%252fb", "/a%252fb"),
        valid("/%252e%252e/a", "/%252e%252e/a"),
        valid("/users/%2540me", "/users/%2540me"),
        valid("/a%253Bb", "/a%253Bb"),
        invalid("/a%2", BAD_ESCAPE),
        invalid("/a%", BAD_ESCAPE),
        invalid("/a%zz", BAD_ESCAPE),
        invalid("/a%g1", BAD_ESCAPE),
        invalid("/a%2?x", BAD_ESCAPE),
        // refused characters, literal or encoded
        invalid("/a%2Fb", SLASH),
        invalid("/a%2fb", SLASH),
        invalid("/a\\b", BACKSLASH),
        invalid("/a%5Cb", BACKSLASH),
        invalid("/a%5cb", BACKSLASH),
        invalid("/a;b", SEMICOLON),
        invalid("/a;jsessionid=1", SEMICOLON),
        invalid("/a%3Bb", SEMICOLON),
        invalid("/a%3bb", SEMICOLON),
        invalid("/a%00", CONTROL),
        invalid("/a%0D%0AX-Injected:1", CONTROL),
        invalid("/a%0a", CONTROL),
        invalid("/a%09b", CONTROL),
        invalid("/a%1f", CONTROL),
        invalid("/a%7F", CONTROL),
        invalid("/a\u0000b", CONTROL),
        invalid("/a\r\nb", CONTROL),
        invalid("/a\tb", CONTROL),
        invalid("/a\u007fb", CONTROL),
        invalid("/caf\u00e9", NON_ASCII),
        invalid("/\u65e5\u672c", NON_ASCII),
        invalid("/a b", SPACE),
        // dot segments, after decoding
        valid("/a/./b", "/a/b"),
        valid("/a/b/../c", "/a/c"),
        valid("/a/b/..", "/a/"),
        valid("/a/b/.", "/a/b/"),
        valid("/.", "/"),
        valid("/a/..", "/"),
        valid("/./a", "/a"),
        valid("/a/b/./../c", "/a/c"),
        valid("/a/..?q", "/", "q"),
        valid("/a/%2e%2e/b", "/b"),
        valid("/a/%2e/b", "/a/b"),
        valid("/a/b/%2E%2e", "/a/"),
        valid("/a/.%2E/b", "/b"),
        valid("/a/%2e/", "/a/"),
        valid("/%2ehidden", "/.hidden"),
        valid("/a..b", "/a..b"),
        valid("/..a/b..", "/..a/b.."),
        valid("/a/.../b", "/a/.../b"),
        valid("/.hidden", "/.hidden"),
        valid("/a/.well-known/x", "/a/.well-known/x"),
        invalid("/..", CLIMB),
        invalid("/../a", CLIMB),
        invalid("/./../a", CLIMB),
        invalid("/a/../../b", CLIMB),
        invalid("/a/b/../../..", CLIMB),
        invalid("/%2e%2e/x", CLIMB),
        invalid("/%2E%2E/x", CLIMB),
        invalid("/.%2e/x", CLIMB),
        invalid("/a/b/..%2F", SLASH),
        // repeated slashes collapsed, a trailing slash kept
        valid("//a///b", "/a/b"),
        valid("//", "/"),
        valid("///", "/"),
        valid("/a//", "/a/"),
        valid("//a?x", "/a", "x"),
        valid("/a//../b", "/b"),
        // absolute-form: accepted only for the Host the request names
        absolute("http://example.com/a/b", "example.com", "/a/b", null),
        absolute("http://Example.COM/a", "example.com", "/a", null),
        absolute("HTTP://example.com/a", "EXAMPLE.com", "/a", null),
        absolute("http://example.com:80/a", "example.com", "/a", null),
        absolute("http://example.com/a", "example.com:80", "/a", null),
        absolute("https://example.com:443/a", "example.com", "/a", null),
        absolute("https://example.com/a", "example.com:443", "/a", null),
        absolute("http://example.com:8080/a?x", "example.com:8080", "/a", "x"),
        absolute("http://example.com:/a", "example.com", "/a", null),
        absolute("http://example.com", "example.com", "/", null),
        absolute("http://example.com?x=1", "example.com", "/", "x=1"),
        absolute("http://[::1]:8080/a", "[::1]:8080", "/a", null),
        absolute("http://[::1]/a", "[::1]:80", "/a", null),
        absolute("http://example.com//a/./../b%7E", "example.com", "/b~", null),
        refused("http://example.com:8080/a", "example.com", MISMATCH),
        refused("http://example.com:443/a", "example.com", MISMATCH),
        refused("http://example.com/a", "evil.example", MISMATCH),
        refused("http://example.com/a", null, MISMATCH),
        refused("http://example.com.evil/a", "example.com", MISMATCH),
        refused("http://user@example.com/a", "user@example.com", MISMATCH),
        refused("http://example.com:abc/a", "example.com:abc", MISMATCH),
        refused("http:///a", "", MISMATCH),
        refused("http://[::1]:8080/a", "[::1]", MISMATCH),
        refused("http://example.com#f", "example.com", FRAGMENT),
        refused("http://example.com/a%2Fb", "example.com", SLASH),
        refused("http://example.com/../a", "example.com", CLIMB));
  }

  @ParameterizedTest(name = "[{index}] {0} (Host {1})")
  @MethodSource("cases")
  void canonicalises(String target, @Nullable String host, CanonicalTarget expected) {
    CanonicalTarget result = PathCanonicaliser.canonicalise(target, host);

    assertThat(result).isEqualTo(expected);
    String path = result.path();
    if (path != null) {
      // A canonical path is a fixed point, and comes back as the very same String.
      assertThat(PathCanonicaliser.canonicalise(path, null).path()).isSameAs(path);
    } else if (target.length() > 3) {
      assertThat(result.problem()).doesNotContain(target.substring(1));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/",
        "/users",
        "/users/42/",
        "/a..b/.hidden/:@%C3%A9%20",
        "/!$&'()*+,=/%7B%22%25%3F",
        "/a-b_c~d/x.json"
      })
  void returnsACanonicalInputWithoutCopying(String input) {
    CanonicalTarget result = PathCanonicaliser.canonicalise(input, null);

    assertThat(result.path()).isSameAs(input);
    assertThat(result.rawQuery()).isNull();
  }

  /**
   * Every printable ASCII char, sent literally or escaped in either hex case, canonicalises to the
   * same path: an access rule cannot be passed by spelling one char differently.
   */
  @Test
  void everySpellingOfACharIsOnePath() {
    for (char c = '!'; c < 0x7F; c++) {
      String hex = String.format("%02X", (int) c);
      String literal = "/x" + c + "y";
      CanonicalTarget upper = PathCanonicaliser.canonicalise("/x%" + hex + "y", null);
      CanonicalTarget lower =
          PathCanonicaliser.canonicalise(
              "/x%" + hex.toLowerCase(java.util.Locale.ROOT) + "y", null);
      assertThat(lower).as("%%%s", hex).isEqualTo(upper);
      if ("/?#%".indexOf(c) >= 0) {
        continue; // literally, these are a separator, the query, a fragment or an escape
      }
      assertThat(PathCanonicaliser.canonicalise(literal, null)).as(literal).isEqualTo(upper);
    }
  }

  @Test
  void refusesTargetsOverTheLimit() {
    String longest = "/" + "a".repeat(PathCanonicaliser.MAX_TARGET_LENGTH - 1);

    assertThat(PathCanonicaliser.canonicalise(longest, null).path()).isSameAs(longest);
    assertThat(PathCanonicaliser.canonicalise(longest + "a", null).problem()).isEqualTo(TOO_LONG);
    assertThat(PathCanonicaliser.canonicalise("/a?" + "q".repeat(8190), null).problem())
        .isEqualTo(TOO_LONG);
  }

  @Test
  void neverThrowsAndAlwaysYieldsAFixedPoint() {
    // Fixed seed: the same targets on every run, built from the characters the rules care about.
    Random random = new Random(20240611);
    String alphabet = "/./%2eE2fF5cC3bB0a9?#;\\ ~-_x\t\u00e9:@";
    for (int n = 0; n < 50_000; n++) {
      StringBuilder target = new StringBuilder("/");
      int length = random.nextInt(16);
      for (int i = 0; i < length; i++) {
        target.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String input = target.toString();
      CanonicalTarget result = PathCanonicaliser.canonicalise(input, null);
      String path = result.path();
      assertThat(path == null).as(input).isEqualTo(result.problem() != null);
      if (path != null) {
        assertThat(path).as(input).startsWith("/").doesNotContain("//", "/./", "/../");
        assertThat(PathCanonicaliser.canonicalise(path, null).path()).as(input).isSameAs(path);
      }
    }
  }

  private static Arguments valid(String target, String path) {
    return valid(target, path, null);
  }

  private static Arguments valid(String target, String path, @Nullable String query) {
    return arguments(target, null, CanonicalTarget.of(path, query));
  }

  private static Arguments invalid(String target, String problem) {
    return arguments(target, null, CanonicalTarget.invalid(problem));
  }

  private static Arguments absolute(
      String target, String host, String path, @Nullable String query) {
    return arguments(target, host, CanonicalTarget.of(path, query));
  }

  private static Arguments refused(String target, @Nullable String host, String problem) {
    return arguments(target, host, CanonicalTarget.invalid(problem));
  }
}
