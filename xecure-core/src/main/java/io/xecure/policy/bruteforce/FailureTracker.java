package io.xecure.policy.bruteforce;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import io.vertx.core.Future;
import io.xecure.cache.RequestPathCaches;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invalid keys per client and the clients blocked for them: one process-wide, bounded map, kept
 * across route rebuilds and never in the store (a node blocks what it sees).
 *
 * <p>Failures are counted in a fixed window that opens at a client's first failure; the failure
 * that reaches {@code threshold} within it blocks the client for {@code block}, after which it
 * starts afresh. An entry is dropped once its window and block are over, and the map holds at most
 * {@code maximumClients} (about 100 bytes each): beyond that the least active entries go first, so
 * a flood of addresses costs a bounded amount of memory, not the ability to block.
 *
 * <p>As the fallback of a shared ledger (Redis down), the threshold is shared out: {@code threshold
 * / N} on each of N live nodes (at least 1), as rate limits fall back to limit / N, so a client
 * spreading its guesses over every node is still blocked after about {@code threshold}.
 */
public final class FailureTracker implements FailureLedger {
  private static final Logger LOG = LoggerFactory.getLogger(FailureTracker.class);

  /** About 10 MB when full. */
  public static final long DEFAULT_MAXIMUM_CLIENTS = 100_000;

  /**
   * Told each time a client becomes blocked (once per block), on the thread that counted the
   * failure, usually an event loop: it must return at once and never throw.
   */
  @FunctionalInterface
  public interface BlockListener {
    /**
     * @param client the client as counted: an IPv4 address or an IPv6 /64
     * @param failures the invalid keys that blocked it
     */
    void blocked(String client, int failures, Duration block);

    BlockListener NONE = (client, failures, block) -> {};
  }

  /** A client's failures since {@code windowStart}; blocked until {@code blockedUntil} (or 0). */
  private record Entry(long windowStart, int failures, long blockedUntil, long expiresAt) {}

  private final BruteForceConfig config;
  private final Clock clock;
  private final Cache<String, Entry> clients;
  private final BlockListener listener;
  private final IntSupplier nodes;

  public FailureTracker(BruteForceConfig config, Clock clock) {
    this(config, clock, DEFAULT_MAXIMUM_CLIENTS);
  }

  public FailureTracker(BruteForceConfig config, Clock clock, long maximumClients) {
    this(config, clock, maximumClients, BlockListener.NONE);
  }

  /** A tracker that tells {@code listener} of each block (alerts: {@code brute_force}). */
  public FailureTracker(
      BruteForceConfig config, Clock clock, long maximumClients, BlockListener listener) {
    this(config, clock, maximumClients, listener, () -> 1);
  }

  /**
   * A tracker that blocks at {@code threshold / nodes} (at least 1): one node's share, while the
   * ledger the nodes share is unreachable.
   *
   * @param nodes the live nodes now, asked at each failure (fewer than 1 counts as 1)
   */
  public FailureTracker(
      BruteForceConfig config,
      Clock clock,
      long maximumClients,
      BlockListener listener,
      IntSupplier nodes) {
    this.config = config;
    this.clock = clock;
    this.listener = listener;
    this.nodes = nodes;
    this.clients =
        RequestPathCaches.builder()
            .maximumSize(maximumClients)
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
            .expireAfter(new EntryExpiry())
            .build();
  }

  /** {@link #blockedForMillis}, already complete. */
  @Override
  public Future<Long> blockedFor(String client) {
    return Future.succeededFuture(blockedForMillis(client));
  }

  /** {@link #recordFailure}, already counted. */
  @Override
  public Future<Void> failed(String client) {
    recordFailure(client);
    return Future.succeededFuture();
  }

  /** Milliseconds {@code client} is still blocked for; 0 when it is not. One map look-up. */
  public long blockedForMillis(String client) {
    if (!config.enabled()) {
      return 0;
    }
    Entry entry = clients.getIfPresent(client);
    if (entry == null || entry.blockedUntil() == 0) {
      return 0;
    }
    return Math.max(0, entry.blockedUntil() - clock.millis());
  }

  /** Counts one invalid key presented by {@code client}; true when it now blocks the client. */
  public boolean recordFailure(String client) {
    if (!config.enabled()) {
      return false;
    }
    long now = clock.millis();
    boolean[] blocked = new boolean[1];
    Entry entry =
        clients
            .asMap()
            .compute(
                client,
                (k, old) -> {
                  Entry next = next(old, now);
                  blocked[0] =
                      next.blockedUntil() != 0
                          && (old == null || old.blockedUntil() != next.blockedUntil());
                  return next;
                });
    if (blocked[0]) {
      LOG.warn(
          "client {} blocked for {} s after {} invalid keys within {} s",
          client,
          config.block().toSeconds(),
          entry == null ? threshold() : entry.failures(),
          config.window().toSeconds());
      listener.blocked(
          client, entry == null ? config.threshold() : entry.failures(), config.block());
    }
    return blocked[0];
  }

  private Entry next(@Nullable Entry old, long now) {
    if (old == null) {
      return counted(now, 1, now);
    }
    if (old.blockedUntil() > now) {
      return old;
    }
    boolean blockOver = old.blockedUntil() != 0;
    if (blockOver || now - old.windowStart() >= config.window().toMillis()) {
      return counted(now, 1, now);
    }
    return counted(old.windowStart(), old.failures() + 1, now);
  }

  private Entry counted(long windowStart, int failures, long now) {
    long windowEnd = windowStart + config.window().toMillis();
    if (failures < threshold()) {
      return new Entry(windowStart, failures, 0, windowEnd);
    }
    long until = now + config.block().toMillis();
    return new Entry(windowStart, failures, until, Math.max(until, windowEnd));
  }

  /** The failures that block: this node's share of the configured threshold. */
  public int threshold() {
    return Math.max(1, config.threshold() / Math.max(1, nodes.getAsInt()));
  }

  /** Clients currently tracked, for tests and metrics. */
  public long size() {
    clients.cleanUp();
    return clients.estimatedSize();
  }

  private final class EntryExpiry implements Expiry<String, Entry> {
    @Override
    public long expireAfterCreate(String key, Entry entry, long currentTime) {
      return remaining(entry);
    }

    @Override
    public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
      return remaining(entry);
    }

    @Override
    public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
      return currentDuration;
    }

    private long remaining(Entry entry) {
      return TimeUnit.MILLISECONDS.toNanos(Math.max(0, entry.expiresAt() - clock.millis()));
    }
  }
}
