package io.xecure.jobs;

import io.vertx.core.Vertx;
import io.xecure.config.RetentionConfig;
import io.xecure.store.ChangeLog;
import io.xecure.store.NodeStore;
import io.xecure.store.NodeStore.Node;
import io.xecure.store.UsageStore;
import io.xecure.usage.UsageInterval;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes usage rows past their retention (daily rows past {@code retention.usage}, hourly past
 * {@code retention.usage_hours}, per-minute past {@code retention.usage_minutes}), and changes of
 * the feed past {@code retention.changes}, every {@link #INTERVAL} on a worker, in chunks of {@link
 * #CHUNK} rows, each its own short transaction, so the store never holds long locks. A change is
 * kept, however old, until every live node has applied it (the lowest applied sequence in the nodes
 * table); a node that was away for longer finds the changes it missed pruned and reloads its key
 * index from a snapshot ({@link io.xecure.cluster.ChangeApplier}). Every node of a cluster runs it;
 * the deletes are idempotent. Request events past {@code retention.events} are deleted by the event
 * recorder's own retention, on its writer thread, together with rotated events files.
 */
public final class RetentionJob implements AutoCloseable {
  public static final Duration INTERVAL = Duration.ofHours(1);

  /**
   * The first run comes at a random point this long or up to twice as long after the start: the
   * start's own work (loading the key index, the JIT warming up the request path under the first
   * traffic) goes first, and the nodes of a cluster restarted together do not all delete at once. A
   * row is deleted up to an hour after it passes its retention in any case: a first run at one
   * minute bought nothing but work in a node's busiest minutes
   * (bench/results/retention-2026-12-07.md).
   */
  static final Duration FIRST_RUN = Duration.ofMinutes(10);

  static final int CHUNK = 5_000;

  /** Bounds one run (50 million rows); a larger backlog continues at the next run. */
  static final int MAX_CHUNKS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

  private final Vertx vertx;
  private final UsageStore store;
  private final RetentionConfig retention;
  private final Clock clock;
  private final @Nullable Feed feed;
  private volatile long timer = -1;
  private volatile boolean closed;

  /**
   * The change feed to prune and the nodes that read it.
   *
   * @param live whether a node's heartbeat is recent enough that it still reads the feed
   */
  public record Feed(ChangeLog log, NodeStore nodes, Predicate<Node> live) {}

  /** A job that deletes usage rows only. */
  public RetentionJob(Vertx vertx, UsageStore store, RetentionConfig retention, Clock clock) {
    this(vertx, store, retention, clock, null);
  }

  public RetentionJob(
      Vertx vertx, UsageStore store, RetentionConfig retention, Clock clock, @Nullable Feed feed) {
    this.vertx = vertx;
    this.store = store;
    this.retention = retention;
    this.clock = clock;
    this.feed = feed;
  }

  /** Runs first after {@link #firstRun} of a random draw, then every {@link #INTERVAL}. */
  public void start() {
    start(firstRun(ThreadLocalRandom.current()));
  }

  synchronized void start(Duration first) {
    if (timer < 0) {
      timer =
          vertx.setPeriodic(
              first.toMillis(), INTERVAL.toMillis(), id -> vertx.executeBlocking(this::run, false));
    }
  }

  /** When the first run comes: between {@link #FIRST_RUN} and twice that after the start. */
  static Duration firstRun(RandomGenerator random) {
    long base = FIRST_RUN.toMillis();
    return Duration.ofMillis(base + random.nextLong(base));
  }

  /** How many usage rows and changes of the feed one run deleted. */
  public record Deleted(long usage, long changes) {
    public Deleted(long usage) {
      this(usage, 0);
    }
  }

  /**
   * Deletes what is past its retention at the clock's now. Blocks: call it on a worker (or in a
   * test). A store failure ends the run early; the next run carries on.
   */
  public synchronized Deleted run() {
    Instant now = clock.instant();
    long usage = 0;
    try {
      for (UsageInterval grain : UsageInterval.values()) {
        usage += drain(grain, now.minus(retention.usage(grain)));
      }
    } catch (RuntimeException e) {
      LOG.warn("retention: could not delete old usage rows, will retry: {}", e.getMessage());
    }
    if (usage > 0) {
      LOG.info("retention: deleted {} usage rows", usage);
    }
    long changes = 0;
    Feed f = feed;
    if (f != null) {
      try {
        changes = prune(f, now.minus(retention.changes()));
      } catch (RuntimeException e) {
        LOG.warn("retention: could not delete old changes, will retry: {}", e.getMessage());
      }
      if (changes > 0) {
        LOG.info("retention: deleted {} changes of the feed", changes);
      }
    }
    return new Deleted(usage, changes);
  }

  /** Deletes changes before {@code cutoff} that every live node has applied. */
  private long prune(Feed f, Instant cutoff) {
    long lowest = Long.MAX_VALUE;
    for (Node node : f.nodes().nodes()) {
      if (f.live().test(node)) {
        lowest = Math.min(lowest, node.appliedSequence());
      }
    }
    if (lowest == Long.MAX_VALUE) {
      return 0; // no live node has reported what it applied: prune nothing
    }
    long total = 0;
    for (int i = 0; i < MAX_CHUNKS && !closed; i++) {
      int n = f.log().deleteChangesBefore(cutoff, lowest, CHUNK);
      if (n == 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  private long drain(UsageInterval grain, Instant cutoff) {
    long total = 0;
    for (int i = 0; i < MAX_CHUNKS && !closed; i++) {
      int n = store.deleteUsageBefore(grain, cutoff, CHUNK);
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
