package io.xecure.events.recorder;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * Ids of event batches: {@code <epoch millis>-<run>-<sequence>}, e.g. {@code
 * 1764370980123-k3j9x2qa-000000042}. The time first makes them sort by age and insert at the end of
 * the store's index; the run (random per process) keeps two nodes or two runs apart.
 */
final class BatchIds {
  static final String PATTERN = "\\d{13}-[0-9a-z]{8}-\\d{9}";
  private static final String DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";

  private final String run;
  private long sequence;

  BatchIds() {
    SecureRandom random = new SecureRandom();
    StringBuilder r = new StringBuilder(8);
    for (int i = 0; i < 8; i++) {
      r.append(DIGITS.charAt(random.nextInt(DIGITS.length())));
    }
    this.run = r.toString();
  }

  String next(long nowMillis) {
    sequence = (sequence + 1) % 1_000_000_000L;
    return String.format(Locale.ROOT, "%013d-%s-%09d", nowMillis, run, sequence);
  }
}
