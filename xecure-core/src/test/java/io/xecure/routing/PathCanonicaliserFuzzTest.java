package io.xecure.routing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Fuzzes {@link PathCanonicaliser} against a slow, obvious model of the canonical form (decode
 * every segment, resolve dot segments on a stack, re-encode), and checks the properties routing and
 * the access rules rely on for every input: it never throws, the output is a fixed point, never
 * climbs, never holds an encoded slash, a dot segment or a repeated slash, and is at most three
 * times the input's length.
 *
 * <p>Every build replays the inputs in {@code src/test/resources/io/xecure/routing/
 * PathCanonicaliserFuzzTestInputs/canonicalise/} (each file is one request target, read as
 * ISO-8859-1); {@code scripts/fuzz.sh} fuzzes it and adds what it finds there.
 */
class PathCanonicaliserFuzzTest {
  private static final String HOST = "example.com";
  private static final String ABSOLUTE = "http://" + HOST;

  @FuzzTest
  void canonicalise(byte[] input) {
    String target = new String(input, ISO_8859_1);
    String host = target.startsWith("/") ? null : HOST;

    CanonicalTarget result = PathCanonicaliser.canonicalise(target, host);

    String path = result.path();
    assertThat(path == null)
        .as("refused exactly when a problem is given")
        .isEqualTo(!result.valid());
    if (path == null) {
      assertThat(result.problem()).isNotBlank().hasSizeLessThan(64);
      if (target.length() >= 8) {
        assertThat(result.problem()).doesNotContain(target);
      }
    } else {
      assertCanonical(path);
      assertThat(path.length()).isLessThanOrEqualTo(3 * target.length());
      assertThat(PathCanonicaliser.canonicalise(path, null).path()).isSameAs(path);
    }
    if (target.startsWith("/")) {
      assertThat(view(result)).isEqualTo(view(Model.canonicalise(target)));
    } else if (target.startsWith(ABSOLUTE + "/")) {
      String origin = target.substring(ABSOLUTE.length());
      assertThat(view(result)).isEqualTo(view(Model.canonicalise(origin)));
    }
  }

  /** What must agree with the model: validity, path and query (problem texts may differ). */
  private static String view(CanonicalTarget t) {
    return t.valid() ? "valid " + t.path() + " ? " + t.rawQuery() : "refused";
  }

  private static void assertCanonical(String path) {
    assertThat(path).startsWith("/").doesNotContain("//");
    for (String segment : path.substring(1).split("/", -1)) {
      assertThat(segment).as(path).isNotIn(".", "..");
    }
    for (int i = 1; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%') {
        assertThat(i + 2).as(path).isLessThan(path.length());
        int octet = Integer.parseInt(path.substring(i + 1, i + 3), 16);
        assertThat(path.substring(i + 1, i + 3)).as(path).isUpperCase();
        assertThat(Model.pchar(octet)).as("%s holds a pchar encoded", path).isFalse();
        assertThat(octet).as("%s holds an encoded slash", path).isNotEqualTo('/');
        i += 2;
      } else {
        assertThat(c == '/' || Model.pchar(c)).as("%s holds %s literally", path, c).isTrue();
      }
    }
  }

  /**
   * The canonical form as the class Javadoc words it, computed the slow, obvious way; independent
   * of the single-pass implementation, so that the two can be compared.
   */
  static final class Model {
    private static final String PCHAR =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,=:@";

    private Model() {}

    static boolean pchar(int c) {
      return c < 0x80 && PCHAR.indexOf(c) >= 0;
    }

    static CanonicalTarget canonicalise(String target) {
      if (target.length() > PathCanonicaliser.MAX_TARGET_LENGTH) {
        return CanonicalTarget.invalid("too long");
      }
      int question = target.indexOf('?');
      String rawPath = question < 0 ? target : target.substring(0, question);
      String query = question < 0 ? null : target.substring(question + 1);
      if (query != null && !query.chars().allMatch(c -> c > ' ' && c != 0x7F && c != '#')) {
        return CanonicalTarget.invalid("query");
      }
      List<String> resolved = new ArrayList<>();
      String[] segments = rawPath.substring(1).split("/", -1);
      boolean trailingSlash = false;
      for (int i = 0; i < segments.length; i++) {
        String segment = decode(segments[i]);
        if (segment == null) {
          return CanonicalTarget.invalid("segment");
        }
        boolean last = i == segments.length - 1;
        trailingSlash = last && (segment.isEmpty() || segment.equals(".") || segment.equals(".."));
        if (segment.equals("..")) {
          if (resolved.isEmpty()) {
            return CanonicalTarget.invalid("climb");
          }
          resolved.remove(resolved.size() - 1);
        } else if (!segment.isEmpty() && !segment.equals(".")) {
          resolved.add(segment);
        }
      }
      StringBuilder path = new StringBuilder();
      for (String segment : resolved) {
        path.append('/');
        for (char c : segment.toCharArray()) {
          if (pchar(c)) {
            path.append(c);
          } else {
            path.append('%').append(String.format("%02X", (int) c));
          }
        }
      }
      if (path.length() == 0 || trailingSlash) {
        path.append('/');
      }
      return CanonicalTarget.of(path.toString(), query);
    }

    private static boolean hex(char c) {
      return "0123456789ABCDEFabcdef".indexOf(c) >= 0;
    }

    /** The segment's octets (as chars 0-255), or null when the segment must be refused. */
    private static @Nullable String decode(String segment) {
      StringBuilder octets = new StringBuilder();
      for (int i = 0; i < segment.length(); i++) {
        char c = segment.charAt(i);
        if (c == '%') {
          if (i + 2 >= segment.length()
              || !hex(segment.charAt(i + 1))
              || !hex(segment.charAt(i + 2))) {
            return null;
          }
          char octet = (char) Integer.parseInt(segment.substring(i + 1, i + 3), 16);
          if (octet < ' ' || octet == 0x7F || "/\\;".indexOf(octet) >= 0) {
            return null;
          }
          octets.append(octet);
          i += 2;
        } else if (c <= ' ' || c >= 0x7F || "\\;#".indexOf(c) >= 0) {
          return null;
        } else {
          octets.append(c);
        }
      }
      return octets.toString();
    }
  }
}
