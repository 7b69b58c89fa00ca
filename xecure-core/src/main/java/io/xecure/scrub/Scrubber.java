package io.xecure.scrub;

import io.xecure.keys.Base62;
import io.xecure.keys.KeyFormat;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Removes secrets from a text about to be written down (SPEC §4: "everything written down passes
 * one scrubber"). Two rules, applied wherever they match:
 *
 * <ul>
 *   <li>Anything shaped like one of our keys (the prefix, 32 base62 digits and a checksum that
 *       passes, see {@link KeyFormat}) becomes {@code <prefix>REDACTED}, also when any of its
 *       characters is percent-encoded ({@code xk%5F…}).
 *   <li>The value of a credential-like parameter ({@code ?api_key=…}, {@code &token=…}, also after
 *       {@code ;} or {@code #}) becomes {@code REDACTED}. The name matches case-insensitively and
 *       percent-decoded ({@code API%5FKey}); the value runs up to the next {@code &}, {@code #},
 *       quote, backslash, white space or control character, so a scrubbed JSON line stays JSON.
 * </ul>
 *
 * <p>Imported keys have no shape to recognise: they are removed only as parameter values, which is
 * why every configured query key location is one of the names. Nothing is ever trimmed or decoded
 * in what is kept; a text without secrets is returned as the same instance.
 *
 * <p>Linear in the text, without regular expressions: at each position at most one key's length
 * (each character possibly percent-encoded) and one name's length are examined. Immutable and safe
 * to share between threads.
 */
public final class Scrubber {
  /** What replaces a removed value; a removed key keeps its prefix in front of it. */
  public static final String MARK = "REDACTED";

  /** The parameter names scrubbed unless {@code events.redact_params} says otherwise. */
  public static final List<String> DEFAULT_PARAMS =
      List.of("api_key", "apikey", "key", "token", "access_token");

  /**
   * Our default key prefix and the default names: for what is written before the config is read.
   */
  public static final Scrubber DEFAULT = new Scrubber("xk_", DEFAULT_PARAMS);

  private final KeyFormat format;
  private final String prefix;
  private final int keyLength;
  private final Set<String> params;
  private final String[] names;
  private final int longestParam;

  /**
   * @param keyPrefix the prefix of our keys ({@code keys.prefix})
   * @param params parameter names whose values are removed; matched ignoring ASCII case
   */
  public Scrubber(String keyPrefix, Collection<String> params) {
    this.format = new KeyFormat(keyPrefix);
    this.prefix = keyPrefix;
    this.keyLength = keyPrefix.length() + KeyFormat.RANDOM_LENGTH + KeyFormat.CHECKSUM_LENGTH;
    TreeSet<String> names = new TreeSet<>();
    for (String p : params) {
      if (!p.isEmpty()) {
        names.add(p.toLowerCase(Locale.ROOT));
      }
    }
    this.params = Set.copyOf(names);
    this.names = names.toArray(new String[0]);
    this.longestParam = names.stream().mapToInt(String::length).max().orElse(0);
  }

  /** The same key prefix with {@code more} parameter names (e.g. the APIs' query key fields). */
  public Scrubber withParams(Collection<String> more) {
    if (params.containsAll(more.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList())) {
      return this;
    }
    TreeSet<String> all = new TreeSet<>(params);
    all.addAll(more);
    return new Scrubber(prefix, all);
  }

  /** The parameter names scrubbed, lower case. */
  public Set<String> params() {
    return params;
  }

  /** {@code text} with every key and credential parameter value replaced; itself when none. */
  public String scrub(String text) {
    @Nullable StringBuilder out = null;
    int copied = 0;
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      int keyEnd = c == prefix.charAt(0) || c == '%' ? keyEnd(text, i) : -1;
      if (keyEnd > 0) {
        out = copy(out, text, copied, i).append(prefix).append(MARK);
        copied = i = keyEnd;
        continue;
      }
      if (c == '?' || c == '&' || c == ';' || c == '#') {
        int valueStart = credentialValue(text, i + 1);
        if (valueStart > 0) {
          int valueEnd = valueEnd(text, valueStart);
          boolean done =
              valueEnd - valueStart == MARK.length() && text.startsWith(MARK, valueStart);
          if (valueEnd > valueStart && !done) {
            out = copy(out, text, copied, valueStart).append(MARK);
            copied = valueEnd;
          }
          i = valueEnd;
          continue;
        }
      }
      i++;
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copied, n).toString();
  }

  private static StringBuilder copy(@Nullable StringBuilder out, String text, int from, int to) {
    StringBuilder b = out == null ? new StringBuilder(text.length()) : out;
    return b.append(text, from, to);
  }

  /**
   * Where a key that starts at {@code start} ends, its characters read literally or as {@code %XX},
   * or -1 when no key starts there. Examines at most three times a key's length.
   */
  private int keyEnd(String text, int start) {
    int at = start;
    for (int k = 0; k < prefix.length(); k++) {
      if (decodedAt(text, at) != prefix.charAt(k)) {
        return -1;
      }
      at += width(text, at);
    }
    char[] key = new char[keyLength];
    prefix.getChars(0, prefix.length(), key, 0);
    for (int k = prefix.length(); k < keyLength; k++) {
      int c = decodedAt(text, at);
      if (c < 0 || !Base62.isDigit((char) c)) {
        return -1;
      }
      key[k] = (char) c;
      at += width(text, at);
    }
    return format.checksumValid(new String(key)) ? at : -1;
  }

  /** How many characters the (possibly percent-encoded) character at {@code i} takes. */
  private static int width(String text, int i) {
    return text.charAt(i) == '%' ? 3 : 1;
  }

  /** The character at {@code i}, decoding {@code %XX}; -1 past the end. */
  private static int decodedAt(String text, int i) {
    if (i >= text.length()) {
      return -1;
    }
    char c = text.charAt(i);
    if (c != '%') {
      return c;
    }
    if (i + 2 >= text.length()) {
      return -1;
    }
    int hi = Character.digit(text.charAt(i + 1), 16);
    int lo = Character.digit(text.charAt(i + 2), 16);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
  }

  /**
   * When a credential-like name and {@code =} start at {@code start}: where its value starts;
   * otherwise -1. A name as written is compared without allocating; only a percent-encoded one is
   * decoded first. At most three times the longest name's length is examined.
   */
  private int credentialValue(String text, int start) {
    int limit = Math.min(text.length(), start + 3 * longestParam + 1);
    boolean encoded = false;
    int eq = start;
    while (eq < limit && text.charAt(eq) != '=') {
      char c = text.charAt(eq);
      if (c == '&' || c == '#' || c == '?' || c == ';') {
        return -1;
      }
      encoded |= c == '%';
      eq++;
    }
    if (eq == start || eq >= limit) {
      return -1;
    }
    if (!encoded) {
      for (String name : names) {
        if (name.length() == eq - start && text.regionMatches(true, start, name, 0, eq - start)) {
          return eq + 1;
        }
      }
      return -1;
    }
    StringBuilder name = new StringBuilder(eq - start);
    for (int at = start; at < eq; at += width(text, at)) {
      int c = decodedAt(text, at);
      if (c < 0) {
        return -1;
      }
      name.append(Character.toLowerCase((char) c));
    }
    return params.contains(name.toString()) ? eq + 1 : -1;
  }

  private static int valueEnd(String text, int start) {
    int at = start;
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c == '&' || c == '#' || c == '"' || c == '\\' || c <= ' ' || c == 0x7F) {
        return at;
      }
      at++;
    }
    return at;
  }
}
