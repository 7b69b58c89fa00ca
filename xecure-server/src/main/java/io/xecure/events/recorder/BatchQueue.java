package io.xecure.events.recorder;

import io.xecure.events.RequestEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bounded hand-off between the event loops and the writer thread. {@link #offer} never blocks:
 * when the queue is full the event is dropped and counted. {@link #drain} takes what is there, up
 * to a batch, waiting a bounded time for the first event. Events wait as {@link QueuedEvent}s, two
 * objects each, for the young collections that find them here, and are handed to the writer as they
 * are.
 */
final class BatchQueue {
  private final BlockingQueue<QueuedEvent> queue;
  // LongAdder: every event loop counts on every request, without contending on one cache line
  private final LongAdder queued = new LongAdder();
  private final LongAdder dropped = new LongAdder();

  BatchQueue(int capacity) {
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  /** Queues the event, or counts it as dropped when the queue is full. */
  void offer(RequestEvent event) {
    if (queue.offer(QueuedEvent.of(event))) {
      queued.increment();
    } else {
      dropped.increment();
    }
  }

  /**
   * Moves up to {@code max} events into {@code batch}, waiting at most {@code waitMillis} for the
   * first one (0: not at all).
   */
  void drain(List<QueuedEvent> batch, int max, long waitMillis) throws InterruptedException {
    if (take(batch, max) > 0 || waitMillis <= 0) {
      return;
    }
    QueuedEvent first = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
    if (first != null) {
      batch.add(first);
      take(batch, max - 1);
    }
  }

  private int take(List<QueuedEvent> batch, int max) {
    // one lock for the batch, not one per event taken against the event loops' offers
    return queue.drainTo(batch, max);
  }

  int size() {
    return queue.size();
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Empties the queue, counting what it held as dropped: for events offered after shutdown. */
  int discard() {
    List<QueuedEvent> rest = new ArrayList<>();
    queue.drainTo(rest);
    dropped.add(rest.size());
    return rest.size();
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
