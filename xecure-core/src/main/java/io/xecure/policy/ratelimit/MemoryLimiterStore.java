package io.xecure.policy.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import io.vertx.core.Future;
import io.xecure.cache.RequestPathCaches;
import io.xecure.policy.ratelimit.Decision.Verdict;
import io.xecure.policy.ratelimit.PlanConfig.Quota;
import io.xecure.policy.ratelimit.PlanConfig.Rate;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Limiter state of one node: one {@link AtomicLong} per counter, updated lock-free by
 * compare-and-set, so a counter never grants more than its limit however many event loops share it.
 * Answers synchronously (an already completed future).
 *
 * <p>Memory is bounded twice. A counter is dropped once it cannot change an answer: a rate's TAT
 * once idle for the rate's {@code per} (it is then in the past: a full burst), a quota's count once
 * its calendar window has ended. And the map holds at most {@code maximumCounters}; beyond that the
 * least valuable counters are evicted (Caffeine's W-TinyLFU), which forgets their counts: size it
 * above the number of identities active within a quota window (about 150 bytes per counter).
 */
public final class MemoryLimiterStore implements LimiterStore {
  /** About 150 MB when full; a node seldom sees a million identities within one quota window. */
  public static final long DEFAULT_MAXIMUM_COUNTERS = 1_000_000;

  private final Clock clock;
  private final Cache<CellKey, Cell> cells;

  public MemoryLimiterStore(Clock clock) {
    this(clock, DEFAULT_MAXIMUM_COUNTERS);
  }

  public MemoryLimiterStore(Clock clock, long maximumCounters) {
    this.clock = clock;
    // the cache reads the same clock as the counters, so expiry agrees with their windows
    this.cells =
        RequestPathCaches.builder()
            .maximumSize(maximumCounters)
            .ticker(() -> nanos(clock.instant()))
            .expireAfter(new CellExpiry())
            .build();
  }

  @Override
  public Future<Decision> acquire(CounterKey counter, PlanConfig plan) {
    return Future.succeededFuture(decide(counter, plan, nanos(clock.instant())));
  }

  /** Counters currently held, for tests and metrics (approximate while others write). */
  public long size() {
    cells.cleanUp();
    return cells.estimatedSize();
  }

  private Decision decide(CounterKey counter, PlanConfig plan, long now) {
    Quota quota = plan.quota();
    Rate rate = plan.rate();
    CalendarWindow window = null;
    Cell used = null;
    if (quota != null) {
      CalendarWindow w = CalendarWindow.of(quota.per(), now);
      window = w;
      used = cells.get(new CellKey(counter, w.start()), k -> Cell.until(w.end()));
      if (used.get() >= quota.limit()) {
        return quotaExceeded(quota, w, now);
      }
    }
    Decision byRate = null;
    Cell tat = null;
    if (rate != null) {
      long idle = Gcra.window(rate);
      tat = cells.get(new CellKey(counter, CellKey.RATE), k -> Cell.idle(idle));
      byRate = Gcra.take(tat, rate, now);
      if (!byRate.granted()) {
        return byRate;
      }
    }
    if (quota == null || window == null || used == null) {
      return require(byRate);
    }
    long count = incrementBelow(used, quota.limit());
    if (count < 0) {
      // another request took the last of the quota between the check above and now
      if (rate != null && tat != null) {
        Gcra.refund(tat, rate);
      }
      return quotaExceeded(quota, window, now);
    }
    Decision byQuota = Decision.granted(quota.limit(), quota.limit() - count, window.end() - now);
    Decision binding = byRate == null ? byQuota : Decision.tighter(byRate, byQuota);
    return binding.withQuotaUse(count, quota.limit());
  }

  /** The count after adding one, or -1 when the count is already at {@code limit}. */
  private static long incrementBelow(AtomicLong count, long limit) {
    while (true) {
      long current = count.get();
      if (current >= limit) {
        return -1;
      }
      if (count.compareAndSet(current, current + 1)) {
        return current + 1;
      }
    }
  }

  private static Decision quotaExceeded(Quota quota, CalendarWindow window, long now) {
    long left = window.end() - now;
    return Decision.refused(Verdict.QUOTA_EXCEEDED, quota.limit(), left, left);
  }

  private static Decision require(@Nullable Decision decision) {
    if (decision == null) {
      throw new IllegalArgumentException("a plan needs a rate, a quota or both");
    }
    return decision;
  }

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /**
   * A counter's rate cell ({@code window} {@link #RATE}) or the cell of one of its quota windows
   * (the window's start, epoch nanos).
   */
  private record CellKey(CounterKey counter, long window) {
    static final long RATE = Long.MIN_VALUE;
  }

  /** One counter and how long it matters: until a fixed instant, or for a time after each use. */
  private static final class Cell extends AtomicLong {
    private static final long serialVersionUID = 1L;

    private final long until;
    private final long idle;

    private Cell(long until, long idle) {
      this.until = until;
      this.idle = idle;
    }

    static Cell until(long epochNanos) {
      return new Cell(epochNanos, 0);
    }

    static Cell idle(long nanos) {
      return new Cell(0, nanos);
    }

    long afterCreate(long now) {
      return idle > 0 ? idle : Math.max(0, until - now);
    }

    long afterUse(long currentDuration) {
      return idle > 0 ? idle : currentDuration;
    }
  }

  private static final class CellExpiry implements Expiry<CellKey, Cell> {
    @Override
    public long expireAfterCreate(CellKey key, Cell cell, long currentTime) {
      return cell.afterCreate(currentTime);
    }

    @Override
    public long expireAfterUpdate(CellKey key, Cell cell, long currentTime, long currentDuration) {
      return cell.afterUse(currentDuration);
    }

    @Override
    public long expireAfterRead(CellKey key, Cell cell, long currentTime, long currentDuration) {
      return cell.afterUse(currentDuration);
    }
  }
}
