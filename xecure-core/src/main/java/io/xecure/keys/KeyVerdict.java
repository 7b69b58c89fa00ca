package io.xecure.keys;

import io.xecure.model.Developer;
import org.jspecify.annotations.Nullable;

/** A {@link KeyOutcome} with the key and developer when they were found. */
public record KeyVerdict(
    KeyOutcome outcome, @Nullable IndexedKey key, @Nullable Developer developer) {
  static final KeyVerdict MALFORMED = new KeyVerdict(KeyOutcome.MALFORMED, null, null);
  static final KeyVerdict UNKNOWN = new KeyVerdict(KeyOutcome.UNKNOWN, null, null);
  static final KeyVerdict UNVERIFIABLE = new KeyVerdict(KeyOutcome.UNVERIFIABLE, null, null);

  public boolean valid() {
    return outcome == KeyOutcome.VALID;
  }
}
