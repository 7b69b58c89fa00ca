package io.xecure.jobs;

import io.vertx.core.Vertx;
import io.xecure.config.RetentionConfig;
import io.xecure.store.UsageStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes usage rows past {@code retention.usage}, every {@link #INTERVAL} on a worker, in chunks
 * of {@link #CHUNK} rows, each its own short transaction, so the store never holds long locks.
 * Every node of a cluster runs it; the deletes are idempotent. Request events past {@code
 * retention.events} are deleted by the event recorder's own retention, on its writer thread,
 * together with rotated events files.
 */
public final class RetentionJob implements AutoCloseable {
  public static final Duration INTERVAL = Duration.ofHours(1);

  /** The first run waits this long: start-up (loading the key index) goes first. */
  static final Duration FIRST_RUN = Duration.ofMinutes(1);

  static final int CHUNK = 5_000;

  /** Bounds one run (50 million rows); a larger backlog continues at the next run. */
  static final int MAX_CHUNKS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

  private final Vertx vertx;
  private final UsageStore store;
  private final RetentionConfig retention;
  private final Clock clock;
  private volatile long timer = -1;
  private volatile boolean closed;

  public RetentionJob(Vertx vertx, UsageStore store, RetentionConfig retention, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.retention = retention;
    this.clock = clock;
  }

  public synchronized void start() {
    if (timer < 0) {
      timer =
          vertx.setPeriodic(
              FIRST_RUN.toMillis(),
              INTERVAL.toMillis(),
              id -> vertx.executeBlocking(this::run, false));
    }
  }

  /** How many usage rows one run deleted. */
  public record Deleted(long usage) {}

  /**
   * Deletes what is past its retention at the clock's now. Blocks: call it on a worker (or in a
   * test). A store failure ends the run early; the next run carries on.
   */
  public synchronized Deleted run() {
    Instant now = clock.instant();
    long usage = 0;
    try {
      usage = drain(now.minus(retention.usage()));
    } catch (RuntimeException e) {
      LOG.warn("retention: could not delete old usage rows, will retry: {}", e.getMessage());
    }
    if (usage > 0) {
      LOG.info("retention: deleted {} usage rows", usage);
    }
    return new Deleted(usage);
  }

  private long drain(Instant cutoff) {
    long total = 0;
    for (int i = 0; i < MAX_CHUNKS && !closed; i++) {
      int n = store.deleteUsageBefore(cutoff, CHUNK);
      if (n == 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  /** Stops the timer; a run in progress stops after its current chunk. */
  @Override
  public void close() {
    closed = true;
    long t = timer;
    if (t >= 0) {
      vertx.cancelTimer(t);
    }
  }
}
