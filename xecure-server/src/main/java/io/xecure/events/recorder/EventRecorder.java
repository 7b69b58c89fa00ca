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
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records request events off the request path (SPEC §7). {@link #record} only offers to a bounded
 * queue: a full queue drops and counts, never blocks. One writer thread drains the queue in batches
 * — at most every 100 ms unless a batch is full, at least every 200 ms — and writes each batch to
 * the JSON-lines file and to the store — or, while the store is unreachable, to the spool,
 * delivered once it is back and at the next start. Under load the store's batches are committed
 * together, at least every 250 ms (see {@link Tuning}): listed a quarter of a second later, for
 * about a third less of the writer's CPU per event with DuckDB (bench/events-cost.sh). The file is
 * written first and is the log of record: every batch is handed to the operating system before the
 * store is asked, so a killed process loses only what was queued, and at start the store is given
 * what the file holds and it lacks ({@link Reconciler}). The file is forced to disk every second,
 * so a crash of the machine loses at most the last second. {@link #close} writes everything still
 * queued (to the store or the spool) and closes the file.
 *
 * <p>The concerns live in their own classes: {@link BatchQueue} (hand-off), {@link JsonLinesFile}
 * (file and rotation), {@link StoreWriter} (store or spool), {@link Spool} (batches on disk),
 * {@link Reconciler} (the store caught up with the file at start), {@link Retention} (deleting old
 * events).
 */
public final class EventRecorder implements EventSink, EventStats, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  /**
   * Sizes and intervals; tests shorten them. A batch of at least {@code groupFrom} events joins the
   * store's open group, committed once {@code groupAge} old (or full); a smaller one, and the group
   * with it, is committed at once: traffic that light gains little from grouping, and its events
   * are listed sooner.
   */
  record Tuning(
      int capacity,
      int batch,
      Duration linger,
      Duration drainInterval,
      Duration syncInterval,
      Duration minBackoff,
      Duration maxBackoff,
      int groupFrom,
      Duration groupAge) {
    static final Tuning DEFAULT =
        new Tuning(
            65_536,
            4_096,
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofSeconds(1),
            Duration.ofMillis(250),
            Duration.ofSeconds(5),
            1_000,
            Duration.ofMillis(250));
  }

  private final Tuning tuning;
  private final BatchQueue queue;
  private final @Nullable JsonLinesFile file;
  private final StoreWriter writer;
  private final Retention retention;
  private final Thread thread;
  private volatile boolean closing;
  private volatile boolean closed;

  /**
   * Opens the events file and the spool (finding batches a previous run left), gives the store the
   * events at the file's end that it lacks ({@link Reconciler}), and starts the writer thread.
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
    Spool spool = new Spool(Path.of(config.spoolDir()));
    this.file =
        path == null
            ? null
            : new JsonLinesFile(Path.of(path), config.maxFileSize(), config.maxFileAge(), clock);
    this.writer =
        new StoreWriter(
            store,
            spool,
            clock,
            System::nanoTime,
            tuning.minBackoff().toNanos(),
            tuning.maxBackoff().toNanos());
    this.retention =
        new Retention(store, file, config.retention(), clock, System::nanoTime, writer::storeUp);
    if (file != null) {
      new Reconciler(store, spool, writer, tuning.batch()).run(file.path(), file.newestRotated());
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
    List<RequestEvent> batch = new ArrayList<>(tuning.batch());
    long drainMillis = tuning.drainInterval().toMillis();
    long lingerNanos = tuning.linger().toNanos();
    long syncNanos = tuning.syncInterval().toNanos();
    long groupNanos = tuning.groupAge().toNanos();
    long lastSync = System.nanoTime();
    long lastWrite = lastSync - lingerNanos;
    try {
      while (true) {
        if (!closing && !writer.deliveryDue() && queue.size() < tuning.batch()) {
          // let a batch fill: a transaction and a file write cost far more than one more row,
          // and a writer taking a few events at a time would take the event loops' CPU
          long wait = lastWrite + lingerNanos - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        // read before draining: once closing, everything offered before close() is in the queue
        boolean stopping = closing;
        queue.drain(batch, tuning.batch(), stopping || writer.deliveryDue() ? 0 : drainMillis);
        if (!batch.isEmpty()) {
          // the file first: the store never holds an event the file lacks (unless the file
          // cannot be written), and the reconcile at start relies on the store lacking a tail
          writeFile(batch);
          writer.writeGrouped(batch);
          if (batch.size() < tuning.groupFrom()) {
            writer.commit();
          }
          batch.clear();
          lastWrite = System.nanoTime();
        } else {
          writer.commit(); // no traffic for a while
        }
        writer.commitIfOlder(groupNanos);
        long now = System.nanoTime();
        if (now - lastSync >= syncNanos) {
          syncFile();
          lastSync = now;
        }
        if (stopping && queue.isEmpty()) {
          writer.commit();
          break;
        }
        writer.deliverOne();
        if (retention.due()) {
          writer.commit();
          retention.runIfDue();
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

  private void writeFile(List<RequestEvent> batch) {
    JsonLinesFile out = file;
    if (out == null) {
      return;
    }
    try {
      out.append(batch);
    } catch (IOException e) {
      LOG.warn("could not write request events to {}: {}", out.path(), e.toString());
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
    return writer.written();
  }

  @Override
  public long spooled() {
    return writer.spooled();
  }

  /** Every event lost: queue full, after close, spool not writable, or refused by the store. */
  @Override
  public long dropped() {
    return queue.dropped() + writer.dropped();
  }

  @Override
  public long spoolBacklog() {
    return writer.backlog();
  }

  /**
   * Writes every queued event to the store (or the spool while the store is down), then flushes,
   * forces and closes the file. Waits at most a minute: a store that hangs on every write cannot
   * hold the process forever; events still queued then are counted as dropped.
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
  }
}
