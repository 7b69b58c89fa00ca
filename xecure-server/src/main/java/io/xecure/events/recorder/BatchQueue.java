package io.xecure.events.recorder;

import io.xecure.events.RequestEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The bounded hand-off between the event loops and the writer thread: a ring of bytes outside the
 * heap, each event written as {@link EventBytes} behind its length. {@link #offer} never blocks:
 * when the ring is full (its bytes, or its capacity in events) the event is dropped and counted.
 * {@link #drain} takes what is there, up to a batch, waiting a bounded time for the first event.
 *
 * <p>Why outside the heap: the writer falls behind by up to a second while DuckDB commits or
 * checkpoints (35,000 events queued at the worst moment under the harness's load), and every young
 * collection in that time copied every event still queued: megabytes of survivors and pauses of 3-8
 * ms that made the p99 with events on ({@code bench/results/events-gc-2026-12-05.md}). Here a young
 * collection sees nothing of them.
 *
 * <p>Producers (any thread) take a lock only to reserve their space, copy their bytes in and
 * publish; the one consumer reads without it, up to the published tail, and publishes how far it
 * read. Positions only grow; a record that does not fit before the ring's end starts again at 0,
 * the rest of the end marked as padding.
 */
final class BatchQueue {
  /** Ring bytes per event of capacity: an event of the shared harness takes about 200. */
  static final int BYTES_PER_EVENT = 256;

  private static final int PADDING = -1;

  private final ByteBuffer ring;
  private final int size;
  private final int capacity;
  private final ReentrantLock producers = new ReentrantLock();
  private volatile long tail; // written under the lock
  private volatile long head; // written by the consumer only
  private final AtomicInteger count = new AtomicInteger();
  private volatile @Nullable Thread waiting; // the consumer, while it waits in drain
  private final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> new byte[1024]);
  private byte[] readScratch = new byte[1024]; // the consumer's
  // LongAdder: every event loop counts on every request, without contending on one cache line
  private final LongAdder queued = new LongAdder();
  private final LongAdder dropped = new LongAdder();

  /** A ring for at most {@code capacity} events, of {@value #BYTES_PER_EVENT} bytes each. */
  BatchQueue(int capacity) {
    this.capacity = capacity;
    this.size = Math.toIntExact((long) capacity * BYTES_PER_EVENT);
    this.ring = ByteBuffer.allocateDirect(size);
  }

  /** Queues the event, or counts it as dropped when the ring is full. */
  void offer(RequestEvent event) {
    int max = EventBytes.maxLength(event);
    byte[] bytes = scratch.get();
    if (bytes.length < max) {
      bytes = new byte[Math.max(max, bytes.length * 2)];
      scratch.set(bytes);
    }
    int length = EventBytes.write(event, bytes);
    // a quarter of the ring at most: far beyond any head the listeners let through
    if (length > size / 4 || !put(bytes, length)) {
      dropped.increment();
      return;
    }
    queued.increment();
    Thread consumer = waiting;
    if (consumer != null) {
      LockSupport.unpark(consumer);
    }
  }

  private boolean put(byte[] bytes, int length) {
    int record = 4 + length;
    producers.lock();
    try {
      long t = tail;
      int index = (int) (t % size);
      int toEnd = size - index;
      long needed = record <= toEnd ? record : (long) toEnd + record;
      if (needed > size - (t - head) || count.get() >= capacity) {
        return false;
      }
      if (record > toEnd) {
        if (toEnd >= 4) {
          ring.putInt(index, PADDING);
        }
        t += toEnd;
        index = 0;
      }
      ring.putInt(index, length);
      ring.put(index + 4, bytes, 0, length);
      count.incrementAndGet();
      tail = t + record; // publishes the bytes to the consumer
      return true;
    } finally {
      producers.unlock();
    }
  }

  /**
   * Moves up to {@code max} events into {@code batch}, waiting at most {@code waitMillis} for the
   * first one (0: not at all). The consumer's side: one thread only.
   */
  void drain(List<RequestEvent> batch, int max, long waitMillis) throws InterruptedException {
    if (take(batch, max) > 0 || waitMillis <= 0) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    waiting = Thread.currentThread();
    try {
      // a producer publishes, then looks for a waiting consumer: set before looking, so an event
      // published after this look wakes the park below (or makes it return at once)
      while (take(batch, max) == 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        LockSupport.parkNanos(this, left);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    } finally {
      waiting = null;
    }
  }

  private int take(List<RequestEvent> batch, int max) {
    long h = head;
    long t = tail;
    int taken = 0;
    while (taken < max && h < t) {
      int index = (int) (h % size);
      int toEnd = size - index;
      int length = toEnd < 4 ? PADDING : ring.getInt(index);
      if (length == PADDING) {
        h += toEnd;
        continue;
      }
      byte[] bytes = readScratch;
      if (bytes.length < length) {
        bytes = new byte[Math.max(length, bytes.length * 2)];
        readScratch = bytes;
      }
      ring.get(index + 4, bytes, 0, length);
      batch.add(EventBytes.read(bytes));
      h += 4 + length;
      taken++;
    }
    if (h != head) {
      count.addAndGet(-taken);
      head = h; // frees the space to the producers
    }
    return taken;
  }

  /** Events queued and not yet drained. */
  int size() {
    return count.get();
  }

  boolean isEmpty() {
    return count.get() == 0;
  }

  /** Empties the queue, counting what it held as dropped: for events offered after shutdown. */
  int discard() {
    List<RequestEvent> rest = new ArrayList<>();
    int total = 0;
    int n;
    while ((n = take(rest, 1024)) > 0) {
      total += n;
      rest.clear();
    }
    dropped.add(total);
    return total;
  }

  /** Counts an event refused without queueing it (the recorder is closed). */
  void reject() {
    dropped.increment();
  }

  long queued() {
    return queued.sum();
  }

  long dropped() {
    return dropped.sum();
  }
}
