package io.xecure.cluster;

import io.xecure.keys.KeyIndex;
import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.store.ChangeLog;
import io.xecure.store.ChangeLog.Batch;
import io.xecure.store.ChangeLog.Change;
import io.xecure.store.StoreUnavailableException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that changes a node's key index and routing snapshot: it loads a snapshot of the
 * store at some change sequence S, then applies every change after S, in sequence order, one caller
 * at a time. Every node applies its own admin writes through it too, so a node never holds a state
 * the feed does not explain, and a load never overwrites a newer change with an older one.
 *
 * <p>When the first change after the applied sequence is missing (sequences have no gaps, so the
 * feed was pruned while this node was away for longer than {@code retention.changes}), the node
 * loads a snapshot again instead of applying what is left: it never skips a change silently.
 *
 * <p>Callers: the admin services after each write ({@link #catchUp}, so the next request sees the
 * change), the feed's push listener and its poll timer. All of them block (store reads) and must
 * run off the event loop. Store failures are thrown as {@link
 * io.xecure.store.StoreUnavailableException}; what was applied stays applied.
 */
public final class ChangeApplier {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeApplier.class);

  /** Changes read per round trip. */
  static final int BATCH = 1000;

  private static final long NOT_LOADED = -1;

  private final ChangeLog log;
  private final KeyIndex index;
  private final Runnable reloadRouting;
  private final LongSupplier nanoTime;
  private final ReentrantLock applying = new ReentrantLock();
  private volatile long applied = NOT_LOADED;
  private volatile long latestSeen;
  private volatile long lastContactNanos;
  private final LongAdder reloads = new LongAdder();
  private volatile boolean stopped;

  /**
   * @param reloadRouting rebuilds the routing snapshot from the configuration file and the store's
   *     runtime changes; called, under this applier's lock, after a load and after any batch that
   *     changes an API or a plan
   * @param nanoTime a monotonic clock (System::nanoTime): staleness is measured in real time, never
   *     on the clock tests move by hand
   */
  public ChangeApplier(
      ChangeLog log, KeyIndex index, Runnable reloadRouting, LongSupplier nanoTime) {
    this.log = log;
    this.index = index;
    this.reloadRouting = reloadRouting;
    this.nanoTime = nanoTime;
    this.lastContactNanos = nanoTime.getAsLong();
  }

  /**
   * Loads every developer and key, makes the index ready and catches up. Safe to call again after a
   * failure: the index is filled again from scratch of the store.
   */
  public void load() {
    applying.lock();
    try {
      loadLocked();
      catchUpLocked();
    } finally {
      applying.unlock();
    }
  }

  /**
   * Streams a snapshot into the index. Over an index already loaded (a reload), entries the
   * snapshot no longer holds are removed afterwards; the index keeps answering meanwhile.
   */
  private void loadLocked() {
    long start = System.nanoTime();
    long at;
    if (applied == NOT_LOADED) {
      index.reserve(log.keyCountHint());
      at =
          log.loadSnapshot(
              d -> {
                unlessStopped();
                index.putDeveloper(d);
              },
              k -> {
                unlessStopped();
                index.put(k);
              });
    } else {
      Set<String> keyIds = new HashSet<>();
      Set<String> developerIds = new HashSet<>();
      at =
          log.loadSnapshot(
              d -> {
                unlessStopped();
                developerIds.add(d.id());
                index.putDeveloper(d);
              },
              k -> {
                unlessStopped();
                keyIds.add(k.id());
                index.put(k);
              });
      index.retainOnly(keyIds, developerIds);
    }
    reloadRouting.run();
    applied = at;
    latestSeen = Math.max(latestSeen, at);
    contact();
    index.markReady();
    LOG.info(
        "key index loaded: {} keys at change {} in {} ms",
        index.size(),
        at,
        (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * Makes a load in progress give up at its next row (with a {@link CancellationException}): the
   * node is stopping, and a million keys more would only delay it.
   */
  public void stop() {
    stopped = true;
  }

  private void unlessStopped() {
    if (stopped) {
      throw new CancellationException("the node is stopping");
    }
  }

  /**
   * Applies every change committed so far that this node has not applied; returns how many. Does
   * nothing before the first {@link #load} (the load will see those changes).
   */
  public int catchUp() {
    applying.lock();
    try {
      return applied == NOT_LOADED ? 0 : catchUpLocked();
    } finally {
      applying.unlock();
    }
  }

  private int catchUpLocked() {
    int total = 0;
    while (true) {
      Batch batch = log.changesAfter(applied, BATCH);
      contact();
      if (batch.changes().isEmpty()) {
        return total;
      }
      long first = batch.changes().get(0).sequence();
      if (first > applied + 1) {
        LOG.warn(
            "changes {} to {} were pruned before this node applied them (away longer than"
                + " retention.changes); loading the key index again",
            applied + 1,
            first - 1);
        reloads.increment();
        loadLocked();
        continue;
      }
      apply(batch);
      total += batch.changes().size();
      if (batch.changes().size() < BATCH) {
        return total;
      }
    }
  }

  private void apply(Batch batch) {
    boolean routing = false;
    for (Change change : batch.changes()) {
      switch (change.subject()) {
        case KEY -> {
          ApiKeyRecord key = batch.keys().get(change.id());
          if (key == null) {
            index.remove(change.id());
          } else {
            index.put(key);
          }
        }
        case DEVELOPER -> {
          Developer developer = batch.developers().get(change.id());
          if (developer == null) {
            index.removeDeveloper(change.id());
          } else {
            index.putDeveloper(developer);
          }
        }
        case API, PLAN -> routing = true;
      }
    }
    if (routing) {
      // before the sequence moves on: if this fails, the batch is applied again next time
      reloadRouting.run();
    }
    long last = batch.lastSequence(applied);
    applied = last;
    latestSeen = Math.max(latestSeen, last);
  }

  /**
   * {@link #catchUp} after this node's own write, which is committed whatever happens here: when
   * the store fails now, the feed's next poll applies the change, so the failure is only logged.
   */
  public void applyCommitted() {
    try {
      catchUp();
    } catch (StoreUnavailableException e) {
      LOG.debug("change committed; applying it waits for the feed: {}", e.getMessage());
    }
  }

  /** Records that the feed was read successfully just now. */
  private void contact() {
    lastContactNanos = nanoTime.getAsLong();
  }

  /** A push said a change of this sequence committed: lag is measured against it. */
  void seen(long sequence) {
    if (sequence > latestSeen) {
      latestSeen = sequence;
    }
  }

  /** The sequence of the last change applied; -1 before the first load. */
  public long applied() {
    return applied;
  }

  /** Snapshots loaded again because the changes this node needed were pruned. */
  public long reloads() {
    return reloads.sum();
  }

  public boolean loaded() {
    return applied != NOT_LOADED;
  }

  /** Changes known to be committed but not yet applied (from pushes and reads). */
  public long lag() {
    long a = applied;
    return a == NOT_LOADED ? 0 : Math.max(0, latestSeen - a);
  }

  /** Nanoseconds since the feed was last read successfully. */
  public long sinceContactNanos() {
    return nanoTime.getAsLong() - lastContactNanos;
  }
}
