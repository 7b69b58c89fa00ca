package io.xecure.events.recorder;

import io.xecure.config.EventsConfig;
import io.xecure.events.EventSink;
import io.xecure.events.EventStats;
import io.xecure.events.RequestEvent;
import io.xecure.store.EventStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records request events off the request path (SPEC §7). {@link #record} only offers to a bounded
 * queue: a full queue drops and counts, never blocks. One writer thread drains the queue in batches
 * — with an events file every 10 ms, without one at most every 100 ms unless a batch is full, at
 * least every 200 ms.
 *
 * <p>With an events file ({@code events.file}), the writer only appends each batch to it, handed to
 * the operating system at once and forced to disk every second; the file is the store's queue: a
 * {@link FileIndexer} reads it behind the writer, at low priority while the CPUs are busy, and
 * stores it with its position in the same transaction (docs/events-indexer.md). A killed process
 * loses only what was queued; the store catches up from where its last commit left it.
 *
 * <p>Without a file, the writer stores each batch itself ({@link StoreWriter}) — or, while the
 * store is unreachable, spools it ({@link Spool}), delivered once the store is back and at the next
 * start. Under load the store's batches are committed together, at least every 250 ms (see {@link
 * Tuning}): listed a quarter of a second later, for about a third less of the writer's CPU per
 * event with DuckDB (bench/events-cost.sh).
 *
 * <p>{@link #close} writes everything still queued, closes the file, and stores what the store
 * lacks of it (for a minute at most; the next start stores the rest).
 *
 * <p>The concerns live in their own classes: {@link BatchQueue} (hand-off), {@link JsonLinesFile}
 * (file and rotation), {@link FileIndexer} (the file into the store), {@link StoreWriter} (store or
 * spool, without a file), {@link Spool} (batches on disk), {@link Retention} (deleting old events).
 */
public final class EventRecorder implements EventSink, EventStats, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  /**
   * Sizes and intervals; tests shorten them. A batch of at least {@code groupFrom} events joins the
   * store's open group, committed once {@code groupAge} old (or full); a smaller one, and the group
   * with it, is committed at once: traffic that light gains little from grouping, and its events
   * are listed sooner. With an events file, the store may fall {@code lagLimit} bytes of it (and
   * {@code events.max_store_lag} of time) behind while the CPUs are busy ({@link FileIndexer}).
   */
  record Tuning(
      int capacity,
      int batch,
      Duration linger,
      Duration fileLinger,
      Duration drainInterval,
      Duration syncInterval,
      Duration minBackoff,
      Duration maxBackoff,
      int groupFrom,
      Duration groupAge,
      long lagLimit) {
    static final Tuning DEFAULT =
        new Tuning(
            65_536,
            4_096,
            Duration.ofMillis(100),
            Duration.ofMillis(10),
            Duration.ofMillis(200),
            Duration.ofSeconds(1),
            Duration.ofMillis(250),
            Duration.ofSeconds(5),
            1_000,
            Duration.ofMillis(250),
            2L << 30);
  }

  private final Tuning tuning;
  private final BatchQueue queue;
  private final @Nullable JsonLinesFile file;
  // with a file, the indexer stores it; without one, the writer stores each batch: never both
  private final @Nullable FileIndexer indexer;
  private final @Nullable StoreWriter writer;
  private final @Nullable Retention retention;
  private final AtomicLong notWritten = new AtomicLong();
  private final Thread thread;
  private volatile boolean closing;
  private volatile boolean closed;

  /**
   * Opens the events file and starts its indexer, or without a file opens the spool (finding
   * batches a previous run left); starts the writer thread.
   *
   * @throws IOException when the events file cannot be opened or the spool directory read
   */
  public EventRecorder(EventStore store, EventsConfig config, Clock clock) throws IOException {
    this(store, config, clock, Tuning.DEFAULT);
  }

  EventRecorder(EventStore store, EventsConfig config, Clock clock, Tuning tuning)
      throws IOException {
    this.tuning = tuning;
    this.queue = new BatchQueue(tuning.capacity());
    String path = config.file();
    if (path != null) {
      JsonLinesFile f =
          new JsonLinesFile(Path.of(path), config.maxFileSize(), config.maxFileAge(), clock);
      this.file = f;
      this.indexer =
          new FileIndexer(
              store, f, config.retention(), config.maxStoreLag(), tuning, clock, System::nanoTime);
      this.writer = null;
      this.retention = null;
    } else {
      StoreWriter w =
          new StoreWriter(
              store,
              new Spool(Path.of(config.spoolDir())),
              clock,
              System::nanoTime,
              tuning.minBackoff().toNanos(),
              tuning.maxBackoff().toNanos());
      this.file = null;
      this.indexer = null;
      this.writer = w;
      this.retention =
          new Retention(store, null, config.retention(), clock, System::nanoTime, w::storeUp);
    }
    this.thread = new Thread(this::run, "xecure-events");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  @Override
  public void record(RequestEvent event) {
    if (closed) {
      queue.reject();
    } else {
      queue.offer(event);
    }
  }

  private void run() {
    List<QueuedEvent> batch = new ArrayList<>(tuning.batch());
    List<RequestEvent> events = new ArrayList<>(tuning.batch()); // unpacked for the store only
    long drainMillis = tuning.drainInterval().toMillis();
    // with a file only, a batch costs a write and little more: small and often, so that the
    // writer's turns on a shared core stay shorter than the scheduler's slice and hold no request
    // back; storing it itself, a batch is a transaction: large and seldom
    long lingerNanos = (indexer != null ? tuning.fileLinger() : tuning.linger()).toNanos();
    long syncNanos = tuning.syncInterval().toNanos();
    long groupNanos = tuning.groupAge().toNanos();
    long lastSync = System.nanoTime();
    long lastWrite = lastSync - lingerNanos;
    StoreWriter w = writer;
    try {
      while (true) {
        boolean delivering = w != null && w.deliveryDue();
        if (!closing && !delivering && queue.size() < tuning.batch()) {
          // let a batch fill: a file write and a transaction cost far more than one more event,
          // and a writer taking a few events at a time would take the event loops' CPU
          long wait = lastWrite + lingerNanos - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        // read before draining: once closing, everything offered before close() is in the queue
        boolean stopping = closing;
        queue.drain(batch, tuning.batch(), stopping || delivering ? 0 : drainMillis);
        if (!batch.isEmpty()) {
          writeFile(batch);
          if (w != null) {
            events.clear();
            batch.forEach(e -> events.add(e.event()));
            w.writeGrouped(events);
            if (batch.size() < tuning.groupFrom()) {
              w.commit();
            }
          }
          batch.clear();
          lastWrite = System.nanoTime();
        } else if (w != null) {
          w.commit(); // no traffic for a while
        }
        long now = System.nanoTime();
        if (now - lastSync >= syncNanos) {
          syncFile();
          lastSync = now;
        }
        if (w != null) {
          w.commitIfOlder(groupNanos);
          if (stopping && queue.isEmpty()) {
            w.commit();
          }
        }
        if (stopping && queue.isEmpty()) {
          break;
        }
        Retention r = retention;
        if (w != null && r != null) {
          w.deliverOne();
          if (r.due()) {
            w.commit();
            r.runIfDue();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("event writer interrupted; queued events not written are counted as dropped");
    } catch (RuntimeException e) {
      LOG.error("event writer failed; further events are counted as dropped", e);
    } finally {
      closed = true;
      queue.discard();
      closeFile();
    }
  }

  private void writeFile(List<QueuedEvent> batch) {
    JsonLinesFile out = file;
    if (out == null) {
      return;
    }
    try {
      out.append(batch);
    } catch (IOException e) {
      // the file is the store's only way in: these events are lost
      notWritten.addAndGet(batch.size());
      LOG.error(
          "could not write {} request events to {}; dropped: {}",
          batch.size(),
          out.path(),
          e.toString());
    }
  }

  private void syncFile() {
    JsonLinesFile out = file;
    if (out == null) {
      return;
    }
    try {
      out.sync();
    } catch (IOException e) {
      LOG.warn("could not force {} to disk: {}", out.path(), e.toString());
    }
  }

  private void closeFile() {
    JsonLinesFile out = file;
    if (out == null) {
      return;
    }
    try {
      out.close();
    } catch (IOException e) {
      LOG.warn("could not close {}: {}", out.path(), e.toString());
    }
  }

  @Override
  public long queued() {
    return queue.queued();
  }

  @Override
  public long written() {
    FileIndexer i = indexer;
    StoreWriter w = writer;
    return i != null ? i.written() : w != null ? w.written() : 0;
  }

  @Override
  public long spooled() {
    StoreWriter w = writer;
    return w == null ? 0 : w.spooled();
  }

  /**
   * Every event lost: queue full, after close, not written to the file (the store's way in), spool
   * not writable, or refused by the store.
   */
  @Override
  public long dropped() {
    FileIndexer i = indexer;
    StoreWriter w = writer;
    return queue.dropped()
        + notWritten.get()
        + (i != null ? i.dropped() : 0)
        + (w != null ? w.dropped() : 0);
  }

  @Override
  public long spoolBacklog() {
    StoreWriter w = writer;
    return w == null ? 0 : w.backlog();
  }

  @Override
  public double storeLagSeconds() {
    FileIndexer i = indexer;
    return i == null ? 0 : i.lagSeconds();
  }

  /**
   * Writes every queued event to the file and the store (or the spool while the store is down, with
   * no file), then flushes, forces and closes the file. Waits at most a minute for each: a store
   * that hangs on every write cannot hold the process forever; events still queued then are counted
   * as dropped, and those of the file the store lacks are stored at the next start.
   */
  @Override
  public void close() {
    closing = true;
    try {
      thread.join(TimeUnit.MINUTES.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("event writer did not finish within a minute");
    }
    closed = true;
    FileIndexer i = indexer;
    if (i != null) {
      i.close();
    }
  }
}
