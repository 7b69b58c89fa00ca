package io.xecure.proxy;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: 20 lowercase hex-like characters from a thread-local PRNG. Unique enough to find a
 * request in logs and events, and cheap: no SecureRandom contention on the event loop.
 */
final class RequestIds {
  private static final char[] DIGITS = "0123456789abcdefghijklmnopqrstuv".toCharArray();

  private RequestIds() {}

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long a = random.nextLong();
    long b = random.nextLong();
    char[] out = new char[20];
    for (int i = 0; i < 12; i++) {
      out[i] = DIGITS[(int) (a & 31)];
      a >>>= 5;
    }
    for (int i = 12; i < 20; i++) {
      out[i] = DIGITS[(int) (b & 31)];
      b >>>= 5;
    }
    return new String(out);
  }
}
