package io.xecure.usage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A usage question: series per id of {@code groupBy}, one point per {@code interval} from {@code
 * from} (inclusive) to {@code to} (exclusive), both on interval boundaries; only the rows matching
 * every non-null filter; the {@code limit} series with the most requests.
 *
 * @param key a key identity (see {@link UsageDimension#KEY})
 */
public record UsageQuery(
    UsageDimension groupBy,
    UsageInterval interval,
    Instant from,
    Instant to,
    @Nullable String key,
    @Nullable String developer,
    @Nullable String api,
    int limit) {

  /** The finest dimension the question involves: the rows that can answer it. */
  public UsageDimension source() {
    UsageDimension source = groupBy;
    if (key != null) {
      source = source.finer(UsageDimension.KEY);
    }
    if (developer != null) {
      source = source.finer(UsageDimension.DEVELOPER);
    }
    return source;
  }

  public UsageQuery withKey(@Nullable String identity) {
    return new UsageQuery(groupBy, interval, from, to, identity, developer, api, limit);
  }
}
