package io.xecure.keys;

import java.security.SecureRandom;

/** Base62 ({@code 0-9A-Za-z}) digits for keys, checksums and ids. */
public final class Base62 {
  static final char[] DIGITS =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final byte[] VALUES = new byte[128];

  static {
    java.util.Arrays.fill(VALUES, (byte) -1);
    for (int i = 0; i < DIGITS.length; i++) {
      VALUES[DIGITS[i]] = (byte) i;
    }
  }

  private Base62() {}

  public static boolean isDigit(char c) {
    return c < 128 && VALUES[c] >= 0;
  }

  /** The value of a digit for which {@link #isDigit} holds. */
  public static int value(char c) {
    return VALUES[c];
  }

  /** Appends {@code count} uniformly random digits (rejection sampling, no modulo bias). */
  public static void appendRandom(StringBuilder out, SecureRandom random, int count) {
    byte[] buf = new byte[count * 2];
    int written = 0;
    while (written < count) {
      random.nextBytes(buf);
      for (int i = 0; i < buf.length && written < count; i++) {
        int v = buf[i] & 0xFF;
        if (v < 248) { // 248 = 62 * 4: keeps the distribution uniform
          out.append(DIGITS[v % 62]);
          written++;
        }
      }
    }
  }

  /** {@code value} (non-negative) as exactly {@code width} digits, zero-padded on the left. */
  public static void appendFixed(StringBuilder out, long value, int width) {
    char[] digits = new char[width];
    long v = value;
    for (int i = width - 1; i >= 0; i--) {
      digits[i] = DIGITS[(int) (v % 62)];
      v /= 62;
    }
    out.append(digits);
  }
}
