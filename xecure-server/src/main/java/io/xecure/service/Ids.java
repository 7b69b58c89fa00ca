package io.xecure.service;

import io.xecure.keys.Base62;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * Time-ordered ids: a prefix, 9 base62 digits of epoch millis, then 12 random digits (71 bits).
 * Base62 digits sort in ASCII order, so ids sort by creation time to the millisecond; stores page
 * by id, so a page walk lists keys roughly oldest first.
 */
public final class Ids {
  private static final int TIME_DIGITS = 9;
  private static final int RANDOM_DIGITS = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  public static String key(Clock clock) {
    return next("key_", clock);
  }

  public static String developer(Clock clock) {
    return next("dev_", clock);
  }

  /** A request id for admin responses and logs. */
  public static String request(Clock clock) {
    return next("req_", clock);
  }

  private static String next(String prefix, Clock clock) {
    StringBuilder id = new StringBuilder(prefix.length() + TIME_DIGITS + RANDOM_DIGITS);
    id.append(prefix);
    Base62.appendFixed(id, clock.millis(), TIME_DIGITS);
    Base62.appendRandom(id, RANDOM, RANDOM_DIGITS);
    return id.toString();
  }
}
