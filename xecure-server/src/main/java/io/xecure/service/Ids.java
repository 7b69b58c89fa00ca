package io.xecure.service;

import io.xecure.keys.Base62;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Time-ordered ids: a prefix, 9 base62 digits of epoch millis, then 12 random digits (71 bits).
 * Base62 digits sort in ASCII order, so ids sort by creation time to the millisecond; stores page
 * by id, so a page walk lists keys roughly oldest first.
 */
public final class Ids {
  private static final int TIME_DIGITS = 9;
  private static final int RANDOM_DIGITS = 12;
  private static final int COUNTER_DIGITS = 6; // 56 billion ids per sequence
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  public static String key(Clock clock) {
    return next("key_", clock);
  }

  public static String developer(Clock clock) {
    return next("dev_", clock);
  }

  /**
   * Key ids for one bulk import: one time and random part, then a counter, so a batch's ids are
   * ascending. Database indexes take ascending keys several times faster than random ones (4x on H2
   * at a million keys), and the ids still sort by creation.
   */
  public static Supplier<String> keySequence(Clock clock) {
    StringBuilder base = new StringBuilder("key_");
    Base62.appendFixed(base, clock.millis(), TIME_DIGITS);
    Base62.appendRandom(base, RANDOM, RANDOM_DIGITS - COUNTER_DIGITS);
    String prefix = base.toString();
    AtomicLong counter = new AtomicLong();
    return () -> {
      StringBuilder id = new StringBuilder(prefix.length() + COUNTER_DIGITS).append(prefix);
      Base62.appendFixed(id, counter.getAndIncrement(), COUNTER_DIGITS);
      return id.toString();
    };
  }

  /** An alert id: alerts are listed newest first by id. */
  public static String alert(Clock clock) {
    return next("alr_", clock);
  }

  /** A request id for admin responses and logs. */
  public static String request(Clock clock) {
    return next("req_", clock);
  }

  /** A time-ordered id with {@code prefix}, for ids of other packages (operators, tokens). */
  public static String next(String prefix, Clock clock) {
    StringBuilder id = new StringBuilder(prefix.length() + TIME_DIGITS + RANDOM_DIGITS);
    id.append(prefix);
    Base62.appendFixed(id, clock.millis(), TIME_DIGITS);
    Base62.appendRandom(id, RANDOM, RANDOM_DIGITS);
    return id.toString();
  }
}
