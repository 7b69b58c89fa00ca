package io.xecure.events.recorder;

import io.xecure.store.EventStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes request events older than the retention from the store, and rotated events files as old,
 * once an hour. The store is purged in chunks, one per call, so the events go on being stored
 * between them.
 */
final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
  static final int CHUNK = 10_000;
  private static final long PERIOD = TimeUnit.HOURS.toNanos(1);
  private static final long RETRY = TimeUnit.MINUTES.toNanos(1);

  private final EventStore store;
  private final @Nullable JsonLinesFile file;
  private final Duration keep;
  private final Clock clock;
  private final LongSupplier nanos;
  private final BooleanSupplier storeUp;
  private long next;
  private @Nullable Instant cutoff;
  private long deleted;

  Retention(
      EventStore store,
      @Nullable JsonLinesFile file,
      Duration keep,
      Clock clock,
      LongSupplier nanos,
      BooleanSupplier storeUp) {
    this.store = store;
    this.file = file;
    this.keep = keep;
    this.clock = clock;
    this.nanos = nanos;
    this.storeUp = storeUp;
    this.next = nanos.getAsLong();
  }

  /** Whether a step of the purge is due. */
  boolean due() {
    return nanos.getAsLong() - next >= 0 && storeUp.getAsBoolean();
  }

  /** Does one step of the purge when one is due. */
  void runIfDue() {
    if (!due()) {
      return;
    }
    long now = nanos.getAsLong();
    Instant before = cutoff;
    if (before == null) {
      before = clock.instant().minus(keep);
      cutoff = before;
      deleted = 0;
      if (file != null) {
        file.deleteRotatedBefore(before);
      }
    }
    try {
      int n = store.deleteRequestEventsBefore(before, CHUNK);
      deleted += n;
      if (n == CHUNK) {
        return; // more to delete: the next call goes on
      }
      if (deleted > 0) {
        LOG.info("deleted {} request events older than {}", deleted, before);
      }
      cutoff = null;
      next = now + PERIOD;
    } catch (RuntimeException e) {
      LOG.warn("could not delete old request events: {}", e.getMessage());
      cutoff = null;
      next = now + RETRY;
    }
  }
}
