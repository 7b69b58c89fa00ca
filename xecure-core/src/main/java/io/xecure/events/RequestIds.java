package io.xecure.events;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The gateway's request ids: 20 characters of {@code 0-9} and {@code a-v}, five bits each, spelling
 * two numbers drawn from a thread-local PRNG (the first twelve characters the low 60 bits, the last
 * eight the high 40). Unique enough to find a request in logs and events, and cheap: no
 * SecureRandom contention on the event loop. The DuckDB event store keeps an id of this form as the
 * one {@code HUGEINT} it spells rather than as a string: an id is the one value unique to each
 * event, so DuckDB's string compression finds nothing in it and it was about a quarter of the
 * store's cost per event (bench/results/scheduler-2026-12-07.md).
 */
public final class RequestIds {
  public static final int LENGTH = 20;
  private static final int LOW_CHARS = 12;
  private static final char[] DIGITS = "0123456789abcdefghijklmnopqrstuv".toCharArray();

  private RequestIds() {}

  /** A new id. */
  public static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return spell(random.nextLong(), random.nextLong());
  }

  /**
   * Whether {@code id} is of the gateway's form, so that {@link #low} and {@link #high} spell it.
   */
  public static boolean fits(String id) {
    if (id.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      if (digit(id.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The low 60 bits of an id that {@link #fits}. */
  public static long low(String id) {
    return bits(id, 0, LOW_CHARS);
  }

  /** The high 40 bits of an id that {@link #fits}. */
  public static long high(String id) {
    return bits(id, LOW_CHARS, LENGTH);
  }

  /** The id that {@code low} and {@code high} spell (their low 60 and 40 bits). */
  public static String spell(long low, long high) {
    char[] out = new char[LENGTH];
    long a = low;
    for (int i = 0; i < LOW_CHARS; i++) {
      out[i] = DIGITS[(int) (a & 31)];
      a >>>= 5;
    }
    long b = high;
    for (int i = LOW_CHARS; i < LENGTH; i++) {
      out[i] = DIGITS[(int) (b & 31)];
      b >>>= 5;
    }
    return new String(out);
  }

  private static long bits(String id, int from, int to) {
    long v = 0;
    for (int i = to - 1; i >= from; i--) {
      v = (v << 5) | digit(id.charAt(i));
    }
    return v;
  }

  private static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'v') {
      return c - 'a' + 10;
    }
    return -1;
  }
}
