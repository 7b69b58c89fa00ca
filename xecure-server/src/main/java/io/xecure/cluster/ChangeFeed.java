package io.xecure.cluster;

import io.xecure.config.ClusterConfig;
import io.xecure.store.ChangeLog;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the {@link ChangeApplier} on one thread of its own: loads the index (retrying with
 * back-off until it succeeds), then catches up whenever a push says a change committed, whenever
 * the push connection is (re)established, and on a timer ({@code cluster.poll_interval}) so that a
 * change arrives within that bound even when every push is lost. Judges staleness: the feed
 * unreachable for longer than {@code cluster.max_staleness}.
 */
public final class ChangeFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
  private static final long FIRST_RETRY_MS = 250;
  private static final long MAX_RETRY_MS = 10_000;

  private final ChangeApplier applier;
  private final ChangeLog log;
  private final ClusterConfig config;
  private final ScheduledExecutorService thread;
  private final AtomicBoolean catchUpQueued = new AtomicBoolean();
  private final AtomicBoolean failing = new AtomicBoolean();
  private volatile ChangeLog.Subscription subscription = ChangeLog.Subscription.NONE;
  private volatile boolean closed;
  private final CompletableFuture<Void> loaded = new CompletableFuture<>();

  public ChangeFeed(ChangeApplier applier, ChangeLog log, ClusterConfig config) {
    this.applier = applier;
    this.log = log;
    this.config = config;
    ScheduledThreadPoolExecutor feedThread =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "xecure-change-feed");
              t.setDaemon(true);
              return t;
            });
    // at close, a retry or poll still waiting is dropped rather than waited for
    feedThread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.thread = feedThread;
  }

  /** Starts loading in the background; returns at once. */
  public void start() {
    thread.execute(() -> load(1, FIRST_RETRY_MS));
  }

  private void load(int attempt, long retryMs) {
    if (closed) {
      return;
    }
    try {
      applier.load();
    } catch (CancellationException e) {
      return; // the node is stopping, or its start was abandoned: nothing to retry or report
    } catch (RuntimeException e) {
      LOG.warn(
          "key index load failed (attempt {}), retrying in {} ms: {}",
          attempt,
          retryMs,
          e.getMessage());
      thread.schedule(
          () -> load(attempt + 1, Math.min(MAX_RETRY_MS, retryMs * 2)),
          retryMs,
          TimeUnit.MILLISECONDS);
      return;
    }
    loaded.complete(null);
    if (config.push()) {
      subscription = log.subscribe(new Pushes());
    }
    // at a fixed rate of half the bound: a change committed just after one poll is read by the
    // next,
    // inside poll_interval even with the catch-up's own time, when every push is lost
    long poll = Math.max(1, config.pollInterval().toMillis() / 2);
    thread.scheduleAtFixedRate(this::catchUp, poll, poll, TimeUnit.MILLISECONDS);
  }

  /** Queues one catch-up on the feed's thread; many requests while one is queued make one. */
  public void requestCatchUp() {
    if (!closed && catchUpQueued.compareAndSet(false, true)) {
      try {
        thread.execute(
            () -> {
              catchUpQueued.set(false);
              catchUp();
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        catchUpQueued.set(false); // closing
      }
    }
  }

  private void catchUp() {
    try {
      applier.catchUp();
      if (failing.compareAndSet(true, false)) {
        LOG.info("change feed reachable again; caught up to change {}", applier.applied());
      }
    } catch (RuntimeException e) {
      if (failing.compareAndSet(false, true)) {
        LOG.warn("change feed unreachable: {}", e.getMessage());
      }
    }
  }

  /**
   * Whether this node's view may be missing changes made elsewhere: loaded, but the feed not read
   * successfully for longer than {@code cluster.max_staleness}.
   */
  public boolean stale() {
    return applier.loaded() && applier.sinceContactNanos() > config.maxStaleness().toNanos();
  }

  /** Completes once the index is loaded (after as many attempts as that takes). */
  public CompletableFuture<Void> loaded() {
    return loaded;
  }

  public ChangeApplier applier() {
    return applier;
  }

  public Duration pollInterval() {
    return config.pollInterval();
  }

  /**
   * Stops the feed: a load in progress gives up at its next row, a catch-up in progress finishes
   * (interrupted after 5 s), nothing waiting runs.
   */
  @Override
  public void close() {
    closed = true;
    applier.stop();
    subscription.close();
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        thread.shutdownNow();
        thread.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private final class Pushes implements ChangeLog.Listener {
    @Override
    public void changed(long sequence) {
      applier.seen(sequence);
      if (sequence > applier.applied()) {
        requestCatchUp();
      }
    }

    @Override
    public void connected() {
      requestCatchUp();
    }

    @Override
    public void disconnected(Exception cause) {
      LOG.debug("change push connection lost: {}", cause.getMessage());
    }
  }
}
