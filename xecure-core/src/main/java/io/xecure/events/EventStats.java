package io.xecure.events;

/**
 * Counters of event recording since start, for metrics. Every request event offered is, in the end,
 * exactly one of written, dropped, or still waiting (in the queue or the spool): {@code queued +
 * dropped-when-full = offered}, and {@code queued = written + dropped-after-queueing + waiting}.
 * Reads are cheap and never block.
 */
public interface EventStats {
  /** Events accepted into the queue. */
  long queued();

  /**
   * Events the store holds from this process: written directly, or delivered from the spool
   * (including a re-delivered batch the store already had).
   */
  long written();

  /** Events written to the spool while the store was unreachable (each counted once). */
  long spooled();

  /** Events lost for good: queue full, spool not writable, or refused by the store. */
  long dropped();

  /** Events waiting in the spool for the store to come back. */
  long spoolBacklog();

  /**
   * How long ago the oldest event that the events file holds and the store does not yet was
   * recorded; 0 when the store holds them all (or there is no file).
   */
  double storeLagSeconds();

  /** Nothing recorded: every counter is zero. */
  EventStats NONE =
      new EventStats() {
        @Override
        public long queued() {
          return 0;
        }

        @Override
        public long written() {
          return 0;
        }

        @Override
        public long spooled() {
          return 0;
        }

        @Override
        public long dropped() {
          return 0;
        }

        @Override
        public long spoolBacklog() {
          return 0;
        }

        @Override
        public double storeLagSeconds() {
          return 0;
        }
      };
}
