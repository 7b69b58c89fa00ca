package io.xecure.store;

import java.time.Instant;

/**
 * Where a stored event sits in newest-first order: by time, then by the store's insertion sequence
 * (later first) among events of the same time. Lists of events page by it.
 */
public record EventPosition(Instant time, long seq) implements Comparable<EventPosition> {
  /** Newest first: a position compares lower than the positions listed after it. */
  @Override
  public int compareTo(EventPosition other) {
    int byTime = other.time.compareTo(time);
    return byTime != 0 ? byTime : Long.compare(other.seq, seq);
  }
}
