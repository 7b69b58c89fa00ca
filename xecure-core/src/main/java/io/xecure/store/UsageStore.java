package io.xecure.store;

import io.xecure.usage.KeyUse;
import io.xecure.usage.UsageInterval;
import io.xecure.usage.UsageQuery;
import io.xecure.usage.UsageRow;
import io.xecure.usage.UsageSeries;
import java.time.Instant;
import java.util.List;

/**
 * Usage roll-ups per minute, hour and UTC day, dimension and API, each key's latest use, and
 * retention.
 *
 * <p>Every method may block (JDBC) and must be called off the event loop, and throws {@link
 * StoreUnavailableException} when the database cannot be reached or fails.
 */
public interface UsageStore {

  /**
   * Adds each row's counts to the stored row of the same minute, dimension, id and API, and to
   * those of its hour and day, creating them when there are none, all in one transaction: two calls
   * with the same row add up, and so do several nodes writing the same minute. Maxima (latency) are
   * kept, not added.
   */
  void addUsage(List<UsageRow> rows);

  /**
   * Records each key's latest use (time and client IP), in one transaction; a stored use that is
   * later (another node's) is kept. Unknown key ids are ignored.
   */
  void recordKeyUses(List<KeyUse> uses);

  /**
   * Usage series answering the query, read from the rows of its interval; the same answer as the
   * minute rows of the range would give, while they are kept.
   */
  UsageSeries.Result usage(UsageQuery query);

  /**
   * Like {@link EventStore#deleteRequestEventsBefore}, for usage rows of {@code grain} (minute,
   * hour or day rows) whose bucket starts before {@code cutoff}.
   */
  int deleteUsageBefore(UsageInterval grain, Instant cutoff, int limit);
}
