package io.xecure.usage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The counts of one minute for one id of one dimension on one API: what the store adds up.
 *
 * @param id the key identity, developer id or API name
 * @param minute the start of the minute (UTC)
 * @param developerId the developer of a key or developer row; null on an API row
 */
public record UsageRow(
    UsageDimension dimension,
    String id,
    String api,
    @Nullable String developerId,
    Instant minute,
    UsageCounts counts) {

  /** The row's identity in the store: rows with the same key add up. */
  public Key key() {
    return new Key(dimension, id, api, minute);
  }

  public UsageRow withCounts(UsageCounts c) {
    return new UsageRow(dimension, id, api, developerId, minute, c);
  }

  public record Key(UsageDimension dimension, String id, String api, Instant minute) {}
}
