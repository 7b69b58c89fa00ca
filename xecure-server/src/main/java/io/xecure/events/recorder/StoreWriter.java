package io.xecure.events.recorder;

import io.xecure.events.RequestEvent;
import io.xecure.store.EventStore;
import io.xecure.store.StoreUnavailableException;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts batches into the store and, while it is unreachable, into the {@link Spool}; delivers the
 * spool once the store is back. Runs on the writer thread only.
 *
 * <p>When the store fails with {@link StoreUnavailableException} it is taken as down: batches go
 * straight to the spool, without waiting for another connection time-out each, and the store is
 * tried again after a back-off (doubling from {@code minBackoff} to {@code maxBackoff}) with the
 * next batch or the oldest spooled one. Once it answers, spooled batches are delivered one per call
 * of {@link #deliverOne}, oldest first, between new batches. A batch the store refuses for any
 * other reason (bad data) is dropped and counted: retrying it could never succeed.
 */
final class StoreWriter {
  private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);

  private final EventStore store;
  private final Spool spool;
  private final Clock clock;
  private final LongSupplier nanos;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong spooled = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final BatchIds ids = new BatchIds();
  // events in the store's open group (appended, not yet committed), and when it began
  private int grouped;
  private long groupStarted;
  private final Backoff backoff;

  StoreWriter(
      EventStore store,
      Spool spool,
      Clock clock,
      LongSupplier nanos,
      long minBackoffNanos,
      long maxBackoffNanos) {
    this.store = store;
    this.spool = spool;
    this.clock = clock;
    this.nanos = nanos;
    this.backoff = new Backoff(nanos, minBackoffNanos, maxBackoffNanos);
  }

  /**
   * Appends the batch to the store's open group, left uncommitted until {@link #commit} or {@link
   * #commitIfOlder} (a store that does not group commits it at once); or spools it while the store
   * is down. The events count as written once committed.
   */
  void writeGrouped(List<RequestEvent> batch) {
    String id = ids.next(clock.millis());
    if (!backoff.attemptDue()) {
      toSpool(id, batch);
      return;
    }
    try {
      boolean stored = store.appendRequestEventsGrouped(id, batch);
      int expected = grouped + (stored ? batch.size() : 0);
      int open = store.uncommittedRequestEvents();
      written.addAndGet(expected - open); // what the store committed on its own (a full group)
      if (grouped == 0 && open > 0) {
        groupStarted = nanos.getAsLong(); // a group began with this batch
      }
      grouped = open;
      up();
    } catch (StoreUnavailableException e) {
      lostGroup();
      down(e);
      toSpool(id, batch);
    } catch (RuntimeException e) {
      lostGroup();
      dropped.addAndGet(batch.size());
      LOG.error("the store refused a batch of {} request events; dropped", batch.size(), e);
    }
  }

  /** Commits the store's open group if it began at least {@code ageNanos} ago. */
  void commitIfOlder(long ageNanos) {
    if (grouped > 0 && nanos.getAsLong() - groupStarted >= ageNanos) {
      commit();
    }
  }

  /** Commits the store's open group, if any. */
  void commit() {
    if (grouped == 0) {
      return;
    }
    try {
      store.commitRequestEvents();
      written.addAndGet(grouped);
      grouped = 0;
      up();
    } catch (StoreUnavailableException e) {
      lostGroup();
      down(e);
    } catch (RuntimeException e) {
      lostGroup();
    }
  }

  /** The store rolled its open group back: those events are in the events file only. */
  private void lostGroup() {
    if (grouped > 0) {
      dropped.addAndGet(grouped);
      LOG.error(
          "the store rolled back {} request events appended to it and not yet committed; counted"
              + " as dropped, the events file holds them",
          grouped);
      grouped = 0;
    }
  }

  private void toSpool(String id, List<RequestEvent> batch) {
    try {
      spool.write(id, batch);
      spooled.addAndGet(batch.size());
    } catch (IOException e) {
      dropped.addAndGet(batch.size());
      LOG.error(
          "store unavailable and spool {} not writable: {} request events dropped: {}",
          spool.dir(),
          batch.size(),
          e.toString());
    }
  }

  /** Whether {@link #deliverOne} has something to do now. */
  boolean deliveryDue() {
    return !spool.isEmpty() && backoff.attemptDue();
  }

  /** Delivers the oldest spooled batch, if due; deletes its file once the store holds it. */
  void deliverOne() {
    if (!deliveryDue()) {
      return;
    }
    commit();
    Spool.Batch batch = spool.oldest();
    List<RequestEvent> events;
    try {
      events = spool.read(batch);
    } catch (IOException e) {
      LOG.error("spool file {} is unreadable; set aside: {}", batch.file(), e.toString());
      reject(batch);
      return;
    }
    boolean stored;
    try {
      stored = store.appendRequestEvents(batch.id(), events);
    } catch (StoreUnavailableException e) {
      down(e);
      return;
    } catch (RuntimeException e) {
      LOG.error("the store refused spool file {}; set aside", batch.file(), e);
      reject(batch);
      return;
    }
    if (!stored) {
      LOG.info("spooled batch {} was already stored; not stored again", batch.id());
    }
    // either way the store holds these events now
    written.addAndGet(events.size());
    up();
    spool.delete(batch);
    if (spool.isEmpty()) {
      LOG.info("every spooled request event is delivered");
    }
  }

  private void reject(Spool.Batch batch) {
    dropped.addAndGet(batch.events());
    spool.reject(batch);
  }

  private void down(StoreUnavailableException e) {
    if (backoff.failed()) {
      LOG.warn("store unavailable, spooling request events to {}: {}", spool.dir(), e.getMessage());
    }
  }

  private void up() {
    if (backoff.succeeded()) {
      LOG.info("store reachable again; {} spooled request events to deliver", spool.backlog());
    }
  }

  /** Whether the last attempt reached the store. */
  boolean storeUp() {
    return !backoff.down();
  }

  long written() {
    return written.get();
  }

  long spooled() {
    return spooled.get();
  }

  long dropped() {
    return dropped.get();
  }

  long backlog() {
    return spool.backlog();
  }
}
