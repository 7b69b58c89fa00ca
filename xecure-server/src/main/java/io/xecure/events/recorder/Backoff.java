package io.xecure.events.recorder;

import java.util.function.LongSupplier;

/**
 * Whether the store is taken as down, and when to try it again: after a failure it is down, tried
 * again after a back-off that doubles from {@code min} to {@code max} with each failure in a row; a
 * success brings it up. For one thread (the writer without a file, the indexer with one); its
 * callers say once that the store went down or came back.
 */
final class Backoff {
  private final LongSupplier nanos;
  private final long minNanos;
  private final long maxNanos;
  private boolean down;
  private long backoffNanos;
  private long nextAttemptNanos;

  Backoff(LongSupplier nanos, long minNanos, long maxNanos) {
    this.nanos = nanos;
    this.minNanos = minNanos;
    this.maxNanos = maxNanos;
  }

  boolean down() {
    return down;
  }

  /** Whether the store may be asked now: it is up, or down and its back-off has passed. */
  boolean attemptDue() {
    return !down || nanos.getAsLong() - nextAttemptNanos >= 0;
  }

  /** A failure; true when the store went down with this one. */
  boolean failed() {
    boolean wentDown = !down;
    backoffNanos = wentDown ? minNanos : Math.min(maxNanos, backoffNanos * 2);
    down = true;
    nextAttemptNanos = nanos.getAsLong() + backoffNanos;
    return wentDown;
  }

  /** A failure that is not the store's (the file unreadable, say): the longest back-off at once. */
  void failedLong() {
    down = true;
    backoffNanos = maxNanos;
    nextAttemptNanos = nanos.getAsLong() + backoffNanos;
  }

  /** A success; true when the store was down until now. */
  boolean succeeded() {
    boolean wasDown = down;
    down = false;
    return wasDown;
  }
}
