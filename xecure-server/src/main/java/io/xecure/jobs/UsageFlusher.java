package io.xecure.jobs;

import io.vertx.core.Vertx;
import io.xecure.store.UsageStore;
import io.xecure.usage.KeyUse;
import io.xecure.usage.UsageAggregator;
import io.xecure.usage.UsageRow;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves usage from memory to the store every {@link #INTERVAL}, on a worker: what every minute has
 * counted since the last flush, the minute in progress included (added to their rows, so a minute
 * flushed many times or by several nodes adds up; {@code GET /admin/usage} on any node shows
 * traffic at most one interval late, SPEC §7), and the latest use of every key used since the last
 * flush (so {@code last_used_at} in the admin API is at most one interval behind). {@link #close}
 * flushes everything.
 *
 * <p>When the store is unavailable, what was taken is kept and retried with the next flush, merged
 * with the new counts, up to {@link #MAX_PENDING_ROWS} rows; beyond that rows are dropped and
 * counted ({@link #droppedRows}).
 */
public final class UsageFlusher implements AutoCloseable {
  /**
   * How often usage is written: how late traffic, or a key's last use, shows in the admin API. A
   * store write per active key, developer and API every 2 s: small, batched upserts.
   */
  public static final Duration INTERVAL = Duration.ofSeconds(2);

  static final int MAX_PENDING_ROWS = 1_000_000;

  private static final Logger LOG = LoggerFactory.getLogger(UsageFlusher.class);

  private final Vertx vertx;
  private final UsageStore store;
  private final UsageAggregator aggregator;
  private final Clock clock;
  private final Map<UsageRow.Key, UsageRow> pendingRows = new LinkedHashMap<>();
  private final Map<String, KeyUse> pendingUses = new HashMap<>();
  private final AtomicLong writtenRows = new AtomicLong();
  private final AtomicLong droppedRows = new AtomicLong();
  private long timer = -1;
  private boolean closed;

  public UsageFlusher(Vertx vertx, UsageStore store, UsageAggregator aggregator, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.aggregator = aggregator;
    this.clock = clock;
  }

  /** Starts flushing every {@link #INTERVAL}. */
  public synchronized void start() {
    if (timer < 0) {
      timer =
          vertx.setPeriodic(INTERVAL.toMillis(), id -> vertx.executeBlocking(this::flush, false));
    }
  }

  /**
   * Writes what every minute counted so far and the keys' latest uses; returns how many usage rows
   * were written (0 when the store failed: they are retried next time). Blocks: call it on a worker
   * (or in a test).
   */
  public int flush() {
    return flush(false);
  }

  /** Rows written since start. */
  public long writtenRows() {
    return writtenRows.get();
  }

  /** Rows lost because the store stayed unavailable while more than the pending bound piled up. */
  public long droppedRows() {
    return droppedRows.get();
  }

  private synchronized int flush(boolean everything) {
    if (closed) {
      return 0; // a timer tick queued before close: the store may be closed by now
    }
    UsageAggregator.Drained drained = aggregator.drain(clock.instant(), everything);
    for (UsageRow row : drained.rows()) {
      pendingRows.merge(row.key(), row, (a, b) -> a.withCounts(a.counts().plus(b.counts())));
    }
    for (KeyUse use : drained.uses()) {
      pendingUses.merge(use.keyId(), use, (a, b) -> a.at().isBefore(b.at()) ? b : a);
    }
    int written = writeRows();
    writeUses();
    return written;
  }

  private int writeRows() {
    if (pendingRows.isEmpty()) {
      return 0;
    }
    List<UsageRow> rows = new ArrayList<>(pendingRows.values());
    try {
      store.addUsage(rows);
      pendingRows.clear();
      writtenRows.addAndGet(rows.size());
      return rows.size();
    } catch (RuntimeException e) {
      LOG.warn(
          "could not add {} usage rows to the store, will retry: {}", rows.size(), e.getMessage());
      dropBeyondBound();
      return 0;
    }
  }

  private void dropBeyondBound() {
    int excess = pendingRows.size() - MAX_PENDING_ROWS;
    if (excess <= 0) {
      return;
    }
    var it = pendingRows.keySet().iterator(); // oldest first: insertion order
    for (int i = 0; i < excess; i++) {
      it.next();
      it.remove();
    }
    droppedRows.addAndGet(excess);
    LOG.warn("dropped {} usage rows: the store has been unavailable for too long", excess);
  }

  private void writeUses() {
    if (pendingUses.isEmpty()) {
      return;
    }
    try {
      store.recordKeyUses(List.copyOf(pendingUses.values()));
      pendingUses.clear();
    } catch (RuntimeException e) {
      // kept (one per key, the latest) and retried: bounded by the number of keys
      LOG.warn("could not record the last use of {} keys: {}", pendingUses.size(), e.getMessage());
    }
  }

  /** Stops the timer and writes everything still in memory. Call once the data plane stopped. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    flush(true);
    closed = true;
    if (!pendingRows.isEmpty()) {
      droppedRows.addAndGet(pendingRows.size());
      LOG.warn("{} usage rows could not be written before shutdown", pendingRows.size());
    }
  }
}
